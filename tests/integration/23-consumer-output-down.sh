#!/bin/bash
# imrdkafka: the output is suspended for 20 s (omfile cannot open its file:
# the directory is gone, HUP makes omfile reopen) while a 10x backlog waits
# in Kafka (500,000 = 10 x maxInFlight). During the outage no committed
# offset passes a message the output has not written (committed <= lines
# written, sampled every second), consumption pauses at maxInFlight, and
# rsyslogd's peak RSS stays under the limit README states. Then
# everything arrives.
. "$(dirname "$0")/lib.sh"
N1=20000 N2=${N2:-500000}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-400}
rkv_init
mock_start -b 3 -t standard-logs:32
agg_conf "$W/rsyslog.conf"
kafka_fill standard-logs $N1
rsyslog_start "$W/rsyslog.conf"
wait_out $N1 60 || fail "first part did not arrive"
wait_committed standard-logs $N1 10 || fail "first part not committed"
# output down: its directory replaced by a file; HUP closes omfile's file
mv "$W/out" "$W/out.saved"
touch "$W/out"
kill -HUP "$RS_PID"
log "output blocked; filling $N2"
kafka_fill standard-logs "$N2" $((N1 + 1))
max_c=0 bad=0
for i in $(seq 1 20); do
	written=$(cat "$W/out.saved/events.jsonl" | wc -l)
	c=$(committed_total standard-logs)
	[ "$c" -gt "$max_c" ] && max_c=$c
	if [ "$c" -gt "$written" ]; then
		bad=1
		log "committed $c > written $written"
	fi
	sleep 1
done
inflight=$(imr_stat inflight) pauses=$(imr_stat pauses)
hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$RS_PID/status)
log "during the outage: committed max $max_c, written $(cat "$W/out.saved/events.jsonl" | wc -l), inflight=$inflight pauses=$pauses, peak RSS $((hwm / 1024)) MB"
[ $bad -eq 0 ] || fail "an offset was committed past messages the output had not written"
[ "${pauses:-0}" -ge 1 ] || fail "consumption never paused"
[ "${inflight:-0}" -le 52000 ] || fail "inflight $inflight above maxInFlight + one batch"
[ "${hwm:-0}" -gt 0 ] || fail "peak RSS unknown"
[ $((hwm / 1024)) -lt "$RSS_LIMIT_MB" ] || fail "peak RSS $((hwm / 1024)) MB >= $RSS_LIMIT_MB MB"
rm -f "$W/out"
mv "$W/out.saved" "$W/out"
log "output back"
wait_out $((N1 + N2)) 180 || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
log "group: $(group_offsets standard-logs)"
seq_check "$OUT" $((N1 + N2)) || fail "sequence check"
log "OK"
