#!/usr/bin/env bash
# Starts a JVM service with its agents: the OpenTelemetry Java agent (traces) and the kit's
# span-profile extension of it (../extension), which starts the Pyroscope profiler it bundles (CPU,
# allocation, lock and optionally wall-clock profiles) and puts span ids on the samples and
# pyroscope.profile.id on the spans. One -javaagent in all.
#
# The one place where the agents' flags are set: `make run`, `make instrument`, the integration
# tests and the container all start their service through this script. Every setting is an
# environment variable with a default below; see docs/configuration.md, "Telemetry settings", and
# docs/own-service.md, "Instrument your own service".
#
#   run-instrumented.sh [ARGS...]                       the workshop service; ARGS go to it
#   run-instrumented.sh --name NAME --jar APP.jar [ARGS...]
#   run-instrumented.sh --name NAME --main CLASS --cp CLASSPATH [ARGS...]
#   run-instrumented.sh --name NAME -- JAVA [JVM OPTIONS...] (-jar APP.jar | CLASS) [ARGS...]
#
# Options (before the service's arguments): --name (SERVICE_NAME), --env (APP_ENV), --version
# (APP_VERSION), --preset (TELEMETRY_PRESET: workshop or production). Credentials are read by the
# agents from the environment and never expanded here (docs/own-service.md, "Remote and authenticated backends").
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
agents=${AGENTS_DIR:-$here/target/agents}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

usage() {
  sed -n '11,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}
fail() {
  echo "run-instrumented: $*" >&2
  exit 2
}

# What to start: the workshop service (no --jar, --main or --), or the caller's service.
app=workshop app_jar= app_main= app_cp= app_cmd=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) [ $# -ge 2 ] || usage; app=jar; app_jar=$2; shift 2 ;;
    --main) [ $# -ge 2 ] || usage; app=main; app_main=$2; shift 2 ;;
    --cp|--classpath) [ $# -ge 2 ] || usage; app_cp=$2; shift 2 ;;
    --name) [ $# -ge 2 ] || usage; export SERVICE_NAME=$2; shift 2 ;;
    --env) [ $# -ge 2 ] || usage; export APP_ENV=$2; shift 2 ;;
    --version) [ $# -ge 2 ] || usage; export APP_VERSION=$2; shift 2 ;;
    --preset) [ $# -ge 2 ] || usage; export TELEMETRY_PRESET=$2; shift 2 ;;
    --help|-h) usage 0 ;;
    --) shift; [ $# -ge 1 ] || usage; app=command; app_cmd=("$@"); set --; break ;;
    *) break ;;
  esac
done
# Credentials in an address would be printed by the agents (and by `bash -x` here): refused
# before any line below expands one (docs/own-service.md, "Remote and authenticated backends").
check_no_credentials() {
  local -
  set +x
  local name=$1 value=${!1:-}
  case "$value" in
    *://*@*) fail "$name has credentials in it (user:password@); use the agents' credential variables (docs/own-service.md, \"Remote and authenticated backends\")" ;;
  esac
}
check_no_credentials OTEL_EXPORTER_OTLP_ENDPOINT
check_no_credentials OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
check_no_credentials PYROSCOPE_SERVER_ADDRESS
if (set +x; printf '%s' "${PYROSCOPE_HTTP_HEADERS:-}" | grep -qi 'authorization\|token\|secret\|password\|api.key'); then
  fail "PYROSCOPE_HTTP_HEADERS looks like it carries a credential, which the Pyroscope agent prints in its log; use PYROSCOPE_BASIC_AUTH_USER/PASSWORD or PYROSCOPE_AUTH_TOKEN"
fi
case "$app" in
  workshop) jar=${SERVICE_JAR:-$here/target/workshop-service-1.0.0.jar}; required=("$jar") ;;
  jar) [ -f "$app_jar" ] || fail "$app_jar is missing"; required=() ;;
  main) [ -n "$app_cp" ] || fail "--main needs --cp CLASSPATH"; required=() ;;
  command) required=() ;;
