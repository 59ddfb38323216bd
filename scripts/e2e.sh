#!/usr/bin/env bash
# `make e2e`: walks the workshop's click path in a browser (e2e/) against the stack that `make up`
# started, in Playwright's own image (docker-compose.yml, service e2e, profile e2e: `make up` never
# starts it). Writes e2e/results/report.md and e2e/results/screenshots/.
#
# With nothing to walk it stops at once with one line: no Docker, no engine, or no Grafana at
# GRAFANA_URL (default http://localhost:3000). E2E_DIFF_URL=<the link make upgrade printed> makes
# step 5 open that link instead of one built the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

GRAFANA_URL=${GRAFANA_URL:-http://localhost:3000}

die() {
  echo "e2e: $*" >&2
  exit 1
}

# `timeout` is GNU coreutils; where it is missing the checks below still fail fast on their own.
bounded() {
  if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi
}

command -v docker >/dev/null 2>&1 || die "needs Docker (the docker command is not installed): the browser runs in a container"
bounded 10 docker info >/dev/null 2>&1 || die "the Docker engine does not answer ('docker info' failed): start Docker, then make up"
if bounded 10 docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  die "needs Docker Compose: the 'docker compose' plugin or 'docker-compose'"
fi
command -v curl >/dev/null 2>&1 || die "needs curl (to see whether Grafana answers)"
curl -fsS --max-time 5 -o /dev/null "$GRAFANA_URL/api/health" 2>/dev/null ||
  die "Grafana does not answer at $GRAFANA_URL: start the stack with make up, give it a few minutes of traffic, then make e2e"

if [ -z "${GRAFANA_ADMIN_PASSWORD:-}" ] && [ -f .env.local ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env.local
  set +a
fi
[ -n "${GRAFANA_ADMIN_PASSWORD:-}" ] || die "no GRAFANA_ADMIN_PASSWORD: make up writes it to .env.local"
export GRAFANA_ADMIN_PASSWORD

mkdir -p e2e/results
echo "e2e: walking the click path against $GRAFANA_URL (a few minutes); results in e2e/results/"
# As the calling user, so that e2e/results stays theirs; --no-deps: the stack runs already.
"${COMPOSE[@]}" --profile e2e run --rm --no-deps --user "$(id -u):$(id -g)" e2e
