#!/bin/sh
# install-deps.sh - install what fpbench builds and tests with, on Debian 12 (bookworm), as root.
# Non-interactive.  Anywhere else (not root, no apt-get) it says what to install and goes on.
# Add a package: append one line to FPB_PACKAGES (keep the list one package a line).
# Optional ones: gnuplot-nox (report charts), python3-jsonschema (schema tests, skipped without),
# stress-ng (the co-runner of scripts/aa-check.sh --co-runner).
# lava-common (with python3-voluptuous and python3-yaml) validates the LAVA jobs of lava/ in make
# check; lava-dispatcher (about 295 packages) is left to `make lava-check`, which installs it.
set -eu

FPB_PACKAGES="
build-essential
autoconf
automake
autoconf-archive
pkg-config
check
libsubunit-dev
libnuma-dev
libpfm4-dev
libpapi-dev
libjansson-dev
gnuplot-nox
python3-jsonschema
gcc-aarch64-linux-gnu
libc6-dev-arm64-cross
stress-ng
lava-common
"

pkgs=$(echo $FPB_PACKAGES)

if ! command -v apt-get >/dev/null 2>&1 || ! test -r /etc/debian_version; then
	echo "install-deps: not a Debian system: install the equivalents of: $pkgs" >&2
	exit 0
fi
if test "$(id -u)" != 0; then
	echo "install-deps: not root: skipping apt-get; as root run: apt-get install $pkgs" >&2
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: apt-get update" >&2
apt-get update -q </dev/null ||
	echo "install-deps: apt-get update failed; trying the install from the current lists" >&2
echo "install-deps: apt-get install $pkgs" >&2
apt-get install -y -q --no-install-recommends $pkgs </dev/null