esac
[ "$app" = workshop ] || [ -n "${SERVICE_NAME:-}" ] || fail "name your service: --name NAME (or SERVICE_NAME); it is service.name on traces and the application on profiles"
for f in "${required[@]}" "$here/agent-jit-directives.json" "$agents/opentelemetry-javaagent.jar" "$agents/pyroscope.jar" "$agents/span-profiles-extension.jar"; do
  [ -f "$f" ] || { echo "run-instrumented: $f is missing; build first (make build)" >&2; exit 1; }
done

# The preset: workshop (default: every trace, wall clock, uploads every 10 s, what the lessons
# need) or production (a tenth of the traces, no wall clock, uploads every 30 s; measured in
# bench/README.md, "The production preset"). Each value below is only a default: a variable set by
# the caller wins over the preset.
case "${TELEMETRY_PRESET:-workshop}" in
  workshop)
    preset_sampler=parentbased_always_on preset_sampler_arg=
    preset_wall=on preset_alloc=512k preset_lock=10ms preset_upload=10s ;;
  production)
    preset_sampler=parentbased_traceidratio preset_sampler_arg=0.1
    preset_wall=off preset_alloc=2m preset_lock=10ms preset_upload=30s ;;
  *) fail "TELEMETRY_PRESET must be workshop or production" ;;
esac
export TELEMETRY_PRESET=${TELEMETRY_PRESET:-workshop}

# One service name and the workshop's tags, on metrics, traces and profiles alike. A service of
# yours names itself (--name) and has the env and version tags only when given.
if [ "$app" = workshop ]; then
  export SERVICE_NAME=${SERVICE_NAME:-workshop-service}
  export APP_ENV=${APP_ENV:-workshop}
  export APP_VERSION=${APP_VERSION:-1.0.0}
fi
tags=()
[ -z "${APP_ENV:-}" ] || tags+=("env=$APP_ENV")
[ -z "${APP_VERSION:-}" ] || tags+=("version=$APP_VERSION")

