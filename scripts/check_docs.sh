#!/bin/sh
# check_docs.sh MATTERFAB DOCS_DIR
#
# Every page docs/cli/<command>.md carries front-matter lines
#   command: nvs generate
#   options: --version --outdir
# and this check fails when the options a page lists differ from those the
# command's --help prints, or when a top-level command has no page at all.
set -u
bin=$1
dir=$2
fail=0

for doc in "$dir"/*.md; do
    [ -e "$doc" ] || continue
    cmd=$(sed -n 's/^command: *//p' "$doc" | head -n 1)
    if [ -z "$cmd" ]; then
        echo "$doc: no 'command:' line in the front-matter"
        fail=1
        continue
    fi
    # shellcheck disable=SC2086
    if ! help=$("$bin" $cmd --help); then
        echo "$doc: 'matterfab $cmd --help' failed"
        fail=1
        continue
    fi
    doc_opts=$(sed -n 's/^options: *//p' "$doc" | head -n 1 | tr ' ' '\n' |
               grep -v '^$' | sort)
    help_opts=$(printf '%s\n' "$help" | grep -oE '^  --[A-Za-z0-9_-]+' |
                sed 's/^  //' | grep -v '^--help$' | sort)
    if [ "$doc_opts" != "$help_opts" ]; then
        echo "$doc: options differ from 'matterfab $cmd --help'"
        echo "  doc:  $(echo $doc_opts)"
        echo "  help: $(echo $help_opts)"
        fail=1
    fi
done

for top in $("$bin" --help | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p'); do
    # a group has <top>.md and <top>-<verb>.md; a leaf command only <top>.md
    if [ ! -e "$dir/$top.md" ] && ! ls "$dir/$top"-*.md >/dev/null 2>&1; then
        echo "command '$top' has no page in $dir"
        fail=1
    fi
done
exit $fail
