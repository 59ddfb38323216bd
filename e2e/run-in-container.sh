#!/usr/bin/env bash
# Inside Playwright's image (docker-compose.yml, service e2e): install the locked packages into a
# scratch copy (the mounted e2e/ stays read-only and free of node_modules), then walk the click path.
# The image already has the browsers of the same Playwright version, so nothing is downloaded but
# the npm packages of package-lock.json.
set -euo pipefail
mkdir -p /tmp/e2e "${HOME:-/tmp/home}"
cd /e2e-src
tar --exclude=./node_modules --exclude=./results -cf - . | tar -C /tmp/e2e -xf -
cd /tmp/e2e
npm ci --no-audit --no-fund --loglevel=error
exec npx playwright test
