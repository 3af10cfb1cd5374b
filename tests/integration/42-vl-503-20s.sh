#!/bin/bash
# omvictorialogs: vl-server answers 503 to every insert for 20 s while
# 60,000 edge events stream through aggregator.conf (imrdkafka ->
# omvictorialogs), then recovers: every event arrives exactly once, the
# retries happen inside the transaction (impstats retries, http.5xx), the
# outage is logged once with its end, nothing goes to errorFile.
. "$(dirname "$0")/lib.sh"
N=${N:-60000}
rkv_init
vl_start
mock_start -b 3 -t standard-logs:8
kafka_fill standard-logs 20000
AGG_OUT=vl agg_conf "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
rows() { wc -l <"$W/vl.rows"; }
wait_for_count "rows before the outage" 20000 60 rows || fail "no delivery before the outage"
vl_cmd "fail 503 1000000000"
kafka_fill standard-logs $((N - 20000)) 20001
sleep 20
log "during the outage: $(vl_cmd stats)"
[ "$(rows)" = 20000 ] || fail "rows changed during the outage: $(rows)"
vl_cmd "fail 503 0"
wait_for_count "rows after the outage" "$N" 120 rows || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 0:0 --stream host,kubernetes.pod_name ||
	fail "sequence check"
s() { grep '"name": *"omvictorialogs-victorialogs"' "$W/impstats.json" | tail -n 1 | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"; }
log "impstats: sent=$(s sent) retries=$(s retries) http.5xx=$(s http.5xx) batches=$(s batches) posts=$(s posts)"
[ "$(s sent)" = "$N" ] || fail "impstats sent=$(s sent)"
[ "$(s retries)" -ge 4 ] && [ "$(s http.5xx)" -ge 4 ] || fail "no retries counted"
grep -q 'omvictorialogs\[omvictorialogs-victorialogs\]: VictoriaLogs did not acknowledge.*HTTP 503' "$W/rsyslogd.log" ||
	fail "the outage was not logged"
grep -q 'VictoriaLogs acknowledges again after' "$W/rsyslogd.log" || fail "the end of the outage was not logged"
[ "$(grep -c 'did not acknowledge' "$W/rsyslogd.log")" = 1 ] || fail "the outage was logged more than once"
[ ! -s "$W/vl-errors.json" ] || fail "errorFile not empty"
log "OK"
