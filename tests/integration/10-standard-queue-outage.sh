#!/bin/bash
# Issue 10, item 1: rsyslog's usual reliable-forwarding action queue
# (LinkedList + queue.filename + saveOnShutdown + resumeRetryCount=-1,
# everything else default) through a 20 s Kafka outage.
#  A. the zero-loss check: rsyslogd -N1 names queue.timeoutEnqueue for
#     those lines and says nothing for rsyslog-conf/edge.conf;
#  B. without queue.timeoutEnqueue rsyslog itself discards lines once the
#     queue is full (queue.size 2000 here), silently
#     but for impstats: every missing line is one counted in discarded.*;
#  C. the same lines plus queue.timeoutEnqueue="2147483647": none missing.
. "$(dirname "$0")/lib.sh"
N=${N:-200000}
rkv_init
mock_start -b 3 -t standard-logs:128 -t t2:128

std_conf() {	# out, extra action parameters
	cat >"$1" <<-EOS
	global(workDirectory="$W/spool" processInternalMessages="on")
	module(load="imfile")
	module(load="$MODDIR/omrdkafka.so")
	module(load="impstats" interval="1" format="json" log.file="$W/impstats.json" log.syslog="off" resetCounters="off")
	template(name="j" type="string" string="{\"message\":\"%msg:::json%\"}")
	input(type="imfile" file="$W/logs/*.log" tag="t" ruleset="r")
	ruleset(name="r") {
		action(type="omrdkafka" name="kafka" broker=["$BOOTSTRAP"] topic="standard-logs"
			template="j" errorFile="$W/errors.json"
			queue.type="LinkedList" queue.filename="fwd" queue.saveOnShutdown="on"
			action.resumeRetryCount="-1" queue.size="${QSIZE:-500}" $2)
	}
	*.* action(type="omfile" file="$W/rsyslogd.log")
	EOS
}

# A. the check, at rsyslogd -N1
std_conf "$W/std.conf" ""
"$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/std.conf" >"$W/n1-std.out" 2>&1 || fail "-N1: $(cat "$W/n1-std.out")"
grep "zero-loss check" "$W/n1-std.out"
[ "$(grep -c 'zero-loss check' "$W/n1-std.out")" = 1 ] || fail "want exactly one zero-loss warning"
grep -q 'zero-loss check: queue.timeoutEnqueue: set queue.timeoutEnqueue="2147483647"' "$W/n1-std.out" ||
	fail "the warning does not name queue.timeoutEnqueue"
edge_conf "$W/edge.conf"
"$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/edge.conf" >"$W/n1-edge.out" 2>&1 || fail "-N1 edge.conf: $(cat "$W/n1-edge.out")"
grep -q "zero-loss check" "$W/n1-edge.out" && fail "edge.conf warned: $(cat "$W/n1-edge.out")"
log "A: one warning for the usual lines, none for edge.conf"

# outage_run CONF LOGFILE: N lines at 20,000/s, all brokers down for 20 s
# from the first quarter on (the run measured in issue 10)
outage_run() {
	rsyslog_start "$1"
	"$TOOLS/gen-lines" --count $((N / 4)) --start 1 --rate 20000 "$2"
	mock_all down
	"$TOOLS/gen-lines" --count $((N / 2)) --start $((N / 4 + 1)) --rate 20000 "$2"
	sleep $((20 - N / 40000))
	mock_all up
	"$TOOLS/gen-lines" --count $((N / 4)) --start $((3 * N / 4 + 1)) --rate 20000 "$2"
}

# B. without queue.timeoutEnqueue
outage_run "$W/std.conf" "$W/logs/app.log"
disc=0
for i in $(seq 1 120); do	# until Kafka has everything rsyslog did not discard
	disc=$(queue_discarded "kafka queue")
	[ "$(kafka_count standard-logs)" -ge $((N - disc)) ] && break
	sleep 1
done
grep -q "zero-loss check: queue.timeoutEnqueue" "$W/rsyslogd.log" || fail "B: no warning at start"
sleep 2
disc=$(queue_discarded "kafka queue")
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka-b.jsonl"
seq_check "$W/kafka-b.jsonl" "$N"
missing=$(sed -n 's/.*missing \([0-9]*\).*/\1/p' "$W/seqcheck.out" | head -n 1)
log "B: $missing missing, rsyslog's impstats discarded $disc"
[ "$missing" = "$disc" ] || fail "B: $missing missing but impstats discarded $disc"
[ "$missing" -gt 0 ] || log "B: note: rsyslog discarded nothing this time"
check_dups

# C. the same plus queue.timeoutEnqueue: nothing missing
stats_rotate
std_conf "$W/std2.conf" 'queue.timeoutEnqueue="2147483647"'
sed -i -e "s|\"fwd\"|\"fwd2\"|" -e "s|topic=\"standard-logs\"|topic=\"t2\"|" -e "s|$W/logs/\*.log|$W/logs2/*.log|" "$W/std2.conf"
"$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/std2.conf" 2>&1 | grep "zero-loss check" && fail "C: warned"
mkdir -p "$W/logs2"
outage_run "$W/std2.conf" "$W/logs2/app.log"
wait_kafka_count t2 "$N" 180 || true
log "C: impstats discarded $(queue_discarded "kafka queue")"
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump t2 "$W/kafka-c.jsonl"
seq_check "$W/kafka-c.jsonl" "$N" || fail "C: sequence check"
check_dups
log "OK"
