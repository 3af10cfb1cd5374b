#!/bin/bash
# kill -9 of rsyslogd mid-stream (disk-assisted action queue of edge.conf,
# brokers slowed down so the queue is busy), restart: no line is missing;
# duplicates are allowed and reported.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:64
edge_conf "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
"$TOOLS/gen-lines" --count $((N / 2)) --start 1 --rate 50000 "$W/logs/app.log"
# a slow cluster keeps batches in flight and the queue filled
mock_cmd rtt 1 200; mock_cmd rtt 2 200; mock_cmd rtt 3 200
"$TOOLS/gen-lines" --count $((N / 4)) --start $((N / 2 + 1)) --rate 50000 "$W/logs/app.log"
log "before kill: $(kafka_count standard-logs) messages in Kafka"
rsyslog_kill9
"$TOOLS/gen-lines" --count $((N - N / 2 - N / 4)) --start $((N / 2 + N / 4 + 1)) "$W/logs/app.log"
mock_cmd rtt 1 0; mock_cmd rtt 2 0; mock_cmd rtt 3 0
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count standard-logs "$N" ${WAIT:-240} || true
sleep 3
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" "$N" || fail "sequence check"
log "OK"
