#!/bin/sh
# checksrc.sh ROOT: house rules that a compiler does not check.
#  - banned calls (unbounded or unsafe string and number functions, rand)
#  - every library and CLI source file opens with a comment saying what it is
#  - format cores never reach up into the ledger, batch or SQLite
set -u
root=$1
fail=0
files=$(find "$root/src" "$root/cli" -name '*.[ch]' 2>/dev/null | sort)

for f in $files; do
    if grep -nE '(^|[^_a-z0-9])(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets|rand|srand)[[:space:]]*\(' "$f"; then
        echo "$f: banned call (use snprintf, memcpy, strtok_r, strtol, RAND_bytes)"
        fail=1
    fi
    if [ "$(head -c 2 "$f")" != "/*" ]; then
        echo "$f: must open with a comment naming what it implements"
        fail=1
    fi
done

for d in common tlv nvs onboarding spake2p ota cd secureboot flashenc encimg \
         secure_cert; do
    [ -d "$root/src/$d" ] || continue
    if grep -rnE '#include[[:space:]]*[<"](sqlite3\.h|ledger/|batch/|matterfab/ledger\.h|matterfab/batch\.h)' "$root/src/$d"; then
        echo "src/$d: a format core must not include ledger, batch or SQLite"
        fail=1
    fi
done
exit $fail
