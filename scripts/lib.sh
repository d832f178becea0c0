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
# apt_update runs apt-get update, once per run of a script.
apt_update() {
	if [ -z "$apt_updated" ]; then
		as_root apt-get update -q
		apt_updated=1
	fi
}

# ensure_debs installs the Debian packages given as arguments that are not
# installed yet, without recommended packages.
ensure_debs() {
	local missing=() p
	for p in "$@"; do
		deb_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "gorch: installing ${missing[*]}" >&2
	apt_update
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

# go_release is the Go that find_go installs when the machine has none
# new enough: a release of the minor version that go.mod needs (1.26).
go_release=go1.26.8

# go_version prints the major and minor numbers of the Go version $1
# (go1.26.8, go1.27rc1), or fails.
go_version() {
	local v=${1#go} major minor
	major=${v%%.*}
	minor=${v#*.}
	minor=${minor%%[!0-9]*}
	[[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
	echo "$major $minor"
}

# go_new_enough reports whether the go command $1 runs and is at least
# go_release's minor release.
go_new_enough() {
	local have need hmaj hmin nmaj nmin
	have=$(go_version "$("$1" env GOVERSION 2>/dev/null)") || return 1
	need=$(go_version "$go_release")
	read -r hmaj hmin <<<"$have"
	read -r nmaj nmin <<<"$need"
	((hmaj > nmaj || (hmaj == nmaj && hmin >= nmin)))
}

# find_go puts a Go new enough for gorch on PATH: the go on PATH, else the
# one in /usr/local/go, else one it installs there.
find_go() {
	command -v go >/dev/null && go_new_enough go && return 0
	if ! go_new_enough /usr/local/go/bin/go; then
		if [ -e /usr/local/go ]; then
			echo "gorch: /usr/local/go holds a Go too old for gorch; move it aside and run this again to get $go_release there" >&2
			return 1
		fi
		install_go /usr/local/go
	fi
	PATH=/usr/local/go/bin:$PATH
}

# install_go installs $go_release in the directory $1, which must not
# exist.
install_go() {
	local dest=$1 tmp status=0
	tmp=$(mktemp -d)
	echo "gorch: installing $go_release in $dest" >&2
	fetch_go "$tmp" && as_root mkdir -p "$(dirname "$dest")" &&
		as_root cp -R "$tmp/go" "$dest" || status=$?
	rm -rf "$tmp"
	if [ "$status" = 0 ]; then
		echo "gorch: installed $go_release; add $dest/bin to PATH to use it yourself" >&2
	else
		echo "gorch: could not install $go_release" >&2
	fi
	return "$status"
}

# fetch_go unpacks $go_release into $1/go, working in $1. Debian's own Go
# is too old to build gorch, but its go command can fetch the Go project's
# release, which the Go module proxy serves as the module
# golang.org/toolchain (that is how a newer go command switches
# toolchains). Debian's Go is only unpacked here, never installed, so that
# no old go lands on PATH.
fetch_go() {
	local dir=$1 deb goroot mod sandbox=()
	mod=golang.org/toolchain@v0.0.1-$go_release.linux-$(dpkg --print-architecture)
	apt_update || return
	# golang-go is the Debian release's Go, a package of symbolic links to
	# the versioned one (golang-1.19-go on bookworm).
	deb=$(apt-cache depends golang-go | sed -n 's/^ *Depends: \(golang-[0-9.]*-go\)$/\1/p' | head -n 1)
	if [ -z "$deb" ]; then
		echo "gorch: found no Debian Go package to fetch Go with" >&2
		return 1
	fi
	# As root, apt would warn that its unprivileged user cannot write here;
	# it may not, and needs not.
	[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
	(cd "$dir" && apt-get download -q "${sandbox[@]}" "$deb") || return
	dpkg-deb -x "$dir"/"$deb"_*.deb "$dir/debian" || return
	goroot=$(echo "$dir"/debian/usr/lib/go-*)
	# Outside any module, with a module cache of its own whatever the
	# caller's environment says.
	(cd "$dir" && GOROOT=$goroot GOPATH=$dir/gopath GOMODCACHE=$dir/gopath/pkg/mod \
		GOFLAGS=-modcacherw GO111MODULE=on GOTOOLCHAIN=local "$goroot/bin/go" mod download "$mod") || return
	mv "$dir/gopath/pkg/mod/$mod" "$dir/go" || return
	# Module files carry no permission bits: give the programs back theirs,
	# as the go command does when it switches toolchains.
	chmod -R a+x "$dir/go/bin" "$dir/go/pkg/tool" &&
		find "$dir/go/lib" -name 'go_*_*_exec' -exec chmod a+x {} +
}

# repo_root prints the root of the gorch checkout this script lives in.
repo_root() {
	cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
}
