#!/bin/bash
# omvictorialogs: vl-server accepts the next inserts and never answers:
# the POST times out (timeout="2000"), is retried inside the transaction;
# then two inserts are answered 401 (credentials: no event is to blame,
# so the batch is retried, not split into errorFile); every one of 30,000
# events arrives exactly once.
. "$(dirname "$0")/lib.sh"
N=${N:-30000}
rkv_init
vl_start
mock_start -b 3 -t standard-logs:8
kafka_fill standard-logs "$N"
vl_cmd "stall 3"
vl_cmd "fail 401 2"	# then two answers no line can change: kept, retried
AGG_OUT=vl agg_conf "$W/rsyslog.conf" -e 's|timeout="30000"|timeout="2000"|'
t0=$(date +%s)
rsyslog_start "$W/rsyslog.conf"
rows() { wc -l <"$W/vl.rows"; }
wait_for_count "rows in vl-server" "$N" 120 rows || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
log "vl-server: $(vl_cmd stats)"
[ "$(vl_stat stalled)" = 3 ] || fail "vl-server stalled $(vl_stat stalled) requests, want 3"
[ "$(vl_stat failed)" = 2 ] || fail "vl-server answered 401 $(vl_stat failed) times, want 2"
[ ! -s "$W/vl-errors.json" ] || fail "events in errorFile after a 401: $(head -c 300 "$W/vl-errors.json")"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 0:0 --stream host,kubernetes.pod_name ||
	fail "sequence check"
s() { grep '"name": *"omvictorialogs-victorialogs"' "$W/impstats.json" | tail -n 1 | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"; }
log "impstats: sent=$(s sent) retries=$(s retries) transport_errors=$(s http.transport_errors)"
[ "$(s http.transport_errors)" -ge 3 ] || fail "the timeouts were not counted"
grep -q 'transport error 0: Timeout\|timed out' "$W/rsyslogd.log" || fail "the timeout was not logged: $(grep omvictorialogs "$W/rsyslogd.log" | head -n 3)"
log "OK"
