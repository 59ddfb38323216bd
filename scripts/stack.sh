#!/usr/bin/env bash
# The workshop stack (docker-compose.yml) for the Makefile: up, down, clean, logs, ps.
#
#   up     creates the Grafana admin password if there is none (.env.local, git-ignored), builds the
#          service image, starts everything, waits until every health check passes (UP_TIMEOUT
#          seconds, default 300) and prints the URLs and what to open first
#   down   stops and removes the containers (Tempo usually needs about 30 s; it gets 45 s, then it is
#          killed); the data volumes stay
#   clean  the same and removes the data volumes too
#   logs   follows the logs (of the services given as arguments, or of all)
#   ps     the containers and their health
#
# Works with the Compose plugin (`docker compose`) and with the older `docker-compose`.
set -euo pipefail
cd "$(dirname "$0")/.."

UP_TIMEOUT=${UP_TIMEOUT:-300}
# The images' Dockerfiles use RUN --mount (a cache for Maven's downloads), which needs BuildKit: the
# Compose plugin builds with it anyway; docker-compose 1.29 does only when asked like this.
export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
COMPOSE=()
# docker-compose.yml's services under a profile (started only by name, never by `up`).
ONE_SHOT_SERVICES=(e2e)

die() {
  echo "stack: $*" >&2
  exit 1
}

find_compose() {
  command -v docker >/dev/null 2>&1 || die "needs Docker (the docker command is not installed)"
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  else
    die "needs Docker Compose: the 'docker compose' plugin or 'docker-compose'"
  fi
}

# Every command checks the engine first and writes nothing (.env.local) before that check passes:
# without an engine it ends in one line and a non-zero exit (StackCommandsTest).
require_engine() {
  find_compose
  # At most 10 s where `timeout` (GNU coreutils) exists: an engine that hangs does not answer either.
  if command -v timeout >/dev/null 2>&1; then timeout 10 docker info; else docker info; fi >/dev/null 2>&1 ||
    die "the Docker engine does not answer ('docker info' failed): start Docker first"
}

# The password comes from the environment or from .env.local; docker-compose.yml refuses to start
# Grafana without one.
load_password() {
  if [ -z "${GRAFANA_ADMIN_PASSWORD:-}" ] && [ -f .env.local ]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env.local
    set +a
  fi
}

ensure_password() {
  load_password
  if [ -z "${GRAFANA_ADMIN_PASSWORD:-}" ]; then
    local password
    password=$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | cut -c1-24)
    (
      umask 077
      printf '%s\n' \
        '# Written by make up; git-ignored. Grafana takes the admin password on its first start only:' \
        '# to change it later, see docs/stack.md ("Grafana login").' \
        "GRAFANA_ADMIN_PASSWORD=$password" >.env.local
    )
    export GRAFANA_ADMIN_PASSWORD=$password
    echo "stack: generated a Grafana admin password into .env.local"
  fi
  case "$GRAFANA_ADMIN_PASSWORD" in
    admin | password | changeme) die "GRAFANA_ADMIN_PASSWORD is a well-known password; choose another one" ;;
  esac
  [ "${#GRAFANA_ADMIN_PASSWORD}" -ge 12 ] || die "GRAFANA_ADMIN_PASSWORD must have at least 12 characters"
}

# down, logs and ps create no container, but Compose still interpolates the whole file: give it a
# placeholder when the password is not at hand (for example after .env.local was deleted).
password_or_placeholder() {
  load_password
  export GRAFANA_ADMIN_PASSWORD=${GRAFANA_ADMIN_PASSWORD:-not-used-by-this-command}
}

container_state() {
  docker inspect --format '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1"
}

# The containers' state, and the last log lines of every one that is not healthy.
show_unhealthy() {
  local id name status health
  "${COMPOSE[@]}" ps -a >&2 || true
  for id in $("${COMPOSE[@]}" ps -a -q); do
    read -r name status health <<<"$(container_state "$id")"
    if [ "$health" != healthy ]; then
      echo "---- last log lines of ${name#/} ($status, health: $health)" >&2
      docker logs --tail 30 "$id" >&2 2>&1 || true
    fi
  done
  echo "stack: see 'make logs', fix, then 'make up' again ('make down' stops what runs)." >&2
}

