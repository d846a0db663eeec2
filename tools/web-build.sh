#!/bin/sh
# web-build.sh: install the web app's npm packages (charts, browser-test
# driver) from package.json/package-lock.json when present. Nothing is
# fetched from a CDN at run time: vendor files are copied into web/vendor.
# axe-core (devDependency) stays in node_modules: tests/e2e/axe.test.mjs
# loads it into the page under test only; it is never served to users.
set -eu
[ -f package.json ] || exit 0
if [ ! -d node_modules ] || [ package.json -nt node_modules ] || [ package-lock.json -nt node_modules ]; then
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
	touch node_modules
fi
[ -x tools/web-vendor.sh ] && sh tools/web-vendor.sh
exit 0
