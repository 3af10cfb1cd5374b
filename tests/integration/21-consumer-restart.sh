#!/bin/bash
# imrdkafka with two consumer threads (workers="2", each a group member
# with its own partitions): a graceful restart in the middle of
# consumption resumes from the committed offsets: nothing missing, and the
# restart re-reads at most what was unfinished or uncommitted at the stop.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:8
agg_conf "$W/rsyslog.conf" -e 's|maxInFlight="50000"|maxInFlight="50000" workers="2"|'
grep -q 'workers="2"' "$W/rsyslog.conf" || fail "workers not set"
kafka_fill standard-logs $((N / 2))
rsyslog_start "$W/rsyslog.conf"
wait_out $((N / 4)) 60 || fail "consumption did not start"
rsyslog_stop 30 || fail "rsyslogd exit status"
log "stopped with $(out_count) events written; group: $(group_offsets standard-logs)"
committed=$(committed_total standard-logs)
[ "$committed" -gt 0 ] || fail "nothing committed at the stop"
[ "$committed" -le "$(out_count)" ] || fail "committed $committed > written $(out_count)"
# the rest arrives while the second instance runs
kafka_fill standard-logs $((N - N / 2)) $((N / 2 + 1))
stats_rotate
rsyslog_start "$W/rsyslog.conf"
wait_committed standard-logs "$N" 120 || fail "the group's offsets did not reach the end: $(group_offsets standard-logs)"
rsyslog_stop 30 || fail "rsyslogd exit status"
log "group: $(group_offsets standard-logs)"
w0=$(grep '"name": *"imrdkafka-vector-consumer-w0"' "$W/impstats.json" | tail -n 1 | sed -n 's/.*"received": *\([0-9]*\).*/\1/p')
w1=$(grep '"name": *"imrdkafka-vector-consumer-w1"' "$W/impstats.json" | tail -n 1 | sed -n 's/.*"received": *\([0-9]*\).*/\1/p')
log "second run: worker 0 received ${w0:-0}, worker 1 received ${w1:-0}"
[ "${w0:-0}" -gt 0 ] && [ "${w1:-0}" -gt 0 ] || fail "both workers should have consumed"
seq_check "$OUT" "$N" || fail "sequence check"
d=$(seq_dups)
log "duplicates after a graceful restart: $d"
[ "${d:-0}" -le $((N / 2)) ] || fail "$d duplicates: the restart did not resume from the committed offsets"
log "OK"
