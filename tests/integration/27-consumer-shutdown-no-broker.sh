#!/bin/bash
# imrdkafka: rsyslogd stops within closeTimeout (800 ms) + a stated margin
# (rsyslog's own shutdown: 4 s) when no broker answers; after a restart
# with brokers up nothing is missing.
. "$(dirname "$0")/lib.sh"
N=${N:-20000}
LIMIT_S=${LIMIT_S:-5}
rkv_init
agg_first $((N / 2))
mock_all down
sleep 5
t0=$(date +%s%N)
rsyslog_stop 60 || fail "rsyslogd exit status"
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
log "stop with every broker down took $dt ms (limit $((LIMIT_S * 1000)) ms)"
[ "$dt" -lt $((LIMIT_S * 1000)) ] || fail "stop took $dt ms"
mock_all up
kafka_fill standard-logs $((N / 2)) $((N / 2 + 1))
stats_rotate
rsyslog_start "$W/rsyslog.conf"
wait_out "$N" 120 || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
seq_check "$OUT" "$N" || fail "sequence check"
log "OK"
