#!/bin/sh
# web-vendor.sh: copy the web app's third-party files from node_modules
# (installed by tools/web-build.sh with npm ci) into web/vendor/, which is
# git-ignored and served from our own origin (never from a CDN).
# One line per file in the table below: package path -> vendor name.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mkdir -p web/vendor
while read -r src dst; do
	[ -n "$src" ] || continue
	if [ ! -f "node_modules/$src" ]; then
		echo "web-vendor: node_modules/$src missing (run npm ci)" >&2
		exit 1
	fi
	if [ ! -f "web/vendor/$dst" ] || [ "node_modules/$src" -nt "web/vendor/$dst" ]; then
		cp "node_modules/$src" "web/vendor/$dst"
	fi
done <<'LIST'
chart.js/dist/chart.umd.min.js chart.umd.min.js
chart.js/dist/chart.umd.min.js.map chart.umd.min.js.map
chart.js/LICENSE.md chart.js-LICENSE.md
LIST
