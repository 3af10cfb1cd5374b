#!/bin/bash
# Partition leaders move between brokers mid-stream and the cluster answers
# Produce requests with retriable errors (NOT_LEADER_FOR_PARTITION,
# NOT_ENOUGH_REPLICAS): librdkafka's retries and the module's retries
# inside the transaction deliver every line; idempotence keeps librdkafka's
# own retries single, and every duplicate in Kafka is one the module
# counted (duplicates.possible / late_acks).
. "$(dirname "$0")/lib.sh"
N=${N:-60000}
P=16
rkv_init
mock_start -b 3 -t standard-logs:$P
edge_conf "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
"$TOOLS/gen-lines" --count $((N / 3)) --start 1 --rate 20000 "$W/logs/app.log"
for p in $(seq 0 $((P - 1))); do mock_cmd leader standard-logs $p 2 >/dev/null; done
log "all $P leaders moved to broker 2"
mock_cmd error 0 6 20		# Produce: NOT_LEADER_FOR_PARTITION x20
"$TOOLS/gen-lines" --count $((N / 3)) --start $((N / 3 + 1)) --rate 20000 "$W/logs/app.log"
for p in $(seq 0 $((P - 1))); do mock_cmd leader standard-logs $p 3 >/dev/null; done
log "all $P leaders moved to broker 3"
mock_cmd error 0 19 20		# Produce: NOT_ENOUGH_REPLICAS x20
"$TOOLS/gen-lines" --count $((N - 2 * (N / 3))) --start $((2 * (N / 3) + 1)) --rate 20000 "$W/logs/app.log"
wait_kafka_count standard-logs "$N" 120 || true
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" "$N" || fail "sequence check"
check_dups
log "impstats: retries=$(stat_value retries) late_acks=$(stat_value duplicates.late_acks) failed=$(stat_value failed)"
[ "$(stat_value failed)" = 0 ] || fail "retriable errors were treated as permanent"
log "OK"
