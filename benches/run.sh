#!/usr/bin/env bash
# Measures plancheck against the floor (walk, read every file of the project, parse every
# plan fully with pulldown-cmark, on every core) on generated corpora, and prints the ratio,
# files/s, MB/s and peak memory, then the time to check one plan of the project. The two
# sides take turns, and are timed alike: each as a whole process, start and exit included.
# Usage: benches/run.sh [PLANS...]   (default: 10000 100000)
# DETAIL=full measures the full-detail corpus (plans with prose, task files in the upstream
# shape: 84 MB at 10,000 plans, the size of issue 5's project) instead of the lean one.
# Needs /usr/bin/time (Debian package `time`); corpora go to ${BENCH_DIR:-/tmp/plancheck-bench}.
# The language server's typing latency is benches/server.rs's (its first lines tell how to
# run it; BENCHMARKS.md, "The language server: typing latency").
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000}")
[ $# -eq 0 ] && sizes=(10000 100000)
dir=${BENCH_DIR:-/tmp/plancheck-bench}
runs=${RUNS:-5}
cargo build --release --quiet --bin plancheck --example corpus --example floor
bin=target/release
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
echo "plancheck $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command as a whole process, as the floor and plancheck alike are timed: sets TIMED
# to its wall time in seconds (from the clock around it, in nanoseconds; /usr/bin/time's own
# is in steps of 10 ms), its user and system CPU seconds and its peak memory in KB.
stats=$(mktemp)
trap 'rm -f "$stats"' EXIT
timed() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -o "$stats" -f '%U %S %M' "$@" || true
  end=$(date +%s%N)
  TIMED="$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.4f", (e - s) / 1e9}') $(tail -1 "$stats")"
}

for n in "${sizes[@]}"; do
  if [ "${DETAIL:-lean}" = full ]; then
    corpus="$dir/$n-full"
    [ -d "$corpus" ] || "$bin/examples/corpus" "$corpus" "$n" 1 10 --full >/dev/null
  else
    corpus="$dir/$n"
    [ -d "$corpus" ] || "$bin/examples/corpus" "$corpus" "$n" 1 10 >/dev/null
  fi
  all_bytes=$(find "$corpus" -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  bytes=$(find "$corpus" -name '*.md' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  # Warm the page cache once, so both sides read from memory. The two sides take turns, so
  # a shared machine's changing load falls on both alike.
  "$bin/examples/floor" "$corpus" >/dev/null
  floors=(); walls=(); cpus=(); floor_cpus=()
  for _ in $(seq "$runs"); do
    timed "$bin/examples/floor" "$corpus" >/dev/null
    floors+=("$(cut -d' ' -f1 <<<"$TIMED")")
    floor_cpus+=("$(awk '{print $2 + $3}' <<<"$TIMED")")
    floor_rss=$(cut -d' ' -f4 <<<"$TIMED")
    timed "$bin/plancheck" --today 2026-01-01 --format json "$corpus" >"$dir/report-$(basename "$corpus").json"
    walls+=("$(cut -d' ' -f1,4 <<<"$TIMED")")
    cpus+=("$(awk '{print $2 + $3}' <<<"$TIMED")")
  done
  floor=$(printf '%s\n' "${floors[@]}" | median)
  floor_cpu=$(printf '%s\n' "${floor_cpus[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  wall=$(printf '%s\n' "${walls[@]}" | cut -d' ' -f1 | median)
  rss=$(printf '%s\n' "${walls[@]}" | cut -d' ' -f2 | sort -n | tail -1)
  awk -v n="$n" -v b="$bytes" -v f="$floor" -v w="$wall" -v r="$rss" -v fr="$floor_rss" \
      -v c="$cpu" -v fc="$floor_cpu" -v ab="$all_bytes" 'BEGIN {
    printf "%d plans, %.1f MB of plans (%.1f MB in all): plancheck %.3f s (%.0f files/s, %.1f MB/s, peak %.1f MiB, %.2f s of CPU); floor %.3f s (peak %.1f MiB, %.2f s of CPU); ratio %.2f (CPU %.2f)\n",
      n, b/1e6, ab/1e6, w, n/w, b/1e6/w, r/1024, c, f, fr/1024, fc, w/f, c/fc }'
  # The pre-commit case: one plan named, checked against the whole project.
  # Its floor: the same walk and read of every file, and the parse of that one plan.
  one="$corpus/projectManagement/Implementations/active/M01-v1-feature-1.md"
  ones=(); one_floors=()
  for _ in $(seq "$runs"); do
    timed "$bin/examples/floor" "$corpus" --only "$one" >/dev/null
    one_floors+=("$(cut -d' ' -f1 <<<"$TIMED")")
    timed "$bin/plancheck" --today 2026-01-01 --format json "$one" >/dev/null
    ones+=("$(cut -d' ' -f1,4 <<<"$TIMED")")
  done
  one_wall=$(printf '%s\n' "${ones[@]}" | cut -d' ' -f1 | median)
  one_rss=$(printf '%s\n' "${ones[@]}" | cut -d' ' -f2 | sort -n | tail -1)
  one_floor=$(printf '%s\n' "${one_floors[@]}" | median)
  awk -v w="$one_wall" -v r="$one_rss" -v f="$one_floor" 'BEGIN {
    printf "  one plan of the project: %.3f s, peak %.1f MiB; its floor (read every file, parse the plan) %.3f s; ratio %.2f\n", w, r/1024, f, w/f }'
done
