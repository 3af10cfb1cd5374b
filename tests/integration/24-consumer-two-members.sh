#!/bin/bash
# imrdkafka: two rsyslogd in one consumer group share the partitions; one
# is stopped mid-way and the other takes over its partitions: every
# message arrives (in one output or the other). Run with librdkafka's
# default (eager) assignment, then again with cooperative-sticky.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
STRATEGY=${STRATEGY:-}
rkv_init
mock_start -b 3 -t standard-logs:8
if [ -n "$STRATEGY" ]; then
	agg_conf "$W/rsyslog.conf" -e "s/session.timeout.ms=10000\"/&, \"partition.assignment.strategy=$STRATEGY\"/"
	grep -q "strategy=$STRATEGY" "$W/rsyslog.conf" || fail "strategy not set"
else
	agg_conf "$W/rsyslog.conf"
fi
# the second member: its own work directory, output, statistics
mkdir -p "$W/b/spool" "$W/b/out"
sed -e "s|$W/spool|$W/b/spool|; s|$OUT|$W/b/out/events.jsonl|; s|$W/impstats.json|$W/b/impstats.json|" \
    -e "s|$W/rsyslogd.log|$W/b/rsyslogd.log|" "$W/rsyslog.conf" >"$W/b/rsyslog.conf"
"$TOOLS/gen-edge-json" --count "$N" --rate 5000 - |
	kcat -P -b "$BOOTSTRAP" -t standard-logs -X compression.codec=lz4 -X linger.ms=20 2>>"$W/kcat.err" &
FILL=$!
rsyslog_start "$W/rsyslog.conf"
A=$RS_PID
"$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -n -f "$W/b/rsyslog.conf" -i "$W/b/rsyslogd.pid" >>"$W/b/rsyslogd.out" 2>&1 &
B=$!
sleep 1
kill -0 $B || fail "second rsyslogd did not start"
both() { cat "$OUT" "$W/b/out/events.jsonl" 2>/dev/null | wc -l; }
for i in $(seq 1 60); do
	a=$(cat "$OUT" 2>/dev/null | wc -l) b=$(cat "$W/b/out/events.jsonl" 2>/dev/null | wc -l)
	[ "$a" -gt 1000 ] && [ "$b" -gt 1000 ] && break
	sleep 0.5
done
log "both members consume: A=$a B=$b"
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "the partitions were not shared (A=$a B=$b)"
rsyslog_stop 30 || fail "rsyslogd A exit status"
log "A stopped at $a+ events; B continues alone"
# B must get A's partitions (a second assignment) while events still flow
for i in $(seq 1 80); do
	[ "$(grep -c 'assigned' "$W/b/rsyslogd.log")" -ge 2 ] && break
	sleep 0.5
done
kill -0 $FILL 2>/dev/null || log "warning: the input ended before B took over"
wait $FILL
end=$(( $(date +%s) + 90 ))
while [ "$(date +%s)" -lt $end ]; do
	cat "$OUT" "$W/b/out/events.jsonl" | "$TOOLS/seqcheck" --json --expect "$N" >/dev/null && break
	sleep 1
done
kill -TERM $B; wait $B
cat "$OUT" "$W/b/out/events.jsonl" >"$W/all.jsonl"
seq_check "$W/all.jsonl" "$N" || fail "sequence check"
log "assignments of B: $(grep -c 'assigned' "$W/b/rsyslogd.log") (the takeover is a new assignment); duplicates $(seq_dups)"
[ "$(grep -c 'assigned' "$W/b/rsyslogd.log")" -ge 2 ] || fail "B never got A's partitions"
if [ -z "$STRATEGY" ]; then
	log "--- again with partition.assignment.strategy=cooperative-sticky"
	STRATEGY=cooperative-sticky RKV_WORKROOT=$W bash "$0" || fail "cooperative-sticky run"
fi
log "OK"
