#!/bin/bash
# imrdkafka: every broker down for 20 s; consumption resumes by itself
# afterwards (no restart), everything produced before and after arrives,
# and the group's offsets reach the end.
. "$(dirname "$0")/lib.sh"
N=${N:-60000}
rkv_init
agg_first $((N / 2))
mock_all down
sleep 20
mock_all up
kafka_fill standard-logs $((N / 2)) $((N / 2 + 1))
wait_out "$N" 120 || true
wait_committed standard-logs "$N" 30 || true
log "group: $(group_offsets standard-logs)"
rsyslog_stop 30 || fail "rsyslogd exit status"
seq_check "$OUT" "$N" || fail "sequence check"
[ "$(committed_total standard-logs)" = "$N" ] || fail "offsets did not reach the end"
log "OK"
