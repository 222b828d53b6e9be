#!/usr/bin/env bash
# Measures what packages/cli/README.md "Scale" reports: wall time of `rtk sample --workers 1` vs `--workers 2`, and
# peak RSS of n = 1 000 000 in 2-D with and without `--chunk`. Needs the built CLI (pnpm build) and GNU time.
# Usage: [SAMPLERS='ddpm rtk-mala'] [REPEATS=1] scripts/measure-scale.sh [speed|memory|all] > results.tsv
# (tab-separated rows: wall and CPU seconds, peak RSS, 1-minute load average before and after each run)
set -euo pipefail
cd "$(dirname "$0")/.."
RTK="node dist/bin.js"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
what=${1:-all}
run() { # label, then rtk sample arguments; prints label, wall seconds, peak RSS MB
  local label=$1; shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/time" $RTK sample -q "$@" >/dev/null
  read -r wall user sys rss < "$OUT/time"
  printf '%s\t%s\t%s\t%d\t%s→%s\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$load" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}
SAMPLERS=${SAMPLERS:-ddpm rtk-mala}
REPEATS=${REPEATS:-1}
printf 'run\twall_s\tcpu_s\tpeak_rss_MB\tload_before→after\n'
if [[ $what == speed || $what == all ]]; then
  for sampler in $SAMPLERS; do
    for workers in $(for _ in $(seq "$REPEATS"); do echo 1 2; done); do
      run "speed $sampler n=100000 d=10 nfe=100 workers=$workers" --target paper-mixture --sampler "$sampler" \
        --nfe 100 --n 100000 --seed 0 --workers "$workers" --out "$OUT/s-$workers.npy"
    done
    cmp "$OUT/s-1.npy" "$OUT/s-2.npy"
  done
fi
if [[ $what == memory || $what == all ]]; then
  run "memory ddpm n=16384 d=2 nfe=50 .npy (one batch: the floor)" --target grid-2d --sampler ddpm --nfe 50 \
    --n 16384 --seed 0 --out "$OUT/m-floor.npy"
  for sampler in $SAMPLERS; do
    formats="npy csv"
    [[ $sampler == ddpm ]] || formats=npy
    for format in $formats; do
      run "memory $sampler n=1000000 d=2 nfe=50 .$format whole" --target grid-2d --sampler "$sampler" --nfe 50 \
        --n 1000000 --seed 0 --out "$OUT/m-whole.$format"
      run "memory $sampler n=1000000 d=2 nfe=50 .$format --chunk 50000" --target grid-2d --sampler "$sampler" \
        --nfe 50 --n 1000000 --seed 0 --chunk 50000 --out "$OUT/m-chunk.$format"
      cmp "$OUT/m-whole.$format" "$OUT/m-chunk.$format"
    done
  done
fi
