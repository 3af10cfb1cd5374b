#!/bin/bash
# quickstart.sh: README command (1). Sets up and builds (contrib/build.sh),
# then runs the pipeline locally: an embedded Kafka (kafka-mock, 3 brokers),
# the edge (the real rsyslogd with rsyslog-conf/edge.conf tailing a sample
# log) and the aggregator (rsyslogd with rsyslog-conf/aggregator.conf:
# imrdkafka -> omfile until the VictoriaLogs output exists), and prints
# what arrived in Kafka and at the aggregator's output. KAFKA_BROKERS=
# host:port uses a real cluster instead (plaintext; topic standard-logs;
# the aggregator then uses its own consumer group, rkv-quickstart-<pid>).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/contrib/build.sh"
export RKV_SRCDIR=$top RKV_BUILDDIR=$top
. "$top/tests/integration/lib.sh"
rkv_init
if [ -n "${KAFKA_BROKERS:-}" ]; then
	BOOTSTRAP=$KAFKA_BROKERS
else
	mock_start -b 3 -t standard-logs:8
fi
edge_conf "$W/rsyslog.conf"
before=$(kafka_count standard-logs)
log "sample log: 1000 lines (and 10 empty ones, which edge.conf drops) in $W/logs/app.log"
"$TOOLS/gen-lines" --count 1000 --prefix "demo seq=" "$W/logs/app.log"
printf '\n\n\n\n\n\n\n\n\n\n' >>"$W/logs/app.log"
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count standard-logs $((before + 1000)) 60 || true
rsyslog_stop 30
kafka_dump standard-logs "$W/kafka.jsonl"
echo
echo "== what arrived in Kafka (topic standard-logs at $BOOTSTRAP) =="
echo "messages: $(( $(wc -l <"$W/kafka.jsonl") - before ))"
"$TOOLS/seqcheck" --json --prefix "seq=" --expect 1000 "$W/kafka.jsonl" || true
echo "first message:"
head -n 1 "$W/kafka.jsonl" | python3 -m json.tool
echo "omrdkafka counters (impstats): $(grep '"origin": *"omrdkafka"' "$W/impstats.json" | tail -n 1 | sed 's/^.*: {/{/')"
echo "rsyslogd config used: $W/rsyslog.conf"

echo
echo "== the aggregator: rsyslog-conf/aggregator.conf (imrdkafka -> omfile) =="
[ -n "${KAFKA_BROKERS:-}" ] && GROUP=rkv-quickstart-$$
stats_rotate
agg_conf "$W/aggregator.conf" -e "s|consumerGroup=\"vector-consumer\"|consumerGroup=\"$GROUP\"|"
rsyslog_start "$W/aggregator.conf"
wait_out 1000 60 || true
sleep 2	# the offsets of finished events are committed every second
rsyslog_stop 30
echo "events written: $(out_count) to $OUT"
"$TOOLS/seqcheck" --json --prefix "seq=" --expect 1000 "$OUT" || true
echo "first event:"
head -n 1 "$OUT" | python3 -m json.tool
echo "consumer group $GROUP: $(group_offsets standard-logs)"
echo "imrdkafka counters (impstats): $(grep "\"name\": *\"imrdkafka-$GROUP\"" "$W/impstats.json" | tail -n 1 | sed 's/^.*: {/{/')"
echo "rsyslogd config used: $W/aggregator.conf"