# Traces: OTLP over HTTP (protobuf) to Tempo; the agent's metrics and logs exporters are off
# (metrics come from Micrometer's /metrics, and Tempo takes traces only).
# OTEL_METRICS_EXPORTER=otlp sends the agent's metrics to an OTLP endpoint instead (docs/own-service.md,
# "Remote and authenticated backends"); OTEL_RESOURCE_ATTRIBUTES of the caller are kept.
export OTEL_SERVICE_NAME=$SERVICE_NAME
resource=()
[ -z "${APP_ENV:-}" ] || resource+=("deployment.environment.name=$APP_ENV")
[ -z "${APP_VERSION:-}" ] || resource+=("service.version=$APP_VERSION")
[ -z "${OTEL_RESOURCE_ATTRIBUTES:-}" ] || resource+=("$OTEL_RESOURCE_ATTRIBUTES")
OTEL_RESOURCE_ATTRIBUTES=$(IFS=,; echo "${resource[*]}")
export OTEL_RESOURCE_ATTRIBUTES
export OTEL_EXPORTER_OTLP_ENDPOINT=${OTEL_EXPORTER_OTLP_ENDPOINT:-http://localhost:4318}
export OTEL_EXPORTER_OTLP_PROTOCOL=${OTEL_EXPORTER_OTLP_PROTOCOL:-http/protobuf}
export OTEL_TRACES_EXPORTER=otlp
export OTEL_METRICS_EXPORTER=${OTEL_METRICS_EXPORTER:-none}
export OTEL_LOGS_EXPORTER=${OTEL_LOGS_EXPORTER:-none}

# Trace sampling, from the preset: parent-based, so a trace is kept or dropped as a whole across
# services (and the workshop's untraced paths below, whose parent is "not sampled", stay out in
# both presets); production keeps a tenth of the traces (OTEL_TRACES_SAMPLER_ARG), and only those
# requests carry exemplars and span ids on their profile samples (docs/configuration.md, "The production preset").
export OTEL_TRACES_SAMPLER=${OTEL_TRACES_SAMPLER:-$preset_sampler}
if [ -n "${OTEL_TRACES_SAMPLER_ARG:-$preset_sampler_arg}" ]; then
  export OTEL_TRACES_SAMPLER_ARG=${OTEL_TRACES_SAMPLER_ARG:-$preset_sampler_arg}
fi
# Only the instrumentations this service uses: Netty (the server span), executors (the trace
# context follows the request to the worker thread), @WithSpan, and the API bridge (the route
# name filter, the metrics' exemplars). The agent's other instrumentations cost start-up time and
# memory for libraries the service does not have (docs/cost.md, "What the instrumentation costs").
# OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED=true brings them all back; a service of yours gets
# them all by default (the agent cannot know which libraries it uses).
[ "$app" = workshop ] && all_instrumentations=false || all_instrumentations=true
export OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED=${OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED:-$all_instrumentations}
export OTEL_INSTRUMENTATION_NETTY_ENABLED=true
export OTEL_INSTRUMENTATION_EXECUTORS_ENABLED=true
export OTEL_INSTRUMENTATION_OPENTELEMETRY_INSTRUMENTATION_ANNOTATIONS_ENABLED=true
export OTEL_INSTRUMENTATION_OPENTELEMETRY_API_ENABLED=true

# Prometheus scrapes (/metrics, every 5 s) and health checks (/health) make no traces: Tempo's search
# and `make check` show the workshop's requests, not the stack's own polling. The agent can exclude
# paths only with its declarative config file, and with that file it skips the Pyroscope extension
# (no span profiles); so the service marks these requests "parent not sampled" before the agent's
# Netty handler sees them, and the agent's default parent-based sampler drops them (UntracedPaths).
# A comma-separated list of paths; empty traces every request.
export WORKSHOP_TELEMETRY_UNTRACED_PATHS=${WORKSHOP_TELEMETRY_UNTRACED_PATHS-/metrics,/health}

# Span profiles (the extension's package documentation): samples carry the span of the context that
# is current on their thread, on the request thread and on the executor threads the agent carries
# the context to. A service of yours gets root spans only: every sample of a request carries its
# server span's id, before, between and after child spans, so "Profiles for this span" on the server
# span shows the whole request. The workshop service labels every span, innermost first: its
# lessons filter profiles by the workload's own spans (span_name), e.g. the I/O span.
[ "$app" = workshop ] && root_span_only=false || root_span_only=true
export OTEL_JAVAAGENT_EXTENSIONS=$agents/span-profiles-extension.jar
export OTEL_PYROSCOPE_START_PROFILING=true
export OTEL_PYROSCOPE_ROOT_SPAN_ONLY=${OTEL_PYROSCOPE_ROOT_SPAN_ONLY:-$root_span_only}
export OTEL_PYROSCOPE_ADD_SPAN_NAME=true

# Profiles: CPU at 100 Hz, allocations every 512 KiB (production: 2 MiB), lock waits every 10 ms,
# uploaded every 10 s (production: 30 s). PYROSCOPE_LABELS of the caller are kept.
export PYROSCOPE_APPLICATION_NAME=$SERVICE_NAME
export PYROSCOPE_SERVER_ADDRESS=${PYROSCOPE_SERVER_ADDRESS:-http://localhost:4040}
[ -z "${PYROSCOPE_LABELS:-}" ] || tags+=("$PYROSCOPE_LABELS")
PYROSCOPE_LABELS=$(IFS=,; echo "${tags[*]}")
if [ -n "$PYROSCOPE_LABELS" ]; then export PYROSCOPE_LABELS; else unset PYROSCOPE_LABELS; fi
export PYROSCOPE_FORMAT=jfr
export PYROSCOPE_PROFILER_EVENT=${PYROSCOPE_PROFILER_EVENT:-itimer}
export PYROSCOPE_PROFILING_INTERVAL=${PYROSCOPE_PROFILING_INTERVAL:-10ms}
export PYROSCOPE_PROFILER_ALLOC=${PYROSCOPE_PROFILER_ALLOC:-$preset_alloc}
export PYROSCOPE_PROFILER_LOCK=${PYROSCOPE_PROFILER_LOCK:-$preset_lock}
export PYROSCOPE_UPLOAD_INTERVAL=${PYROSCOPE_UPLOAD_INTERVAL:-$preset_upload}
export PYROSCOPE_LOG_LEVEL=${PYROSCOPE_LOG_LEVEL:-info}
# Uploads gzipped at the strongest level (the agent's default is the fastest): 13% fewer bytes
# for about 10 ms more CPU per 10 s upload (bench/README.md).
export PYROSCOPE_EXPORT_COMPRESSION_LEVEL_JFR=${PYROSCOPE_EXPORT_COMPRESSION_LEVEL_JFR:-BEST_COMPRESSION}
export PYROSCOPE_EXPORT_COMPRESSION_LEVEL_LABELS=${PYROSCOPE_EXPORT_COMPRESSION_LEVEL_LABELS:-BEST_COMPRESSION}
# Wall-clock samples (what threads wait on, not only what burns CPU), next to the CPU samples.
# On in the workshop preset, off in production: measured here it added no CPU per request within
# noise, but idle CPU and about +37% profile upload bytes (docs/configuration.md, "Telemetry settings").
if [ "${PROFILING_WALL_CLOCK:-$preset_wall}" = "on" ]; then
  export PYROSCOPE_AP_EXTRA_ARGUMENTS="wall=${PROFILING_WALL_INTERVAL:-20ms}${PYROSCOPE_AP_EXTRA_ARGUMENTS:+,$PYROSCOPE_AP_EXTRA_ARGUMENTS}"
fi

# INSTRUMENTATION picks the agents: full (default: the OpenTelemetry agent with the span-profile
# extension, which starts the profiler), traces (OpenTelemetry agent only), profiles (Pyroscope agent
# only), none (no agent; the benchmark's baseline).
case "${INSTRUMENTATION:-full}" in
  full) agent_flags=(-javaagent:"$agents/opentelemetry-javaagent.jar") ;;
  traces) unset OTEL_JAVAAGENT_EXTENSIONS; agent_flags=(-javaagent:"$agents/opentelemetry-javaagent.jar") ;;
  profiles) agent_flags=(-javaagent:"$agents/pyroscope.jar") ;;
  none) agent_flags=() ;;
  *) echo "run-instrumented: INSTRUMENTATION must be full, traces, profiles or none" >&2; exit 2 ;;
