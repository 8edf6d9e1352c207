#!/bin/sh
# deps.sh: installs tifa's build and test dependencies from Debian's packages when missing.
# Called by make when pkg-config cannot find jansson, libpcre2-8, libdivsufsort, libxml-2.0, libarchive, opencc or cmocka, or jq or groff is
# missing; safe to run again.
set -eu
need=""
# groff-base: the manual page's tests; tmux: tests that need a terminal; zsh: the zsh completion's test
for p in gcc make pkg-config libpcre2-dev libjansson-dev libdivsufsort-dev libxml2-dev libarchive-dev libopencc-dev libcmocka-dev jq groff-base tmux zsh; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
for p in ${TIFA_EXTRA_DEPS:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "tifa: installing Debian packages:$need" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >&2
