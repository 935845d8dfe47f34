#!/bin/sh
# nm_check.sh NM LIB: no hidden state in the firmware: no writable file-scope or static
# data (nm classes b B d D, or common C) in the host objects of src/bms.
set -eu
# Symbols the sanitizers add (ASan's ODR indicators ...) are instrumentation, not state.
found=$("$1" "$2" | awk 'NF == 3 && $2 ~ /^[bBdDC]$/ && $3 !~ /^__(odr_asan|asan|ubsan|sancov)/' \
    || true)
if [ -n "$found" ]; then
    echo "FAIL: writable static data in src/bms:"
    echo "$found"
    exit 1
fi
echo "ok: no b/B/d/D/C symbols in $(basename "$2")"