esac

# java_major JAVA: the Java feature version (8, 11, 17, 25...) of that java command, read from its
# home's release file (no JVM started), or else asked of the JVM; empty if neither answers.
java_major() {
  local bin version=
  bin=$(command -v "$1" 2>/dev/null) || return 0
  bin=$(readlink -f "$bin")
  if [ -r "${bin%/bin/*}/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "${bin%/bin/*}/release")
  fi
  [ -n "$version" ] || version=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  version=${version#1.}
  echo "${version%%.*}"
}
# The JVM's version decides the options it takes: an older JVM refuses an option it does not know.
if [ "$app" = command ]; then java_version=$(java_major "${app_cmd[0]}"); else java_version=$(java_major "$java"); fi

# The OpenTelemetry agent's start-up code (ByteBuddy, ASM, the agent's matchers) runs hot while
# the classes load and hardly ever after; left to the JIT, C2 spends seconds of CPU optimising it
# and takes a core from the start-up on a small machine. agent-jit-directives.json keeps C2 off
# those packages (C1 still compiles them; the per-request code of the agent and the service is
# untouched). Measured here (2 cores): start-up -0.25 to -0.4 s and -1.5 s of CPU, throughput
# unchanged within noise (bench/README.md). AGENT_JIT_DIRECTIVES=off leaves the JIT alone.
jit_flags=()
case "${INSTRUMENTATION:-full}" in
  full|traces)
    case "${AGENT_JIT_DIRECTIVES:-on}" in
      # compiler directives files exist from Java 9 on
      on) [ "${java_version:-9}" -lt 9 ] || jit_flags=(-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile="$here/agent-jit-directives.json") ;;
      off) ;;
      *) echo "run-instrumented: AGENT_JIT_DIRECTIVES must be on or off" >&2; exit 2 ;;
    esac ;;
esac

# Remote and authenticated backends (docs/own-service.md, "Remote and authenticated backends"). The agents
# read their credentials from the environment themselves: OTEL_EXPORTER_OTLP_HEADERS (or
# OTEL_EXPORTER_OTLP_TRACES_HEADERS) for traces; PYROSCOPE_BASIC_AUTH_USER and
# PYROSCOPE_BASIC_AUTH_PASSWORD, or PYROSCOPE_AUTH_TOKEN, and PYROSCOPE_TENANT_ID for profiles.
# This script looks at them only with xtrace off (so `bash -x` cannot print them). It refuses credentials
# where an agent would print them: in an address (user:password@host; the Pyroscope agent logs its
# server address) or in PYROSCOPE_HTTP_HEADERS (the agent logs those in its configuration).
# TELEMETRY_TRUSTSTORE: a PKCS12 trust store (no password needed) with the CA of a backend whose
# certificate the JVM does not trust; it is the whole JVM's trust store, the service's calls too
# (for traces alone, OTEL_EXPORTER_OTLP_CERTIFICATE takes a PEM file instead).
tls_flags=()
if [ -n "${TELEMETRY_TRUSTSTORE:-}" ]; then
  [ -f "$TELEMETRY_TRUSTSTORE" ] || fail "TELEMETRY_TRUSTSTORE=$TELEMETRY_TRUSTSTORE is missing"
  tls_flags=(-Djavax.net.ssl.trustStore="$TELEMETRY_TRUSTSTORE" -Djavax.net.ssl.trustStoreType="${TELEMETRY_TRUSTSTORE_TYPE:-PKCS12}")
fi

# One line on what starts and where it sends: addresses without their query, credentials only
# as "set" (their names, never their values). LAUNCHER_QUIET=true leaves it out.
if [ "${LAUNCHER_QUIET:-false}" != true ]; then
  (
    set +x
    address() { local a=${1%%\?*}; echo "${a%/}"; }
    auth=()
    [ -z "${OTEL_EXPORTER_OTLP_HEADERS:-}${OTEL_EXPORTER_OTLP_TRACES_HEADERS:-}" ] || auth+=("OTLP headers set")
    [ -z "${PYROSCOPE_BASIC_AUTH_USER:-}" ] || auth+=("Pyroscope basic auth set")
    [ -z "${PYROSCOPE_AUTH_TOKEN:-}" ] || auth+=("Pyroscope token set")
    [ -z "${PYROSCOPE_TENANT_ID:-}" ] || auth+=("tenant set")
    [ ${#auth[@]} -gt 0 ] || auth=("none")
    echo "run-instrumented: $SERVICE_NAME${tags[0]:+ (${PYROSCOPE_LABELS:-})}, ${TELEMETRY_PRESET} preset, agents ${INSTRUMENTATION:-full}:" \
      "traces to $(address "${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-$OTEL_EXPORTER_OTLP_ENDPOINT}")" \
      "(sampler $OTEL_TRACES_SAMPLER${OTEL_TRACES_SAMPLER_ARG:+ $OTEL_TRACES_SAMPLER_ARG}), profiles to $(address "$PYROSCOPE_SERVER_ADDRESS")" \
      "every $PYROSCOPE_UPLOAD_INTERVAL; credentials: $(IFS=,; echo "${auth[*]}" | sed 's/,/, /g')" >&2
  )
fi

# ---- What the agents print (AGENT_LOG), and how long they hold up a stop ----------------------
# quiet (default): a backend that does not answer gets one line when it stops answering and one
# when it answers again (a TCP probe every BACKEND_PROBE_INTERVAL seconds, default 10), instead of
# an error, and for traces a stack trace, per failed export. Dropped from the agents' output: failed
# connections of their exporters (an HTTP error status still shows), the Pyroscope agent's
# configuration dump, which it prints at DEBUG before it reads PYROSCOPE_LOG_LEVEL, and the JVM's
# notice that class sharing covers only the boot loader once an agent appends to its class path.
# verbose: everything the agents and the JVM print, unfiltered (docs/configuration.md, "Telemetry settings").
case "${AGENT_LOG:-quiet}" in
  quiet|verbose) ;;
  *) echo "run-instrumented: AGENT_LOG must be quiet or verbose" >&2; exit 2 ;;
esac

# Stopping waits for the last batch of spans. With the trace backend down, the exporter retries it
# for about 8 s (5 attempts, backoff from 1 s); the batch processor stops waiting after
# OTEL_BSP_EXPORT_TIMEOUT and the exporter's shutdown cancels the retries. While running, the
# timeout only ends the wait, not the export: a slow backend still gets every batch.
export OTEL_BSP_EXPORT_TIMEOUT=${OTEL_BSP_EXPORT_TIMEOUT:-1000}

# watch_backend WHAT URL SETTING CONSEQUENCE: prints a line when nothing answers at URL, and one when
# it answers again, while this process (java, after the exec below) runs.
watch_backend() {
  local what=$1 url=$2 setting=$3 consequence=$4 launcher=$$ hostport host port state=up
  hostport=${url#*://}
  hostport=${hostport%%/*}
  host=${hostport%:*}
  port=${hostport##*:}
  [ "$port" != "$hostport" ] || { [ "${url%%://*}" = https ] && port=443 || port=80; }
  while kill -0 "$launcher" 2>/dev/null; do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      [ "$state" = up ] || echo "run-instrumented: $what: $url answers again" >&2
      state=up
    else
      [ "$state" = down ] || echo "run-instrumented: $what: nothing answers at $url ($setting); $consequence until it does. 'make up' starts the stack; AGENT_LOG=verbose shows every failed export." >&2
      state=down
    fi
    sleep "${BACKEND_PROBE_INTERVAL:-10}"
  done
}

# The agents' stderr without what quiet drops (see above), line by line as it comes. Ctrl-C and
# SIGTERM are for the JVM: the filter ends when the JVM closes its stderr.
quiet_agent_output() {
  trap '' INT TERM
  local line skipping= debug=
  case "${PYROSCOPE_LOG_LEVEL:-}" in [Dd][Ee][Bb][Uu][Gg]) debug=1 ;; esac
  local otel_failed='^\[otel\.javaagent [^]]*\] \[[^]]*\] [A-Z]+ io\.opentelemetry\.exporter\.[A-Za-z.]*HttpExporter - (Failed to export .*The request could not be executed|Too many log messages)'
  local stack_trace=$'^(\t|Caused by: |[A-Za-z0-9_.$]+(Exception|Error)(: |$))'
  local pyroscope_failed='^[0-9-]+ [0-9:.]+ \[ERROR\] (Error uploading snapshot: [^0-9]|Gave up uploading profiling snapshot)'
  local pyroscope_debug='^[0-9-]+ [0-9:.]+ \[DEBUG\] '
  local class_sharing='VM warning: Sharing is only supported for boot loader classes because bootstrap classpath has been appended'
  # each agent's line that it started: the launcher's own line has said so (verbose keeps them)
  local started='^(\[otel\.javaagent [^]]*\] \[main\] INFO io\.opentelemetry\.javaagent\.tooling\.VersionLogger - |[0-9-]+ [0-9:.]+ \[INFO\] Profiling started$)'
  while IFS= read -r line || [ -n "$line" ]; do
    if [ -n "$skipping" ] && [[ $line =~ $stack_trace ]]; then continue; fi
    skipping=
    if [[ $line =~ $otel_failed ]]; then skipping=1; continue; fi
    [[ $line =~ $pyroscope_failed || $line =~ $started || $line == *"$class_sharing"* ]] && continue
    [ -z "$debug" ] && [[ $line =~ $pyroscope_debug ]] && continue
    printf '%s\n' "$line"
  done
}

# JDK 22 and later warn (4 lines) when the profiler loads async-profiler's native library unless
# native access is enabled; Java 11 and older refuse the option, so only a JVM that needs it gets it.
case "${INSTRUMENTATION:-full}" in
  full|profiles) [ "${java_version:-0}" -lt 22 ] || agent_flags=(--enable-native-access=ALL-UNNAMED "${agent_flags[@]}") ;;
esac

# The Pyroscope agent copies async-profiler's library (600 KB) into a directory of its own under the
# JVM's temp dir, <user>-pyroscope<random>, and never removes it: one more per start. Those of JVMs
# that are gone (no live process has the library mapped; older than a minute, so that one starting
# right now keeps its own) are removed here. Linux only (/proc); anywhere else they stay.
remove_profiler_copies() {
  local tmp=/tmp dir opt
  for opt in ${JAVA_OPTS:-}; do
    case "$opt" in -Djava.io.tmpdir=*) tmp=${opt#-Djava.io.tmpdir=} ;; esac
  done
  [ -r /proc/self/maps ] || return 0
  local prefix
  prefix="$(id -un 2>/dev/null || echo "${USER:-}")-pyroscope"
  local mapped
  mapped=$(cat /proc/[0-9]*/maps 2>/dev/null | grep -o "$tmp/$prefix[^/ ]*" | sort -u) || true
  while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    grep -qxF "$dir" <<<"$mapped" || rm -rf -- "$dir"
  done < <(find "$tmp" -maxdepth 1 -type d -name "$prefix*" -mmin +1 2>/dev/null)
}
case "${INSTRUMENTATION:-full}" in
  full|profiles) remove_profiler_copies ;;
