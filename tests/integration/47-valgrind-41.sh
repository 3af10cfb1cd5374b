#!/bin/bash
# Test 41 (two omvictorialogs actions, gzip and zstd, one with two
# workers, behind imrdkafka; 20,000 events) and test 44 (errorFile: line
# checks, a 400 isolated by splitting the POST) again with rsyslogd under
# valgrind memcheck: no memory error anywhere in the process, no definite
# leak whose stack passes through our code.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "valgrind not installed"
rkv_init
export RKV_VALGRIND=1 RKV_WORKROOT=$W N=${VG_N:-20000} WAIT=400
bash "$(dirname "$0")/41-vl-100k-exactly-once.sh" || fail "41 under valgrind"
bash "$(dirname "$0")/44-vl-bad-lines.sh" || fail "44 under valgrind"
valgrind_check "$W" '(vl_|rkv_|ovl_|omvictorialogs|imr_|rdk_)'
log "OK"
