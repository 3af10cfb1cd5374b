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
logs=$(ls "$W"/*/valgrind.*.log 2>/dev/null)
[ -n "$logs" ] || fail "no valgrind logs: was rsyslogd run under valgrind?"
bad=0
for f in $logs; do
	errs=$(grep -c 'Invalid read\|Invalid write\|uninitialised\|Invalid free\|Mismatched free\|overlap' "$f")
	# definite leak records that pass through our code (rdk_*, rkv_*, omr_*)
	leaks=$(awk '/definitely lost in/{rec=1; hit=0; next} rec && /(rdk_|rkv_|omr_|omrdkafka)/{hit=1}
		rec && /^==[0-9]+== $/{ if (hit) n++; rec=0 } END{print n+0}' "$f")
	log "$f: $errs memory errors, $leaks definite leaks through omrdkafka; $(grep 'ERROR SUMMARY' "$f" | tail -n 1)"
	[ "$errs" -eq 0 ] && [ "$leaks" -eq 0 ] || { bad=1; grep -A25 'Invalid\|uninitialised\|definitely' "$f" | head -n 80; }
done
[ $bad -eq 0 ] || fail "valgrind found problems"
log "OK"