wait_healthy() {
  local deadline=$((SECONDS + UP_TIMEOUT)) expected ids id name status health
  local -a waiting failed
  # Not the one-shot jobs under a profile (make e2e), which `up` never starts: Compose v2 leaves
  # them out of `config --services`, docker-compose v1 lists them.
  local -a one_shot=()
  for id in "${ONE_SHOT_SERVICES[@]}"; do one_shot+=(-e "$id"); done
  expected=$("${COMPOSE[@]}" config --services | grep -cvxF "${one_shot[@]}" || true)
  while :; do
    # -a: a container that stopped must show up as stopped, not vanish from the list.
    ids=$("${COMPOSE[@]}" ps -a -q)
    waiting=()
    failed=()
    if [ "$(wc -w <<<"$ids")" -lt "$expected" ]; then
      waiting+=("$((expected - $(wc -w <<<"$ids"))) container(s) not created yet")
    fi
    for id in $ids; do
      read -r name status health <<<"$(container_state "$id")"
      name=${name#/}
      if [ "$status" = exited ] || [ "$status" = dead ]; then
        failed+=("$id")
      elif [ "$health" != healthy ]; then
        waiting+=("$name:$health")
      fi
    done
    if [ -n "$ids" ] && [ "${#waiting[@]}" -eq 0 ] && [ "${#failed[@]}" -eq 0 ]; then
      echo "stack: all $(wc -w <<<"$ids") containers are healthy"
      return 0
    fi
    if [ "${#failed[@]}" -gt 0 ] || [ "$SECONDS" -ge "$deadline" ]; then
      echo >&2
      if [ "${#failed[@]}" -gt 0 ]; then
        echo "stack: a container stopped while starting:" >&2
      else
        echo "stack: not healthy after ${UP_TIMEOUT}s (UP_TIMEOUT): ${waiting[*]}" >&2
      fi
      show_unhealthy
      return 1
    fi
    printf '\rstack: waiting for health checks (%3ss left): %s   ' "$((deadline - SECONDS))" "${waiting[*]}"
    sleep 3
  done
}

# The app plugins the guide uses, with their pins in .env. docker-compose.yml installs them before
# Grafana answers its health check; this confirms the versions (it needs curl and jq, else it says so).
PINNED_PLUGINS=(grafana-pyroscope-app:GRAFANA_PYROSCOPE_APP_VERSION grafana-exploretraces-app:GRAFANA_EXPLORETRACES_APP_VERSION)

wait_plugins() {
  local deadline=$((SECONDS + 60)) entry plugin pinned installed
  if ! command -v curl >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
    echo "stack: curl or jq missing, Grafana's plugin versions not checked ('make check' does)"
    return 0
  fi
  for entry in "${PINNED_PLUGINS[@]}"; do
    plugin=${entry%%:*}
    pinned=$(sed -n "s/^${entry#*:}=//p" .env)
    while :; do
      installed=$(curl -fsS --max-time 5 -u "admin:$GRAFANA_ADMIN_PASSWORD" \
        "http://127.0.0.1:3000/api/plugins/$plugin/settings" 2>/dev/null | jq -r '.info.version // empty' 2>/dev/null)
      [ "$installed" = "$pinned" ] && break
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "stack: Grafana has ${installed:-no} $plugin, .env pins $pinned ('make logs S=grafana')" >&2
        return 1
      fi
      sleep 2
    done
    echo "stack: $plugin $installed installed (as pinned)"
  done
}

print_welcome() {
  cat <<'EOF'

The workshop stack is up.

  Grafana     http://localhost:3000   user admin, password: GRAFANA_ADMIN_PASSWORD in .env.local
  Prometheus  http://localhost:9090
  Pyroscope   http://localhost:4040
  Tempo       http://localhost:3200   (API only; traces are viewed in Grafana)
  Service     http://localhost:8080   e.g. curl 'localhost:8080/api/primes?limit=100000'

First: open http://localhost:3000/d/workshop-overview and log in. The stack's load generator
already sends mixed traffic (20 requests a second; 'make traffic SCENARIO=cpu' switches it).
Wait for the red incident bar (60 s after start, then every 2 minutes) and drag across the
latency spike it causes: the CPU flame graph below shows what burned the CPU in that window.

'make check' verifies every signal end to end; docs/stack.md has the whole click path.
EOF
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up)
    require_engine
    ensure_password
    # Compose itself may give up first, when a dependency's health check fails.
    if ! "${COMPOSE[@]}" up -d --build; then
      echo "stack: docker compose up failed" >&2
      show_unhealthy
      exit 1
    fi
    wait_healthy
    wait_plugins
    print_welcome
    ;;
  down)
    require_engine
    password_or_placeholder
    echo "stack: stopping; Tempo usually takes about 30 s to stop (45 s at most, then Docker stops it hard)"
    "${COMPOSE[@]}" down
    echo "stack: stopped; the data volumes are kept ('make clean' removes them)"
    ;;
  clean)
    require_engine
    password_or_placeholder
    "${COMPOSE[@]}" down --volumes --remove-orphans
    echo "stack: stopped and data volumes removed"
    ;;
  logs)
    require_engine
    password_or_placeholder
    "${COMPOSE[@]}" logs -f --tail=100 "$@"
    ;;
  ps)
    require_engine
    password_or_placeholder
    "${COMPOSE[@]}" ps
    ;;
  traffic)
    # Recreate the load generator with another scenario: SCENARIO=mixed|cpu|cached|uncached|io|alloc|lock|spike
    scenario=${1:-mixed}
    case "$scenario" in
      mixed|cpu|cached|uncached|io|alloc|lock|spike) ;;
      *) die "SCENARIO must be one of mixed cpu cached uncached io alloc lock spike, not '$scenario'" ;;
    esac
    require_engine
    ensure_password
    LOAD_SCENARIO=$scenario "${COMPOSE[@]}" up -d --no-deps loadgen
    echo "stack: the load generator now sends '$scenario' traffic (since $(date -u +%H:%M:%S) UTC)"
    ;;
  upgrade|downgrade)
    # Deploy 1.1.0 (primes by sieve) or go back to 1.0.0 (slow trial division); print a diff link.
    require_engine
    ensure_password
    if [ "$cmd" = upgrade ]; then version=1.1.0 algorithm=sieve; else version=1.0.0 algorithm=slow; fi
    switched=$(date +%s)
    switched_at=$(date -u +%H:%M:%S)
    APP_VERSION=$version PRIMES_ALGORITHM=$algorithm "${COMPOSE[@]}" up -d --no-deps service
    wait_healthy
    from=$(( (switched - 600) * 1000 )); to=$(( switched * 1000 ))
    echo "stack: version $version deployed ($algorithm primes) at $switched_at UTC"
    echo "  Give it a few minutes of traffic, then compare the 10 minutes before the switch with the time since:"
    # Parameters as the pinned Profiles Drilldown app (GRAFANA_PYROSCOPE_APP_VERSION) reads them: from/to
    # is the time range of both graphs (the comparison one has its own only once changed there),
    # diffFrom/diffTo the baseline selection, diffFrom-2/diffTo-2 the comparison selection.
    echo "  http://localhost:3000/a/grafana-pyroscope-app/explore?explorationType=diff-flame-graph&var-dataSource=pyroscope&var-serviceName=workshop-service&var-profileMetricId=process_cpu:cpu:nanoseconds:cpu:nanoseconds&from=${from}&to=now&diffFrom=${from}&diffTo=${to}&diffFrom-2=${to}&diffTo-2=now"
    ;;
  *)
    die "usage: $0 up|down|clean|logs [service...]|ps|traffic SCENARIO|upgrade|downgrade"
    ;;
esac
