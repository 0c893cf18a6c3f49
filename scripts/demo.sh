#!/bin/sh
# demo.sh MATTERFAB: the main job on the embedded example, run by `make demo`.
set -eu
bin=$1
out=demo-out
rm -rf "$out"
mkdir -p "$out"
"$bin" --version
