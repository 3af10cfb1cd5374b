#!/bin/bash
# All brokers down for 20 s mid-stream, then up: every line arrives, and
# rsyslogd logged the suspension and the resumption of the action.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:64
edge_conf "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
"$TOOLS/gen-lines" --count $((N / 2)) --start 1 --rate 25000 "$W/logs/app.log"
mock_cmd down 1; mock_cmd down 2; mock_cmd down 3
"$TOOLS/gen-lines" --count $((N / 4)) --start $((N / 2 + 1)) --rate 25000 "$W/logs/app.log"
sleep 19
mock_cmd up 1; mock_cmd up 2; mock_cmd up 3
"$TOOLS/gen-lines" --count $((N - N / 2 - N / 4)) --start $((N / 2 + N / 4 + 1)) --rate 25000 "$W/logs/app.log"
wait_kafka_count standard-logs "$N" ${WAIT:-240} || true
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" "$N" || fail "sequence check"
grep -q "Kafka did not acknowledge" "$W/rsyslogd.log" || fail "no outage logged"
grep -q "Kafka acknowledges again" "$W/rsyslogd.log" || fail "no end of the outage logged"
grep -q "action 'kafka' suspended" "$W/rsyslogd.log" && fail "the action was suspended: rsyslog's per-message retry path"
grep "omrdkafka\|action 'kafka'" "$W/rsyslogd.log" | head -n 8
log "impstats: retries=$(stat_value retries) late_acks=$(stat_value duplicates.late_acks)"
log "OK"
