#!/bin/bash
# quickstart.sh: README command (1). Sets up and builds (contrib/build.sh),
# then runs the edge leg locally: an embedded Kafka (kafka-mock, 3 brokers)
# and the real rsyslogd with rsyslog-conf/edge.conf tailing a sample log,
# and prints what arrived in Kafka. KAFKA_BROKERS=host:port uses a real
# cluster instead (plaintext; topic standard-logs).
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