esac

if [ "${#agent_flags[@]}" -gt 0 ]; then
  case "${INSTRUMENTATION:-full}" in
    full|traces) watch_backend traces "$OTEL_EXPORTER_OTLP_ENDPOINT" OTEL_EXPORTER_OTLP_ENDPOINT "spans are dropped" & ;;
  esac
  case "${INSTRUMENTATION:-full}" in
    full|profiles) watch_backend profiles "$PYROSCOPE_SERVER_ADDRESS" PYROSCOPE_SERVER_ADDRESS "profiles are dropped" & ;;
  esac
  if [ "${AGENT_LOG:-quiet}" = quiet ]; then
    exec 2> >(quiet_agent_output >&2)
  fi
fi
# ----------------------------------------------------------------------------------------------

# JAVA_OPTS is split on spaces on purpose; it comes after the JIT flags, so it can override them.
# A whole java command (--) gets the same flags right after its java, before its own options.
# shellcheck disable=SC2086
case "$app" in
  workshop) exec "$java" "${jit_flags[@]}" "${tls_flags[@]}" ${JAVA_OPTS:-} "${agent_flags[@]}" -jar "$jar" "$@" ;;
  jar) exec "$java" "${jit_flags[@]}" "${tls_flags[@]}" ${JAVA_OPTS:-} "${agent_flags[@]}" -jar "$app_jar" "$@" ;;
  main) exec "$java" "${jit_flags[@]}" "${tls_flags[@]}" ${JAVA_OPTS:-} "${agent_flags[@]}" -cp "$app_cp" "$app_main" "$@" ;;
  command) exec "${app_cmd[0]}" "${jit_flags[@]}" "${tls_flags[@]}" ${JAVA_OPTS:-} "${agent_flags[@]}" "${app_cmd[@]:1}" ;;
esac
