#!/usr/bin/env bash
# image.sh does every step of the Docker image (see Dockerfile), as a plain
# script that also runs, and is tested, outside Docker:
#
#   scripts/image.sh build BINDIR     build gorch into BINDIR (needs Go 1.26)
#   scripts/image.sh install PREFIX   install Jupyter Notebook (apt, when missing),
#                                     register PREFIX/bin/gorch as a kernel in
#                                     PREFIX/share/jupyter, copy the notebooks to
#                                     PREFIX/share/gorch/notebooks and write the
#                                     launcher PREFIX/bin/gorch-notebook
#   scripts/image.sh PREFIX           both, with BINDIR = PREFIX/bin
#
# With PREFIX=/usr/local, Jupyter finds the kernel without configuration.
# Elsewhere the launcher sets JUPYTER_PATH.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

root=$(repo_root)

build() {
	local bindir=$1
	find_go
	mkdir -p "$bindir"
	# gorch finds CUDA at run time, so one binary serves machines with and
	# without a GPU.
	(cd "$root" && CGO_ENABLED=0 go build -o "$bindir/gorch" ./cmd/gorch)
	"$bindir/gorch" version
}

install() {
	local prefix
	prefix=$(mkdir -p "$1" && cd "$1" && pwd)
	ensure_debs ca-certificates python3-jupyter-client jupyter-client python3-notebook jupyter-notebook jupyter-nbconvert
	"$prefix/bin/gorch" install --prefix "$prefix"
	mkdir -p "$prefix/share/gorch"
	rm -rf "$prefix/share/gorch/notebooks"
	cp -r "$root/notebooks" "$prefix/share/gorch/notebooks"
	cat >"$prefix/bin/gorch-notebook" <<LAUNCHER
#!/bin/sh
# gorch-notebook starts Jupyter Notebook on the gorch notebooks, reachable
# from outside a container (on port 8888 unless --port says otherwise).
# Arguments go to jupyter notebook.
export JUPYTER_PATH="$prefix/share/jupyter\${JUPYTER_PATH:+:\$JUPYTER_PATH}"
root=
[ "\$(id -u)" = 0 ] && root=--allow-root
exec /usr/bin/python3 -m notebook --no-browser --ip=0.0.0.0 \$root \\
	--notebook-dir="$prefix/share/gorch/notebooks" "\$@"
LAUNCHER
	chmod +x "$prefix/bin/gorch-notebook"
}

case "${1:-}" in
build) build "${2:?usage: image.sh build BINDIR}" ;;
install) install "${2:?usage: image.sh install PREFIX}" ;;
"" | -*)
	echo "usage: image.sh build BINDIR | install PREFIX | PREFIX" >&2
	exit 2
	;;
*)
	build "$1/bin"
	install "$1"
	;;
esac
