#!/bin/bash
# Issue 10, item 3: one broker of three down for 16 s with a short
# message.timeout.ms (4 s), messages spread round-robin over all 48
# partitions (partitions.number): every transaction is partly acknowledged
# (the partitions that broker leads time out, the others are stored). Only the
# unacknowledged messages are sent again, inside the commit: nothing is
# missing, rsyslog never suspends the action (no one-message-per-
# transaction retries: the number of transactions stays that of a normal
# run), and every duplicate in Kafka is one the module counted.
. "$(dirname "$0")/lib.sh"
N=${N:-60000}
rkv_init
mock_start -b 3 -t standard-logs:48
edge_conf "$W/rsyslog.conf" -e 's|compression="\([a-z0-9]*\)"|compression="\1" confParam=["message.timeout.ms=4000"]|' \
	-e 's|template="vector_json"|template="vector_json" partitions.number="48"|'
rsyslog_start "$W/rsyslog.conf"
"$TOOLS/gen-lines" --count $((N / 3)) --start 1 --rate 20000 "$W/logs/app.log"
mock_cmd down 2
"$TOOLS/gen-lines" --count $((N / 3)) --start $((N / 3 + 1)) --rate 20000 "$W/logs/app.log"
sleep 15
mock_cmd up 2
"$TOOLS/gen-lines" --count $((N - 2 * (N / 3))) --start $((2 * (N / 3) + 1)) --rate 20000 "$W/logs/app.log"
wait_kafka_count standard-logs "$N" 120 || true
sleep 2
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" "$N" || fail "sequence check"
check_dups
retried=$(stat_value retried) batches=$(stat_value batches) acked=$(stat_value acked)
log "impstats: retried=$retried retries=$(stat_value retries) batches=$batches acked=$acked submitted=$(stat_value submitted)"
[ "${retried:-0}" -gt 0 ] || fail "nothing was retried: the batch was not partly acknowledged"
# only the unacknowledged ones: a third of the partitions, not whole batches
[ "${retried:-0}" -lt "$N" ] || fail "retried $retried >= $N: more than the unacknowledged ones"
[ "${acked:-0}" -ge "$N" ] || fail "acked=$acked"
# rsyslog handed every message over once: retries happened inside commits
[ "$(stat_value submitted)" = "$N" ] || fail "submitted=$(stat_value submitted), want $N"
# rsyslog's per-message retry would make one transaction per message
[ "${batches:-0}" -le $((N / 20)) ] || fail "$batches transactions for $N messages"
grep -q "action 'kafka' suspended" "$W/rsyslogd.log" && fail "the action was suspended"
log "OK"
