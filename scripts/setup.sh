#!/usr/bin/env bash
# setup.sh takes a fresh checkout to a running Jupyter Notebook with the gorch
# kernel registered and the tour open. It installs the Debian packages that
# are missing (apt-get, through sudo when not root), builds gorch with Go
# 1.26 or newer (installing it in /usr/local/go when the machine has none),
# registers the kernel for the current user and starts Jupyter Notebook.
# Run it again at any time: it only does what is missing.
#
#   scripts/setup.sh              set up, then open notebooks/tour.ipynb
#   scripts/setup.sh --no-start   set up only
#   scripts/setup.sh --no-browser ...   other arguments go to jupyter notebook
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=1
if [ "${1:-}" = --no-start ]; then
	start=
	shift
fi

cd "$(repo_root)"
ensure_debs ca-certificates python3-jupyter-client jupyter-client python3-notebook \
	jupyter-notebook jupyter-nbconvert
find_go

gobin=$(go env GOBIN)
gobin=${gobin:-$(go env GOPATH)/bin}
echo "gorch: building $gobin/gorch with $(go version)" >&2
# Without cgo: one static binary that runs on any Linux (the CUDA driver is
# loaded at run time).
GOBIN=$gobin CGO_ENABLED=0 go install ./cmd/gorch
"$gobin/gorch" install --user

if [ -z "$start" ]; then
	echo "gorch: ready; start Jupyter with: /usr/bin/python3 -m notebook notebooks/tour.ipynb" >&2
	exit 0
fi
# Debian's Jupyter lives in /usr/bin/python3; another python3 earlier on
# PATH would not have it.
flags=()
[ "$(id -u)" = 0 ] && flags+=(--allow-root)
exec /usr/bin/python3 -m notebook "${flags[@]}" "$@" notebooks/tour.ipynb
