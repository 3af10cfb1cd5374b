#!/bin/bash
# Tests 01 (delivery) and 02 (brokers down 20 s) again with rsyslogd under
# valgrind memcheck (smaller volume): no memory error anywhere in the
# process, and no definite leak whose stack passes through our code.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "valgrind not installed"
rkv_init
export RKV_VALGRIND=1 RKV_WORKROOT=$W N=${VG_N:-20000} WAIT=400
dir=$(dirname "$0")
bash "$dir/01-imfile-100k-exactly-once.sh" || fail "01 under valgrind"
bash "$dir/02-brokers-down-20s.sh" || fail "02 under valgrind"
valgrind_check "$W" '(rdk_|rkv_|omr_|omrdkafka)'
log "OK"
