#!/bin/bash
# imrdkafka with memory queues only (aggregator.conf): kill -9 at three
# moments while thousands of messages are in flight loses nothing.
# Moment 1: output flowing (paced input). Moment 2: output blocked (its
# directory made impossible: omfile suspends, 20,000+ in the main queue
# and imrdkafka's hands). Moment 3: just after the output came back.
# After every kill: restart; at the end every sequence number is there.
. "$(dirname "$0")/lib.sh"
N=${N:-120000}
rkv_init
mock_start -b 3 -t standard-logs:8
agg_conf "$W/rsyslog.conf"
block_out() { mv "$W/out" "$W/out.blocked"; touch "$W/out"; log "output blocked"; }
unblock_out() { rm -f "$W/out"; mv "$W/out.blocked" "$W/out"; log "output unblocked"; }

# 1: output flowing, input paced at 5k/s; killed after offsets were
# committed, while messages still arrive
"$TOOLS/gen-edge-json" --count 40000 --rate 5000 - |
	kcat -P -b "$BOOTSTRAP" -t standard-logs -X compression.codec=lz4 -X linger.ms=20 2>>"$W/kcat.err" &
FILL=$!
rsyslog_start "$W/rsyslog.conf"
wait_out 5000 60 || fail "consumption did not start"
wait_committed standard-logs 5000 20 || fail "no offset committed"
rsyslog_kill9
kill -0 $FILL 2>/dev/null || fail "the input had ended before the kill"
wait $FILL
log "kill 1: $(out_count) written; group: $(group_offsets standard-logs)"

# 2: output blocked, 40,000 more waiting
kafka_fill standard-logs 40000 40001
mkdir -p "$W/out"
block_out
stats_rotate
rsyslog_start "$W/rsyslog.conf"
# the killed member holds its partitions until session.timeout.ms (10 s)
for i in $(seq 1 60); do
	inflight=$(imr_stat inflight)
	[ "${inflight:-0}" -ge 20000 ] && break
	sleep 0.5
done
log "blocked output: inflight=$inflight; group: $(group_offsets standard-logs)"
[ "${inflight:-0}" -ge 20000 ] || fail "only ${inflight:-0} messages in flight: the output was not blocked"
rsyslog_kill9
unblock_out

# 3: output back, 40,000 more, kill shortly after the restart
kafka_fill standard-logs 40000 80001
stats_rotate
rsyslog_start "$W/rsyslog.conf"
base=$(committed_total standard-logs)
wait_out $(( $(out_count) + 20000 )) 60 || true
wait_committed standard-logs $((base + 10000)) 20 || fail "no offset committed"
rsyslog_kill9
log "kill 3: $(out_count) written; group: $(group_offsets standard-logs)"

# final run: everything arrives. The output's line count includes what
# the kills made imrdkafka read twice, so it reaches N before the last
# messages are in; the group's committed offsets reach N only when
# every message is written (they advance past finished messages only).
stats_rotate
rsyslog_start "$W/rsyslog.conf"
wait_committed standard-logs "$N" 120 || fail "the group's offsets did not reach the end: $(group_offsets standard-logs)"
rsyslog_stop 30 || fail "rsyslogd exit status"
seq_check "$OUT" "$N" || fail "sequence check: messages lost across kill -9"
log "duplicates (read again after kill -9): $(seq_dups)"
log "OK"
