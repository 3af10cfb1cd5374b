#!/bin/bash
# bench-ack-wait.sh [BATCHES]: what omrdkafka's commit waits for, outside
# rsyslog. tests/tools/kafka-produce -B 1024 produces batches of 1,024
# edge-format JSON lines (~400 bytes, tests/tools/gen-edge-json) into a 3-broker
# kafka-mock (64 partitions, acks=all, idempotent, as omrdkafka sets it) and
# waits for each batch's acknowledgements the way the commit does
# (rd_kafka_flush). Each codec runs on idle cores, then with both cores kept
# busy (two `yes` loops, as imfile and the rule engine keep them busy in
# rsyslogd). The wait per batch is the floor under the commit's
# batch.latency.ms (impstats), which stock omkafka does not pay.
set -u
NB=${1:-300}
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${RKV_BUILDDIR:-$top}
W=$B/_work/bench-ack-wait
TOOL=$B/tests/tools/kafka-produce
rm -rf "$W"; mkdir -p "$W"
[ -x "$TOOL" ] || { echo "build first: $TOOL missing"; exit 1; }
. "$top/contrib/bench/mock.sh"
bench_mock -t ackwait:64
"$top/tests/tools/gen-edge-json" --count $((NB * 1024)) --pad 100 "$W/lines.json"
BUSY=""
stop_busy() { [ -n "$BUSY" ] && kill $BUSY 2>/dev/null; BUSY=""; }
trap 'stop_busy; exec 9>&-; kill $MOCK 2>/dev/null; wait' EXIT
for load in idle busy; do
	if [ $load = busy ]; then
		yes >/dev/null & BUSY=$!
		yes >/dev/null & BUSY="$BUSY $!"
	fi
	for codec in gzip zstd lz4 none; do
		printf '%-5s %-5s ' $load $codec
		"$TOOL" -b "$BOOT" -t ackwait -D $'\n' -B 1024 -X compression.codec=$codec \
			-X acks=all -X enable.idempotence=true <"$W/lines.json"
	done
	stop_busy
done
