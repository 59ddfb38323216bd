#!/usr/bin/env bash
# `make test` on a busy machine: RUNS runs in a row (default 3), each from a fresh clone of this
# repository's HEAD, with BURNERS CPU-bound processes (default 2, `sha256sum /dev/zero`) running
# beside it for the whole run. A suite that passes only on a quiet machine fails here.
#
#   scripts/test-under-load.sh            # or: make test-under-load RUNS=3 BURNERS=2
#
# Only committed work is tested (the clone is of HEAD). Prints each run's result and wall time,
# keeps each run's log under target/test-under-load/, and exits non-zero if any run failed.
# Not part of .ci/run: three full runs under load take about 25 minutes on 2 cores.
set -euo pipefail

runs=${RUNS:-3}
burners=${BURNERS:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
logs=$repo/target/test-under-load
work=$(mktemp -d "${TMPDIR:-/tmp}/test-under-load.XXXXXX")
mkdir -p "$logs"

pids=()
stop_burners() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop_burners EXIT

for _ in $(seq "$burners"); do
  sha256sum /dev/zero >/dev/null &
  pids+=("$!")
done
echo "test-under-load: $burners CPU-bound processes running (pids ${pids[*]}), $runs runs of make test, commit $(git -C "$repo" rev-parse --short HEAD)"

failed=0
for run in $(seq "$runs"); do
  clone=$work/run-$run
  git clone --quiet "$repo" "$clone"
  log=$logs/run-$run.log
  start=$(date +%s)
  if (cd "$clone" && make test) >"$log" 2>&1; then result=passed; else result=FAILED; failed=1; fi
  took=$(( $(date +%s) - start ))
  summary=$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures' "$log" | grep -v ' -- in ' | tr '\n' ';' || true)
  printf 'test-under-load: run %d/%d %s in %dm%02ds  %s  (log: %s)\n' "$run" "$runs" "$result" \
    $((took / 60)) $((took % 60)) "${summary%;}" "$log"
  rm -rf "$clone"
done
exit "$failed"
