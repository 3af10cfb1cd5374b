#!/bin/bash
# omvictorialogs: 100,000 edge events from Kafka (rsyslog-conf/aggregator.conf:
# imrdkafka -> omvictorialogs) reach vl-server exactly once, each with the
# right _msg, _time and _stream; two actions at once: gzip with tenant
# 12:34 (aggregator.conf's own action, the Kafka payload passed through)
# and zstd with tenant 56:78 through an action queue with two workers
# posting in parallel (behind imrdkafka a memory queue is safe: a queued
# message is not finished). Test 48 runs the config's "#parsed:" variant.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
vl_start
mock_start -b 3 -t standard-logs:8
kafka_fill standard-logs "$N"
AGG_OUT=vl agg_conf "$W/rsyslog.conf" \
	-e 's|compression="gzip"|&\n\t\taccountID="12" projectID="34"|'
cat >>"$W/rsyslog.conf" <<EOS
ruleset(name="zstd") {
	action(type="omvictorialogs" name="vl-zstd" endpoint="$VL_URL"
		msgField="message" timeField="timestamp" streamFields=["host", "kubernetes.pod_name"]
		template="payload" compression="zstd" accountID="56" projectID="78" errorFile="$W/vl-zstd-errors.json"
		queue.type="LinkedList" queue.workerThreads="2" queue.dequeueBatchSize="512"
		queue.timeoutEnqueue="2147483647" action.resumeRetryCount="-1")
}
EOS
sed -i 's|^ruleset(name="to_output") {|&\n\tcall zstd|' "$W/rsyslog.conf"
t0=$(date +%s.%N)
rsyslog_start "$W/rsyslog.conf"
rows() { wc -l <"$W/vl.rows"; }
wait_for_count "rows in vl-server" $((2 * N)) ${WAIT:-180} rows || true
t1=$(date +%s.%N)
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
log "$((2 * N)) rows in $(echo "$t1 - $t0" | bc) s; vl-server: $(vl_cmd stats)"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 12:34 --stream host,kubernetes.pod_name ||
	fail "gzip action (tenant 12:34)"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 56:78 --stream host,kubernetes.pod_name ||
	fail "zstd action (tenant 56:78)"
ovl_stat() {	# ACTION NAME
	grep "\"name\": *\"omvictorialogs-$1\"" "$W/impstats.json" | tail -n 1 |
		sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p"
}
for a in victorialogs vl-zstd; do
	log "impstats $a: sent=$(ovl_stat $a sent) posts=$(ovl_stat $a posts) uncompressed=$(ovl_stat $a bytes.uncompressed) sent_bytes=$(ovl_stat $a bytes.sent) 2xx=$(ovl_stat $a http.2xx) errorfile=$(ovl_stat $a errorfile.lines)"
	[ "$(ovl_stat $a sent)" = "$N" ] || fail "impstats $a sent=$(ovl_stat $a sent), want $N"
	[ "$(ovl_stat $a bytes.sent)" -lt $(( $(ovl_stat $a bytes.uncompressed) / 3 )) ] ||
		fail "$a: the body was not compressed"
done
[ ! -s "$W/vl-errors.json" ] && [ ! -s "$W/vl-zstd-errors.json" ] || fail "error file not empty"
log "OK"
