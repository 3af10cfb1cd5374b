#!/bin/bash
# The producer cannot be created at start (tls.cafile names a missing file:
# librdkafka accepts the path at config load and fails in rd_kafka_new).
# rsyslog still hands the worker batches; the commit waits instead of
# dropping or crashing, says so once, and at shutdown keeps the batch in
# the spill file (the rest stays in the saved queue). Started again with
# the file fixed, every line arrives: the spilled ones with the first
# transaction after the start (the spill is replayed when the next message
# reaches the action, here the 100 lines written after the restart).
. "$(dirname "$0")/lib.sh"
N=5000
rkv_init
mock_start -b 3 -t standard-logs:8
edge_conf "$W/rsyslog.conf"
sed -e 's|topic="standard-logs"|topic="standard-logs" tls.cafile="'"$W"'/missing-ca.pem"|' "$W/rsyslog.conf" >"$W/bad.conf"
"$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/bad.conf" >"$W/n1.out" 2>&1 || fail "-N1 rejected the config: $(cat "$W/n1.out")"
gen $N 1
rsyslog_start "$W/bad.conf"
sleep 6
kill -0 "$RS_PID" || fail "rsyslogd died"
[ "$(grep -c 'cannot create producer' "$W/rsyslogd.log")" = 1 ] || fail "want the failure said once: $(grep -c 'cannot create producer' "$W/rsyslogd.log")"
grep -m1 'cannot create producer' "$W/rsyslogd.log" | cut -c1-300
t0=$(date +%s)
rsyslog_stop 60 || true
log "stop took $(( $(date +%s) - t0 ))s"
[ "$(kafka_count standard-logs)" = 0 ] || fail "something was produced without a producer?"
[ -s "$W/errors.json.spill" ] || log "note: nothing was spilled (the saved queue holds it all)"
stats_rotate
rsyslog_start "$W/rsyslog.conf"
gen 100 $((N + 1))
wait_kafka_count standard-logs $((N + 100)) 60 || true
sleep 1
rsyslog_stop 30 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" $((N + 100)) || fail "sequence check"
log "OK"
