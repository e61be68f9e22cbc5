#!/usr/bin/env bash
# Measures plancheck against the floor (walk + read + full pulldown-cmark parse of every
# plan, on every core) on generated corpora, and prints the ratio, files/s, MB/s and peak
# memory. Usage: benches/run.sh [PLANS...]   (default: 10000 100000)
# Needs /usr/bin/time (Debian package `time`); corpora go to ${BENCH_DIR:-/tmp/plancheck-bench}.
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

for n in "${sizes[@]}"; do
  corpus="$dir/$n"
  if [ ! -d "$corpus" ]; then
    "$bin/examples/corpus" "$corpus" "$n" 1 10 >/dev/null
  fi
  bytes=$(find "$corpus" -name '*.md' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  # Warm the page cache once, so both sides read from memory.
  "$bin/examples/floor" "$corpus" >/dev/null
  floor=$(for _ in $(seq "$runs"); do "$bin/examples/floor" "$corpus" | sed 's/.*seconds=//'; done | median)
  floor_rss=$( { /usr/bin/time -f '%M' "$bin/examples/floor" "$corpus" >/dev/null; } 2>&1 | tail -1)
  walls=()
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -f '%e %M' "$bin/plancheck" --today 2026-01-01 --format json "$corpus" >"$dir/report-$n.json"; } 2>&1 | tail -1) || true
    walls+=("$out")
  done
  wall=$(printf '%s\n' "${walls[@]}" | cut -d' ' -f1 | median)
  rss=$(printf '%s\n' "${walls[@]}" | cut -d' ' -f2 | sort -n | tail -1)
  awk -v n="$n" -v b="$bytes" -v f="$floor" -v w="$wall" -v r="$rss" -v fr="$floor_rss" 'BEGIN {
    printf "%d plans, %.1f MB: plancheck %.3f s (%.0f files/s, %.1f MB/s, peak %.1f MiB); floor %.3f s (peak %.1f MiB); ratio %.2f\n",
      n, b/1e6, w, n/w, b/1e6/w, r/1024, f, fr/1024, w/f }'
done
