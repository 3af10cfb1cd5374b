#!/bin/bash
# imrdkafka: the output stalls for 20 s while a 10x backlog waits in Kafka
# (500,000 = 10 x maxInFlight). omfile writes into a FIFO whose reader
# (cat, appending to the file we count) is stopped with SIGSTOP: omfile's
# write blocks, nothing fails, so rsyslog's own retry path (which may drop
# messages of a failing action, and a dropped message looks finished) is
# not involved. During the stall no committed offset passes what omfile
# handed on: committed <= lines written + what the 64 KiB pipe can hold,
# and it does not move; consumption pauses at maxInFlight; rsyslogd's peak
# RSS stays under the limit README states. Then everything arrives.
. "$(dirname "$0")/lib.sh"
N1=20000 N2=${N2:-500000}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-400}
PIPE_SLACK=250	# 64 KiB pipe buffer / ~330-byte events, rounded up
rkv_init
mock_start -b 3 -t standard-logs:32
agg_conf "$W/rsyslog.conf"
mkdir -p "$W/out"
mkfifo "$OUT"
cat "$OUT" >>"$W/written.jsonl" &
READER=$!
written() { wc -l <"$W/written.jsonl"; }
kafka_fill standard-logs $N1
rsyslog_start "$W/rsyslog.conf"
wait_for_count "events written" $N1 60 written || fail "first part did not arrive"
wait_committed standard-logs $N1 10 || fail "first part not committed"
kill -STOP $READER
log "output stalled (reader stopped); filling $N2"
kafka_fill standard-logs "$N2" $((N1 + 1))
sleep 3	# the pipe fills, omfile blocks
first_c=$(committed_total standard-logs)
max_c=0 bad=0
for i in $(seq 1 20); do
	w=$(written) c=$(committed_total standard-logs)
	[ "$c" -gt "$max_c" ] && max_c=$c
	if [ "$c" -gt $((w + PIPE_SLACK)) ]; then
		bad=1
		log "committed $c > written $w + $PIPE_SLACK"
	fi
	sleep 1
done
inflight=$(imr_stat inflight) pauses=$(imr_stat pauses)
hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$RS_PID/status)
log "during the stall: committed $first_c -> max $max_c, written $(written), inflight=$inflight pauses=$pauses, peak RSS $((hwm / 1024)) MB"
[ $bad -eq 0 ] || fail "an offset was committed past messages the output had not written"
[ "$max_c" = "$first_c" ] || fail "committed offsets moved during the stall ($first_c -> $max_c)"
[ "${pauses:-0}" -ge 1 ] || fail "consumption never paused"
[ "${inflight:-0}" -le 52000 ] || fail "inflight $inflight above maxInFlight + one batch"
[ "${hwm:-0}" -gt 0 ] || fail "peak RSS unknown"
[ $((hwm / 1024)) -lt "$RSS_LIMIT_MB" ] || fail "peak RSS $((hwm / 1024)) MB >= $RSS_LIMIT_MB MB"
kill -CONT $READER
log "output back"
wait_for_count "events written" $((N1 + N2)) 180 written || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
wait $READER
log "group: $(group_offsets standard-logs)"
seq_check "$W/written.jsonl" $((N1 + N2)) || fail "sequence check"
log "OK"
