#!/bin/sh
# demo.sh MATTERFAB: the main job on the embedded example, run by `make demo`.
set -eu
bin=$1
out=demo-out
rm -rf "$out"
mkdir -p "$out"
"$bin" --version
# NVS: build the factory-data partition of the example CSV
"$bin" nvs generate examples/nvs/factory.csv "$out/factory.bin" 0x6000
"$bin" nvs dump "$out/factory.bin"
