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

# Mass manufacturing on a self-made test PKI, all made by matterfab:
# PAA, PAI, a CD signing certificate and a CD; then 100 devices, each
# checked before it is written (--verify) and again from its files.
pki=$out/pki
mkdir -p "$pki"
"$bin" pki gen-paa -c "Demo PAA" -V FFF1 -l 3650 -O "$pki/paa-key.pem" \
    -o "$pki/paa.pem"
"$bin" pki gen-pai -c "Demo PAI" -V FFF1 -P 8000 -C "$pki/paa.pem" \
    -K "$pki/paa-key.pem" -l 3650 -O "$pki/pai-key.pem" -o "$pki/pai.pem"
"$bin" pki gen-paa -c "Demo CD Signer" -l 3650 -O "$pki/cd-key.pem" \
    -o "$pki/cd-signer.pem"
"$bin" cd generate -K "$pki/cd-key.pem" -C "$pki/cd-signer.pem" \
    -O "$pki/cd.der" -V FFF1 -p 8000 -d 0x100 -c ZIG20142ZB330003-24 -n 1
"$bin" generate -n 100 -v 0xFFF1 -p 0x8000 --pai -c "$pki/pai.pem" \
    -k "$pki/pai-key.pem" -cd "$pki/cd.der" --cd-cert "$pki/cd-signer.pem" \
    --vendor-name Demo --product-name Lamp \
    --verify --verify-paa "$pki/paa.pem" --outdir "$out/factory"
good=0
for dev in "$out"/factory/fff1_8000/*-*-*-*-*/; do
    "$bin" verify "$dev" --paa "$pki/paa.pem" --cd-cert "$pki/cd-signer.pem" \
        --ledger "$out/factory/ledger.sqlite" >/dev/null
    good=$((good + 1))
done
echo "verified $good devices"
"$bin" ledger list --ledger "$out/factory/ledger.sqlite"
"$bin" ledger check --ledger "$out/factory/ledger.sqlite"
