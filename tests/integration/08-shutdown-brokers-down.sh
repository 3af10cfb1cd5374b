#!/bin/bash
# Graceful shutdown while every broker is unreachable: rsyslogd stops in
# bounded time (closeTimeout + rsyslog's queue timeouts); the queue is saved
# (saveOnShutdown) and the batch in flight, which rsyslog itself would drop
# when shutdown ends its retry (measured: 1,024 lost), goes to the spill
# file; after a restart with the brokers back nothing is missing.
. "$(dirname "$0")/lib.sh"
N=30000
rkv_init
mock_start -b 3 -t standard-logs:16
edge_conf "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
gen 20000 1
wait_kafka_count standard-logs 20000 60 || fail "first part not delivered"
mock_cmd down 1; mock_cmd down 2; mock_cmd down 3
gen $((N - 20000)) 20001
sleep 12	# past the old 5 s grace and the outage log
t0=$(date +%s)
rsyslog_stop 60 || true
dt=$(( $(date +%s) - t0 ))
log "shutdown with all brokers down took ${dt}s"
[ "$dt" -le ${MAX_STOP:-30} ] || fail "shutdown took ${dt}s (> ${MAX_STOP:-30} s)"
spilled=0
grep -h "unacknowledged messages kept in" "$W/rsyslogd.log" "$W/rsyslogd.out" 2>/dev/null && spilled=1
[ -s "$W/errors.json.spill" ] || spilled=0
mock_cmd up 1; mock_cmd up 2; mock_cmd up 3
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count standard-logs $N 120 || true
sleep 2
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" $N || fail "sequence check"
[ $spilled = 1 ] || fail "the batch in flight was not spilled (or no spill file)"
[ -e "$W/errors.json.spill" ] || [ -e "$W/errors.json.spill.replay" ] && fail "spill file left after replay"
grep -h "kept at the last shutdown delivered" "$W/rsyslogd.log" || fail "no replay logged"
log "OK"
