#!/bin/sh
# install-deps.sh - make sure the Debian packages MentalVerse builds and tests
# with are present. As root it installs what is missing with apt-get; as
# anyone else it prints the exact command to run and fails.
# Usage: assets/install-deps.sh [--check]   (--check: only report, exit 1 if missing)
set -u
PKGS="pkg-config libncurses-dev libsqlite3-dev libsodium-dev libcurl4-gnutls-dev libmicrohttpd-dev libgnutls28-dev libcmocka-dev libjansson-dev tmux"
# tests: fuzz targets (clang), clock skew (faketime), peak RSS in benchmarks
# (time), tests/valgrind.sh (valgrind)
PKGS="$PKGS clang faketime time valgrind"
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "missing Debian packages:$missing" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	echo "installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq $missing >&2 && exit 0
	echo "apt-get failed; run: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "MentalVerse needs these Debian packages:$missing" >&2
echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
