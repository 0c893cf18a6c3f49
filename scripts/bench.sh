#!/bin/sh
# bench.sh BENCH_DIR: run every benchmark built in BENCH_DIR, in name order.
set -eu
dir=$1
found=0
for b in "$dir"/bench_*; do
    [ -x "$b" ] || continue
    found=1
    echo "== $(basename "$b")"
    "$b"
done
[ "$found" = 1 ] || echo "no benchmarks built"
