# Shared by the scripts in this directory; source it, do not run it.
#
# Everything here is idempotent: packages already installed are not touched,
# and apt-get runs (update once, then install) only when something is missing.
# Packages come from the apt sources the machine is already configured with.

set -euo pipefail

# as_root runs a command as root: directly when we are root, through sudo
# otherwise.
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		echo "gorch: need root to run: $*  (run as root, or install sudo)" >&2
		return 1
	fi
}

# deb_installed reports whether the Debian package $1 is installed.
deb_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_updated=
# ensure_debs installs the Debian packages given as arguments that are not
# installed yet, without recommended packages.
ensure_debs() {
	local missing=() p
	for p in "$@"; do
		deb_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "gorch: installing ${missing[*]}" >&2
	if [ -z "$apt_updated" ]; then
		as_root apt-get update -q
		apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# node_debs prints the Debian packages needed for node and npm, skipping a
# node or npm that is already on PATH however it got there (a nodejs
# package from elsewhere ships its own npm, and Debian's npm would conflict).
node_debs() {
	command -v node >/dev/null || echo nodejs
	command -v npm >/dev/null || echo npm
}

# find_go puts a Go toolchain on PATH (the one on PATH, else /usr/local/go)
# or explains how to get one.
find_go() {
	if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
		PATH=/usr/local/go/bin:$PATH
	fi
	if ! command -v go >/dev/null; then
		cat >&2 <<'MSG'
gorch: Go is missing. gorch needs Go 1.26 or newer: download the linux-amd64
archive from the Go project's downloads page, unpack it as root with
    tar -C /usr/local -xzf go1.26.*.linux-amd64.tar.gz
and run this script again (it looks in /usr/local/go/bin).
MSG
		return 1
	fi
}

# repo_root prints the root of the gorch checkout this script lives in.
repo_root() {
	cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
}
