# A ready image: Jupyter Notebook with the gorch kernel registered and the
# notebooks in place. It is built on CUDA's runtime image so that a
# container started with --gpus all reaches the driver (package gpu lists
# the devices); tensors compute on the CPU until the CUDA backend lands.
#
#   docker build -t gorch .
#   docker run --rm -p 8888:8888 --gpus all gorch
#
# Every step is scripts/image.sh, which is tested outside Docker
# (go test ./test/frontends -run TestImageScript).

ARG GO_IMAGE=golang:1.26-bookworm
# A CUDA runtime image has cuBLAS; the driver library comes from the host.
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04

FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY . .
RUN scripts/image.sh build /out

FROM ${CUDA_IMAGE}
COPY --from=build /out/gorch /usr/local/bin/gorch
COPY scripts /src/scripts
COPY notebooks /src/notebooks
RUN /src/scripts/image.sh install /usr/local \
	&& rm -rf /var/lib/apt/lists/*
EXPOSE 8888
CMD ["/usr/local/bin/gorch-notebook"]
