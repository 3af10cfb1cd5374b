#!/bin/bash
# kill -9 while messages wait for Kafka's acknowledgement, after imfile
# has saved its position (a graceful restart first, so imfile does not
# read them again): they must come from rsyslog's disk queue, which keeps
# a message until the commit that Kafka acknowledged. A module that says
# "done" before Kafka acknowledged loses them here (measured with stock
# omkafka swapped into the same config: 20,000 missing).
#  1. 20,000 lines delivered; all brokers down; 20,000 more read by imfile
#  2. graceful stop: imfile saves its position, the queue is saved to disk
#  3. brokers up but slow (5 s round trip): start; the saved queue is
#     loaded and handed to the action, whose acknowledgements are due only
#     after the kill -9 that follows 4 s later
#  4. brokers fast again, 10,000 more lines, start: all 50,000 arrive
. "$(dirname "$0")/lib.sh"
rkv_init
mock_start -b 3 -t standard-logs:32
edge_conf "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
gen 20000 1
wait_kafka_count standard-logs 20000 60 || fail "first part not delivered"
mock_all down
"$TOOLS/gen-lines" --count 20000 --start 20001 --rate 20000 "$W/logs/app.log"
sleep 3
rsyslog_stop 60 || true
ls "$W/spool" | grep -q '^imfile-state' || fail "imfile saved no position"
log "queue files after the graceful stop: $(ls "$W/spool" | grep -c q_kafka)"
stats_rotate
mock_all up
mock_cmd rtt 1 5000; mock_cmd rtt 2 5000; mock_cmd rtt 3 5000
rsyslog_start "$W/rsyslog.conf"
sleep 4		# the saved queue is loaded, a transaction waits for Kafka
rsyslog_kill9
mock_cmd rtt 1 0; mock_cmd rtt 2 0; mock_cmd rtt 3 0
gen 10000 40001
stats_rotate
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count standard-logs 50000 120 || true
sleep 2
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" 50000 || fail "sequence check"
log "duplicates after kill -9: $(seq_dups) (the module counted $(module_dups) itself; replays after kill -9 are rsyslog's)"
log "OK"
