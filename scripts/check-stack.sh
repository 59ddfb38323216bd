#!/usr/bin/env bash
# `make check`: asks the running stack (make up) over HTTP whether every signal arrived and is
# linked, one line per check: PASS or FAIL and what it saw. Exits non-zero if any check fails.
# A component that does not answer at all gets one DOWN line instead of the checks that need it.
#
# `make check SERVICE_NAME=checkout` checks a service of your own instead (docs/own-service.md, "Instrument
# your own service"): its traces and spans with pyroscope.profile.id in Tempo, its profiles in Pyroscope,
# and one span whose span profile is not empty, which is what "Profiles for this span" shows. A
# failing line says the likely cause.
#
# Needs curl and jq. Looks at the last CHECK_WINDOW_MINUTES (15) minutes; send the service some
# requests first (docs/stack.md). The addresses can be changed with GRAFANA_URL, PROMETHEUS_URL,
# TEMPO_URL, PYROSCOPE_URL and SERVICE_URL (make check PORT=9090 sets SERVICE_URL's port); the
# Grafana password is GRAFANA_ADMIN_PASSWORD, from the environment or .env.local. All of them are
# in docs/stack.md, "Start, stop, check" (DocsFactsTest keeps the two lists equal).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

GRAFANA_URL=${GRAFANA_URL:-http://localhost:3000}
PROMETHEUS_URL=${PROMETHEUS_URL:-http://localhost:9090}
TEMPO_URL=${TEMPO_URL:-http://localhost:3200}
PYROSCOPE_URL=${PYROSCOPE_URL:-http://localhost:4040}
SERVICE_URL=${SERVICE_URL:-http://localhost:8080}
WINDOW_MINUTES=${CHECK_WINDOW_MINUTES:-15}

SERVICE=${SERVICE_NAME:-workshop-service}
# A service of one's own: only the checks that say whether its telemetry arrived and is linked.
OWN=
[ "$SERVICE" = workshop-service ] || OWN=1
CPU=process_cpu:cpu:nanoseconds:cpu:nanoseconds
PROFILE_TYPES=("$CPU" wall:wall:nanoseconds:wall:nanoseconds
  memory:alloc_in_new_tlab_bytes:bytes:space:bytes mutex:delay:nanoseconds:mutex:count)
DATASOURCES=(prometheus tempo pyroscope)
DASHBOARDS=(workshop-overview workshop-profiles workshop-io-vs-cpu)

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check: needs $tool" >&2; exit 2; }
done
if [ -z "${GRAFANA_ADMIN_PASSWORD:-}" ] && [ -f .env.local ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env.local
  set +a
fi
GRAFANA_AUTH="admin:${GRAFANA_ADMIN_PASSWORD:-}"

NOW_S=$(date +%s)
START_S=$((NOW_S - WINDOW_MINUTES * 60))
# Profiles are uploaded every 10 s: spans younger than this may not have theirs yet.
SETTLED_S=$((NOW_S - 30))
failures=0
checks=0

pass() {
  needs_down "$1" && return
  checks=$((checks + 1))
  printf 'PASS  %-46s %s\n' "$1" "$2"
}
fail() {
  needs_down "$1" && return
  checks=$((checks + 1))
  failures=$((failures + 1))
  printf 'FAIL  %-46s %s\n' "$1" "$2"
}

# fetch URL [curl options...]: sets BODY and CODE; true for a 2xx answer.
BODY=
CODE=
fetch() {
  local out
  asks_down "$@" && return 1
  out=$(curl -sS --max-time 15 -w '\n%{http_code}' "$@" 2>&1)
  CODE=${out##*$'\n'}
  BODY=${out%$'\n'*}
  [ "${CODE:0:1}" = 2 ]
}
# A number from the last answer (0 when it has none).
num() {
  local value
  value=$(jq -r "$1" <<<"$BODY" 2>/dev/null)
  [[ $value =~ ^[0-9]+$ ]] && echo "$value" || echo 0
}
# The first trace of a Tempo search as "<trace id> <root span name>": the id in its 32-digit form
# (Tempo's search drops leading zeros, and Tempo's trace API and Grafana take the full form).
first_trace() {
  jq -r '.traces[0] | "\(.traceID | (32 - length) as $n | if $n > 0 then ("0" * $n) + . else . end) \(.rootTraceName)"' <<<"$BODY"
}
# What an answer said, shortened for one line.
said() {
  printf 'HTTP %s: %.160s' "$CODE" "$(tr '\n' ' ' <<<"$BODY")"
}
grafana() {
  local path=$1
  shift
  fetch -u "$GRAFANA_AUTH" "$@" "$GRAFANA_URL$path"
}
promql() { # instant query; sets BODY
  fetch -G "$PROMETHEUS_URL/api/v1/query" --data-urlencode "query=$1"
}
traceql() { # Tempo search over the window; sets BODY
  fetch -G "$TEMPO_URL/api/search" --data-urlencode "q=$1" --data-urlencode "limit=${2:-20}" \
    --data-urlencode "start=$START_S" --data-urlencode "end=${3:-$NOW_S}"
}
pyroscope() { # Connect API call with a JSON body; sets BODY
  fetch -X POST -H 'Content-Type: application/json' -d "$2" "$PYROSCOPE_URL/querier.v1.QuerierService/$1"
}

if [ -n "$OWN" ]; then
  echo "Checking $SERVICE in the stack (last $WINDOW_MINUTES minutes)"
else
  echo "Checking the workshop stack (last $WINDOW_MINUTES minutes)"
fi

# ---- does each component answer at all? One that does not is reported once, with what to do, and
# every check that needs it is skipped (not asked, not printed), instead of failing line by line.
declare -A BASE=([service]=$SERVICE_URL [grafana]=$GRAFANA_URL [prometheus]=$PROMETHEUS_URL
  [tempo]=$TEMPO_URL [pyroscope]=$PYROSCOPE_URL)
declare -A PROBE=([service]=/health [grafana]=/api/health [prometheus]=/-/ready [tempo]=/ready [pyroscope]=/ready)
# Checks that need more than the component their name starts with.
declare -A NEEDS=(["prometheus: API routes with requests"]=service
  ["tempo: an exemplar's trace exists"]=prometheus ["pyroscope: CPU samples carry span ids"]=tempo)
down=()
# Components a service of one's own can do without (Grafana): not asked when absent, and no failure.
absent=()
skipped=0
is_down() {
  local c
  for c in "${down[@]}" "${absent[@]}"; do [ "$c" = "$1" ] && return 0; done
  return 1
}
# needs_down CHECK: true (and counted as skipped) when the check needs a component that is down.
needs_down() {
  local c
  for c in "${1%%:*}" ${NEEDS[$1]:-}; do
    is_down "$c" && { skipped=$((skipped + 1)); return 0; }
  done
  return 1
}
# asks_down CURL-ARGS...: true when the request goes to a component that is down (CODE 000).
asks_down() {
  local arg c
  for arg in "$@"; do
    for c in "${down[@]}" "${absent[@]}"; do
      [[ $arg == "${BASE[$c]}"/* ]] && { CODE=000; BODY="$c does not answer"; return 0; }
    done
  done
  return 1
}
components=(service grafana prometheus tempo pyroscope)
[ -z "$OWN" ] || components=(tempo pyroscope)
probe_code() {
  curl -s -o /dev/null --max-time 5 -w '%{http_code}' "${BASE[$1]}${PROBE[$1]}" 2>/dev/null
}
# A service of one's own needs Tempo and Pyroscope; Grafana's checks (its login and the Tempo data
# source's link to profiles) run where Grafana answers, and are skipped, without failing, where not.
if [ -n "$OWN" ] && [ "$(probe_code grafana)" = 000 ]; then
  absent+=(grafana)
  printf 'SKIP  %-46s %s
' "grafana: does not answer" "$GRAFANA_URL: its two checks are left out; Tempo and Pyroscope are asked all the same"
fi
for component in "${components[@]}"; do
  if [ "$(probe_code "$component")" = 000 ]; then
    down+=("$component")
    if [ "$component" = service ]; then
      todo="start the stack with 'make up' (or the service alone with 'make run')"
    else
      todo="start the stack with 'make up' ('make ps' shows what runs)"
    fi
    printf 'DOWN  %-46s %s\n' "$component: does not answer" "${BASE[$component]}: $todo"
  fi
done

# grafana_login: the admin login check, in both modes; true when logged in.
grafana_login() {
  if grafana /api/user; then
    pass "grafana: admin login" "logged in as $(jq -r '.login' <<<"$BODY")"
  else
    fail "grafana: admin login" "$(said) (password: GRAFANA_ADMIN_PASSWORD in .env.local; see docs/stack.md)"
    return 1
  fi
}

# summary: the closing line; exits, non-zero if a check failed or a component did not answer.
summary() {
  echo
  if [ "${#down[@]}" -gt 0 ]; then
    others=
    [ "$checks" -gt 0 ] && others="; $failures of the $checks others failed"
    echo "Not answering: ${down[*]} ($skipped checks that need them skipped$others). Start the stack with 'make up', then 'make check' again."
    exit 1
  fi
  if [ "$failures" -eq 0 ]; then
    echo "All $checks checks passed."
    exit 0
  fi
  echo "$failures of $checks checks failed."
  exit 1
}

window_ms="\"start\": ${START_S}000, \"end\": ${NOW_S}000"
service_matcher="\"matchers\": [\"{service_name=\\\"$SERVICE\\\"}\"]"

# span_profile_of SPAN...: sets PROFILED to "span <id> <name>: N ms of CPU samples" for the first span
# ("<id> <name>") whose CPU span profile is not empty; what Grafana's "Profiles for this span" asks.
PROFILED=
span_profile_of() {
  local entry span_id body total
  PROFILED=
  for entry in "$@"; do
    span_id=${entry%% *}
    body="{\"profileTypeID\": \"$CPU\", \"labelSelector\": \"{service_name=\\\"$SERVICE\\\"}\", \"spanSelector\": [\"$span_id\"], $window_ms}"
    if pyroscope SelectMergeSpanProfile "$body"; then
      total=$(num '.flamegraph.total // "0"')
      if [ "$total" != 0 ]; then
        PROFILED="span $entry: $((total / 1000000)) ms of CPU samples"
        return 0
      fi
    fi
  done
  return 1
}

# ---- a service of one's own: traces, span profile ids, profiles, and one non-empty span profile
if [ -n "$OWN" ]; then
  grafana_ok=
  grafana_login && grafana_ok=1
  if [ -n "$grafana_ok" ] && grafana /api/datasources/uid/tempo &&
    [ "$(jq -r '.jsonData.tracesToProfiles.datasourceUid // ""' <<<"$BODY")" = pyroscope ]; then
    pass "grafana: traces-to-profiles link" "the tempo data source links spans to the pyroscope data source"
  elif [ -n "$grafana_ok" ]; then
    fail "grafana: traces-to-profiles link" "the tempo data source has no tracesToProfiles link to pyroscope: $(said)"
  fi

  if traceql "{resource.service.name=\"$SERVICE\"}" 20 && [ "$(num '.traces | length')" -gt 0 ]; then
    pass "tempo: traces of $SERVICE" "$(num '.traces | length') or more, e.g. $(first_trace)"
    traced=1
  else
    traced=
    names=
    if fetch "$TEMPO_URL/api/v2/search/tag/resource.service.name/values"; then
      names=$(jq -r '[.tagValues[]?.value] | join(", ")' <<<"$BODY" 2>/dev/null)
    fi
    if [ -n "$names" ]; then
      fail "tempo: traces of $SERVICE" "none; Tempo has traces of: $names. Wrong name? It is --name (SERVICE_NAME) of run-instrumented.sh"
    else
      fail "tempo: traces of $SERVICE" "no traces at all: does OTEL_EXPORTER_OTLP_ENDPOINT reach Tempo (http://localhost:4318)? Is the sampler dropping them (the production preset keeps a tenth)? Send requests first"
    fi
  fi

  spans=()
  if [ -n "$traced" ]; then
    if traceql "{resource.service.name=\"$SERVICE\" && span.pyroscope.profile.id =~ \".+\"}" 20 && [ "$(num '.traces | length')" -gt 0 ]; then
      pass "tempo: spans with pyroscope.profile.id" "$(num '.traces | length') or more traces, e.g. $(first_trace)"
      # spans long enough to hold samples (100 Hz), whose profiles have been uploaded
      if traceql "{resource.service.name=\"$SERVICE\" && duration > 50ms && span.pyroscope.profile.id =~ \".+\"} | select(name)" 20 "$SETTLED_S"; then
        mapfile -t spans < <(jq -r '.traces[].spanSets[]?.spans[]? | "\(.spanID) \(.name // "?")"' <<<"$BODY" | head -10)
      fi
    else
      fail "tempo: spans with pyroscope.profile.id" "its traces have none: the span-profile extension is not loaded (start the service through run-instrumented.sh, or set OTEL_JAVAAGENT_EXTENSIONS to span-profiles-extension.jar)"
    fi
  fi

  profiled_service=
  if pyroscope LabelValues "{\"name\": \"service_name\", $service_matcher, $window_ms}" &&
    jq -e --arg s "$SERVICE" '.names // [] | index($s)' >/dev/null <<<"$BODY"; then
    pass "pyroscope: profiles of $SERVICE" "service_name $SERVICE"
    profiled_service=1
  else
    names=
    if pyroscope LabelValues "{\"name\": \"service_name\", $window_ms}"; then
      names=$(jq -r '.names // [] | join(", ")' <<<"$BODY")
    fi
    fail "pyroscope: profiles of $SERVICE" "none${names:+; Pyroscope has profiles of: $names}. Does PYROSCOPE_SERVER_ADDRESS reach Pyroscope (http://localhost:4040), and did the profiler start ('Profiling started' in the service's log)?"
  fi

  if [ -n "$profiled_service" ]; then
    if pyroscope LabelValues "{\"name\": \"__profile_type__\", $service_matcher, $window_ms}" &&
      jq -e --arg t "$CPU" '.names // [] | index($t)' >/dev/null <<<"$BODY"; then
      pass "pyroscope: CPU profile of $SERVICE" "profile types: $(jq -r '.names | join(", ")' <<<"$BODY" | head -c 120)"
    else
      fail "pyroscope: CPU profile of $SERVICE" "no CPU profile: $(said)"
    fi
  fi

  if [ -n "$traced" ] && [ -n "$profiled_service" ]; then
    if [ "${#spans[@]}" -eq 0 ]; then
      fail "pyroscope: a span profile is not empty" "no span over 50 ms with pyroscope.profile.id older than 30 s: shorter spans rarely hold a sample at 100 Hz; send requests that take longer"
    elif span_profile_of "${spans[@]}"; then
      pass "pyroscope: a span profile is not empty" "$PROFILED (Profiles for this span works)"
    else
      fail "pyroscope: a span profile is not empty" "no CPU samples for any of ${#spans[@]} spans over 50 ms: samples carry no span ids (is the extension's profiler the one running?), or those spans wait rather than run (I/O): try a CPU-bound request"
    fi
  fi
  summary
fi

# ---- the service itself
if fetch "$SERVICE_URL/health" && jq -e '.status == "UP"' >/dev/null 2>&1 <<<"$BODY"; then
  pass "service: /health" "$BODY"
else
  fail "service: /health" "$(said)"
fi

# ---- Grafana: login, data sources, dashboards, Profiles Drilldown app
grafana_login

for uid in "${DATASOURCES[@]}"; do
  if grafana "/api/datasources/uid/$uid/health" && [ "$(jq -r '.status' <<<"$BODY")" = OK ]; then
    pass "grafana: data source $uid healthy" "$(jq -r '.message' <<<"$BODY" | head -c 120)"
    continue
  fi
  health=$(said)
  # A data source whose plugin has no health API: check that Grafana reaches it through its proxy.
  case "$uid" in
    tempo) probe=/api/echo ;;
    prometheus) probe=/api/v1/status/buildinfo ;;
    *) probe= ;;
  esac
  if [ -n "$probe" ] && grafana "/api/datasources/proxy/uid/$uid$probe"; then
    pass "grafana: data source $uid reachable" "health API said $health; Grafana's proxy reached $probe"
  else
    fail "grafana: data source $uid healthy" "$health"
  fi
done

for uid in "${DASHBOARDS[@]}"; do
  if grafana "/api/dashboards/uid/$uid"; then
    pass "grafana: dashboard $uid" "\"$(jq -r '.dashboard.title' <<<"$BODY")\", provisioned: $(jq -r '.meta.provisioned' <<<"$BODY")"
  else
    fail "grafana: dashboard $uid" "$(said)"
  fi
done

# The app plugins the guide uses, at the versions pinned in .env (docker-compose.yml installs them).
check_app() { # check name, plugin id, its pin's name in .env
  local name=$1 plugin=$2 pinned installed
  pinned=$(sed -n "s/^$3=//p" .env)
  if ! grafana "/api/plugins/$plugin/settings"; then
    fail "$name" "$(said) (Grafana installs $plugin@$pinned on first start; it needs internet access then)"
    return
  fi
  installed=$(jq -r '.info.version // "none"' <<<"$BODY")
  if [ "$installed" = "$pinned" ] && [ "$(jq -r '.enabled' <<<"$BODY")" = true ]; then
    pass "$name" "$plugin $installed (pinned in .env), enabled"
  else
    fail "$name" "$plugin $installed, enabled: $(jq -r '.enabled' <<<"$BODY"); .env pins $pinned ('make clean' and 'make up' reinstall it)"
  fi
}
check_app "grafana: Profiles Drilldown app" grafana-pyroscope-app GRAFANA_PYROSCOPE_APP_VERSION
check_app "grafana: Traces Drilldown app" grafana-exploretraces-app GRAFANA_EXPLORETRACES_APP_VERSION

# ---- Prometheus: the scrape, the service's series, exemplars
if ! promql "up{job=\"$SERVICE\"}"; then
  fail "prometheus: scrape of $SERVICE" "$(said)"
elif [ "$(jq -r '.data.result[0].value[1] // "missing"' <<<"$BODY")" = 1 ]; then
  pass "prometheus: scrape of $SERVICE" "up == 1"
else
  fail "prometheus: scrape of $SERVICE" "up is $(jq -r '.data.result[0].value[1] // "missing"' <<<"$BODY") (see $PROMETHEUS_URL/targets)"
fi

missing=()
for metric in http_server_requests_seconds_bucket jvm_memory_used_bytes process_cpu_usage \
  jvm_gc_memory_allocated_bytes_total workshop_incident_active; do
  promql "count(${metric}{service_name=\"$SERVICE\"})" && [ "$(num '.data.result | length')" -gt 0 ] ||
    missing+=("$metric")
done
if [ "${#missing[@]}" -eq 0 ]; then
  pass "prometheus: service series" "latency histogram, JVM, incident gauge present"
else
  fail "prometheus: service series" "missing: ${missing[*]} (workshop_incident_active appears with the first incident, 60 s after start)"
fi

if promql "count(count by (uri) (http_server_requests_seconds_count{service_name=\"$SERVICE\", uri=~\"/api/.*\"}))" &&
  routes=$(num '.data.result[0].value[1] // "0"') && [ "$routes" -gt 0 ]; then
  pass "prometheus: API routes with requests" "$routes routes"
else
  fail "prometheus: API routes with requests" "none: send the service some requests (docs/stack.md)"
fi

exemplar_traces=()
if fetch -G "$PROMETHEUS_URL/api/v1/query_exemplars" \
  --data-urlencode "query=http_server_requests_seconds_bucket{service_name=\"$SERVICE\"}" \
  --data-urlencode "start=$START_S" --data-urlencode "end=$NOW_S"; then
  mapfile -t exemplar_traces < <(jq -r --argjson settled "$SETTLED_S" \
    '[.data[].exemplars[] | select(.timestamp < $settled) | .labels.trace_id // empty] | unique | .[-5:][]' <<<"$BODY")
  total=$(num '[.data[].exemplars[] | select(.labels.trace_id)] | length')
  if [ "$total" -gt 0 ]; then
    pass "prometheus: exemplars with trace_id" "$total exemplars, e.g. trace_id $(jq -r '[.data[].exemplars[].labels.trace_id // empty][0]' <<<"$BODY")"
  else
    fail "prometheus: exemplars with trace_id" "none (is --enable-feature=exemplar-storage on, and the scrape OpenMetrics?)"
  fi
else
  fail "prometheus: exemplars with trace_id" "$(said)"
fi

# ---- Tempo: traces, the exemplar link, pyroscope.profile.id on spans
found=
for trace_id in "${exemplar_traces[@]}"; do
  if fetch "$TEMPO_URL/api/traces/$trace_id"; then
    found=$trace_id
    break
  fi
done
if [ -n "$found" ]; then
  pass "tempo: an exemplar's trace exists" "trace $found (exemplar → trace link works)"
else
  fail "tempo: an exemplar's trace exists" "none of ${#exemplar_traces[@]} exemplar trace ids (older than 30 s) found in Tempo"
fi

# API requests only: the route is on their server span (scrapes and health checks make no traces,
# but a stack started before that change still has theirs).
if traceql "{resource.service.name=\"$SERVICE\" && span.http.route =~ \"/api/.+\" && span.pyroscope.profile.id =~ \".+\"}" 20 &&
  count=$(num '.traces | length') && [ "$count" -gt 0 ]; then
  pass "tempo: API traces with pyroscope.profile.id" "$count traces, e.g. $(first_trace)"
else
  fail "tempo: API traces with pyroscope.profile.id" "none of an /api route: $(said)"
fi

# Prometheus scrapes every 5 s and Docker checks /health every 5 s: none of it may be traced.
if fetch -G "$TEMPO_URL/api/search" --data-urlencode "q={resource.service.name=\"$SERVICE\" && span.url.path =~ \"/metrics|/health\"}" \
  --data-urlencode "limit=5" --data-urlencode "start=$((NOW_S - 120))" --data-urlencode "end=$NOW_S"; then
  if [ "$(num '.traces | length')" -eq 0 ]; then
    pass "tempo: no traces of /metrics or /health" "none in the last 2 minutes"
  else
    fail "tempo: no traces of /metrics or /health" "$(num '.traces | length') or more in the last 2 minutes: is WORKSHOP_TELEMETRY_UNTRACED_PATHS empty?"
  fi
else
  fail "tempo: no traces of /metrics or /health" "$(said)"
fi

# Child (INTERNAL) spans of the CPU workloads (primes, hashing) that ran long enough to be sampled:
# their ids are on the samples. Not the I/O spans, however long: they wait, so they have (almost) no
# CPU samples, and after an `io` phase they are all the long spans there are.
spans=()
# `| select(name)`: Tempo's search returns the span names only when asked for them.
if traceql "{resource.service.name=\"$SERVICE\" && kind=internal && name =~ \"PrimeCounter[.].+|HashService[.].+\" && duration > 50ms && span.pyroscope.profile.id =~ \".+\"} | select(name)" 20 "$SETTLED_S"; then
  mapfile -t spans < <(jq -r '.traces[].spanSets[]?.spans[]? | "\(.spanID) \(.name // "?")"' <<<"$BODY" | head -10)
fi
if [ "${#spans[@]}" -gt 0 ]; then
  pass "tempo: child spans with pyroscope.profile.id" "${#spans[@]} found, e.g. ${spans[0]}"
else
  fail "tempo: child spans with pyroscope.profile.id" "no primes or hashing span over 50 ms (send /api/primes or /api/hash requests: make traffic SCENARIO=mixed)"
fi

# ---- Pyroscope: the service, its profile types, span names, and span ids on the samples
# Every label query carries the service matcher: without one, Pyroscope 2.2 reads a tenant-wide index
# that exists only after its first compaction (about a minute after start), and answers empty before.
if pyroscope LabelValues "{\"name\": \"service_name\", $service_matcher, $window_ms}" &&
  jq -e --arg s "$SERVICE" '.names // [] | index($s)' >/dev/null <<<"$BODY"; then
  pass "pyroscope: profiles of $SERVICE" "service_name values: $(jq -r '.names | join(", ")' <<<"$BODY")"
else
  fail "pyroscope: profiles of $SERVICE" "$(said)"
fi

if pyroscope LabelValues "{\"name\": \"__profile_type__\", $service_matcher, $window_ms}"; then
  missing=()
  for type in "${PROFILE_TYPES[@]}"; do
    jq -e --arg t "$type" '.names // [] | index($t)' >/dev/null <<<"$BODY" || missing+=("$type")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    pass "pyroscope: CPU, wall, alloc, lock profiles" "all ${#PROFILE_TYPES[@]} profile types present"
  else
    fail "pyroscope: CPU, wall, alloc, lock profiles" "missing: ${missing[*]}"
  fi
else
  fail "pyroscope: CPU, wall, alloc, lock profiles" "$(said)"
fi

if pyroscope LabelValues "{\"name\": \"span_name\", $service_matcher, $window_ms}" &&
  [ "$(num '.names // [] | length')" -gt 0 ]; then
  pass "pyroscope: span_name label" "$(jq -r '.names | join(", ")' <<<"$BODY" | head -c 120)"
else
  fail "pyroscope: span_name label" "no span_name values: $(said)"
fi

# What Grafana's "Profiles for this span" asks: the CPU samples of one span id.
if span_profile_of "${spans[@]}"; then
  pass "pyroscope: CPU samples carry span ids" "$PROFILED (Profiles for this span works)"
else
  fail "pyroscope: CPU samples carry span ids" "no CPU samples for any of ${#spans[@]} child spans from Tempo"
fi

summary
