#!/bin/bash
# README's parameter tables are generated from the code's parameter tables
# (plugins/*/*_params.h, with the shared rows of plugins/glue): fail when
# they drifted apart.
. "$(dirname "$0")/lib.sh"
sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" --check || fail "README parameter table out of date"
n=$(sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" omrdkafka | grep -c '^| `')
[ "$n" -ge 30 ] || fail "only $n omrdkafka parameters found: generator broken?"
m=$(sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" imrdkafka | grep -c '^| `')
[ "$m" -ge 27 ] || fail "only $m imrdkafka parameters found: generator broken?"
sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" imrdkafka | grep -q '^| `tls.cafile`' ||
	fail "the shared tls/sasl rows are missing from imrdkafka's table"
o=$(sh "$RKV_SRCDIR/contrib/gen-param-doc.sh" omvictorialogs | grep -c '^| `')
[ "$o" -ge 27 ] || fail "only $o omvictorialogs parameters found: generator broken?"
log "OK ($n omrdkafka, $m imrdkafka, $o omvictorialogs parameters documented)"
