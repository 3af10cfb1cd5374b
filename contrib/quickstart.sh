#!/bin/bash
# quickstart.sh: README command (1). Sets up and builds (contrib/build.sh),
# then runs the pipeline locally: an embedded Kafka (kafka-mock, 3 brokers),
# the edge (the real rsyslogd with rsyslog-conf/edge.conf tailing a sample
# log) and the aggregator (rsyslogd with rsyslog-conf/aggregator.conf:
# imrdkafka -> omvictorialogs), and prints what arrived in Kafka and in
# VictoriaLogs. KAFKA_BROKERS=host:port uses a real cluster instead
# (plaintext; topic standard-logs; the aggregator then uses its own
# consumer group, rkv-quickstart-<pid>). VL_URL=http://host:9428 uses a
# real VictoriaLogs instead of the stand-in (tests/tools/vl-server).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
REAL_VL=${VL_URL:-}
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
echo "== the aggregator: rsyslog-conf/aggregator.conf (imrdkafka -> omvictorialogs) =="
[ -n "${KAFKA_BROKERS:-}" ] && GROUP=rkv-quickstart-$$
stats_rotate
if [ -n "$REAL_VL" ]; then
	VL_URL=$REAL_VL
else
	vl_start
fi
AGG_OUT=vl agg_conf "$W/aggregator.conf" -e "s|consumerGroup=\"vector-consumer\"|consumerGroup=\"$GROUP\"|"
rsyslog_start "$W/aggregator.conf"
sent() {
	grep '"origin": *"omvictorialogs"' "$W/impstats.json" 2>/dev/null | tail -n 1 |
		sed -n 's/.*"sent": *\([0-9]*\).*/\1/p'
}
wait_for_count "events VictoriaLogs acknowledged" 1000 60 sent || true
sleep 2	# the offsets of finished events are committed every second
rsyslog_stop 30
if [ -n "$REAL_VL" ]; then
	curl -fsS "$VL_URL/internal/force_flush" >/dev/null || true
	curl -fsS "$VL_URL/select/logsql/query" --data-urlencode 'query=_time:1h "demo seq="' \
		--data-urlencode limit=5000 >"$W/vl.rows" || echo "query to $VL_URL failed"
	echo "== what VictoriaLogs at $VL_URL returns for _time:1h \"demo seq=\" =="
else
	echo "== what the VictoriaLogs stand-in stored (rows as VictoriaLogs resolves them) =="
fi
echo "events stored: $(wc -l <"$W/vl.rows")"
"$TOOLS/seqcheck" --json --field _msg --prefix "seq=" --expect 1000 "$W/vl.rows" || true
echo "first event:"
head -n 1 "$W/vl.rows" | python3 -m json.tool
echo "consumer group $GROUP: $(group_offsets standard-logs)"
echo "imrdkafka counters (impstats): $(grep "\"name\": *\"imrdkafka-$GROUP\"" "$W/impstats.json" | tail -n 1 | sed 's/^.*: {/{/')"
echo "omvictorialogs counters (impstats): $(grep '"origin": *"omvictorialogs"' "$W/impstats.json" | tail -n 1 | sed 's/^.*: {/{/')"
echo "rsyslogd config used: $W/aggregator.conf"
