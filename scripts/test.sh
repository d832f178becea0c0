#!/usr/bin/env bash
# test.sh runs every test of gorch: it installs what the tests need (Debian
# packages through apt-get when missing, Go as setup.sh does, the node
# modules of the front-end tests with npm ci), then checks gofmt and that
# go.mod is tidy, and runs go vet, go test (unit and integration tests,
# including the notebook and front-end tests), the kernel's tests under the
# race detector, and staticcheck. It is what CI runs (.ci/run).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$(repo_root)"
# Jupyter and its clients for the integration tests; PyTorch and NumPy for
# numerical cross-checks, with OpenBLAS (python3-numpy alone brings the
# reference BLAS, which makes the benchmark comparison meaningless); Chromium
# and node for the browser and JupyterLab client tests; gcc for the race
# detector.
ensure_debs ca-certificates git gcc libc6-dev \
	python3-jupyter-client jupyter-client python3-ipykernel python3-notebook jupyter-notebook \
	jupyter-nbconvert python3-jupyter-server jupyter-console \
	python3-torch python3-numpy libopenblas0-pthread chromium fonts-liberation $(node_debs)
find_go
go version

# Every check runs even when an earlier one fails, so one run reports all
# failures; the script fails at the end if any did.
failed=()
step() {
	echo "== $*" >&2
	"$@" || failed+=("$*")
}

# Screenshots of the browser test land here.
export GORCH_ARTIFACTS=${GORCH_ARTIFACTS:-$PWD/test/frontends/artifacts}
mkdir -p "$GORCH_ARTIFACTS"

gofmt_check() {
	local unformatted
	unformatted=$(git ls-files -co --exclude-standard -z '*.go' | xargs -0r gofmt -l)
	if [ -n "$unformatted" ]; then
		echo "these files need gofmt:" >&2
		echo "$unformatted" >&2
		return 1
	fi
}

(cd test/frontends && npm ci --no-audit --no-fund) || failed+=("npm ci in test/frontends")
step gofmt_check
step go mod tidy -diff
step go vet ./...
step go test ./...
step go test -race ./kernel/...
step go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

if [ ${#failed[@]} -gt 0 ]; then
	echo "== FAILED:" >&2
	printf '   %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "== all tests passed" >&2
