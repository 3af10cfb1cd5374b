#!/bin/bash
# Test 20 (delivery with fields and metadata) again with rsyslogd under
# valgrind memcheck (20,000 events): no memory error anywhere in the
# process, no definite leak whose stack passes through our code.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || skip "valgrind not installed"
rkv_init
export RKV_VALGRIND=1 RKV_WORKROOT=$W N=${VG_N:-20000} WAIT=400
bash "$(dirname "$0")/20-consumer-100k-exactly-once.sh" || fail "20 under valgrind"
logs=$(ls "$W"/*/valgrind.*.log 2>/dev/null)
[ -n "$logs" ] || fail "no valgrind logs: was rsyslogd run under valgrind?"
bad=0
for f in $logs; do
	errs=$(grep -c 'Invalid read\|Invalid write\|uninitialised\|Invalid free\|Mismatched free\|overlap' "$f")
	leaks=$(awk '/definitely lost in/{rec=1; hit=0; next} rec && /(rdk_|rkv_|imr_|imrdkafka)/{hit=1}
		rec && /^==[0-9]+== $/{ if (hit) n++; rec=0 } END{print n+0}' "$f")
	log "$f: $errs memory errors, $leaks definite leaks through imrdkafka; $(grep 'ERROR SUMMARY' "$f" | tail -n 1)"
	[ "$errs" -eq 0 ] && [ "$leaks" -eq 0 ] || { bad=1; grep -A25 'Invalid\|uninitialised\|definitely' "$f" | head -n 80; }
done
[ $bad -eq 0 ] || fail "valgrind found problems"
log "OK"
