#!/bin/sh
# deps.sh: install the Debian packages Thi đua needs, only those missing.
# Runs as root on a fresh Debian 12 machine (apt-get); says what it does.
set -eu
PKGS="build-essential pkg-config
libsqlite3-dev sqlite3 libpq-dev libssl-dev postgresql
libjansson-dev libfyaml-dev libsodium-dev libmicrohttpd-dev libicu-dev
libcsv-dev libcmocka-dev libhpdf-dev libxlsxwriter-dev libzip-dev libexpat1-dev
fonts-dejavu-core poppler-utils groff-base
python3 python3-pytest python3-openpyxl
nodejs npm chromium
wrk nginx-light hyperfine time
clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# Node.js and npm may come from outside Debian's packages on a developer
# machine: accept any node/npm on PATH.
if command -v node >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
fi
if [ -z "$(echo "$missing" | tr -d ' ')" ]; then
	echo "deps: all Debian packages present"
	exit 0
fi
echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: need root to run apt-get (try: sudo make deps)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
echo "deps: done"
