#!/bin/bash
# README's parameter tables are generated from the code's parameter tables
# (plugins/*/*_params.h): fail when they drifted apart.
. "$(dirname "$0")/lib.sh"
sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" --check || fail "README parameter table out of date"
n=$(sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" omrdkafka | grep -c '^| `')
[ "$n" -ge 30 ] || fail "only $n omrdkafka parameters found: generator broken?"
log "OK ($n omrdkafka parameters documented)"
