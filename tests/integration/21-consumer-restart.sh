#!/bin/bash
# imrdkafka: a graceful restart in the middle of consumption resumes from
# the committed offsets: nothing missing, and the restart re-reads at most
# what was unfinished or uncommitted at the stop (duplicates, bounded).
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:8
agg_conf "$W/rsyslog.conf"
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
wait_out "$N" 120 || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
log "group: $(group_offsets standard-logs)"
seq_check "$OUT" "$N" || fail "sequence check"
d=$(seq_dups)
log "duplicates after a graceful restart: $d"
[ "${d:-0}" -le $((N / 2)) ] || fail "$d duplicates: the restart did not resume from the committed offsets"
log "OK"
