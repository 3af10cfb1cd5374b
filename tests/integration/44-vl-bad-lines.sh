#!/bin/bash
# omvictorialogs on an edge host (imfile -> omvictorialogs, the setup
# before Kafka), raw lines as events (the template ends in "\n", as file
# templates do: that newline is not part of the event). Among 12,000 lines
# one is not JSON, one is over VictoriaLogs' 256 KiB line limit and one
# is exactly 262,144 bytes (all three would be skipped by VictoriaLogs
# with 200 and no word, the long ones with the rest of their POST), and
# one is
# rejected by the server with 400. Those four are in errorFile with their
# reasons (the 400 one isolated by splitting the POST, with the server's
# answer); every other event arrives exactly once; rsyslog's log has the
# count, not the payload.
. "$(dirname "$0")/lib.sh"
rkv_init
vl_start
vl_cmd "reject 400 REJECT-ME" | grep -q '^ok' || fail "vl-server has no reject command"
"$TOOLS/gen-edge-json" --count 10000 "$W/logs/app.log"
{
	echo '{"message":"seq=10001 not closed","timestamp":"2026-12-01T10:00:00Z"'
	python3 -c 'import json; print(json.dumps({"message": "seq=10002 " + "y" * 300000, "host": "edge-0"}))'
	echo '{"message":"seq=10003 REJECT-ME","timestamp":"2026-12-01T10:00:00Z","host":"edge-1"}'
	# exactly 262,144 bytes: VictoriaLogs v1.26.0 skips it (and the rest
	# of the POST), as it needs room for the newline
	python3 -c 'import json; s = json.dumps({"host": "edge-0", "message": "seq=10004 "}); print(s[:-2] + "z" * (262144 - len(s)) + s[-2:])'
} >>"$W/logs/app.log"
"$TOOLS/gen-edge-json" --count 1996 --start 10005 "$W/logs/app.log"
cat >"$W/rsyslog.conf" <<EOS
global(workDirectory="$W/spool" maxMessageSize="1m" processInternalMessages="on")
module(load="imfile")
module(load="$OVL_MODDIR/omvictorialogs.so")
template(name="raw" type="string" string="%msg%\n")
input(type="imfile" file="$W/logs/*.log" tag="app" ruleset="vl")
ruleset(name="vl") {
	action(type="omvictorialogs" name="edge" endpoint=["$VL_URL"] template="raw"
		msgField="message" timeField="timestamp" streamFields=["host"]
		errorFile="$W/vl-errors.json"
		queue.type="LinkedList" queue.filename="q_vl" queue.saveOnShutdown="on"
		queue.timeoutEnqueue="2147483647" queue.dequeueBatchSize="2000"
		action.resumeRetryCount="-1")
}
*.* action(type="omfile" file="$W/rsyslogd.log")
EOS
conf_finish "$W/rsyslog.conf" /var/
rsyslog_start "$W/rsyslog.conf"
rows() { wc -l <"$W/vl.rows"; }
wait_for_count "rows in vl-server" 11996 60 rows || true
sleep 3
rsyslog_stop 30 || fail "rsyslogd exit status"
log "vl-server: $(vl_cmd stats)"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect 12000 --tenant 0:0 --exclude 10001,10002,10003,10004 ||
	fail "sequence check"
python3 - "$W/vl-errors.json" <<'PY' || fail "errorFile records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
for r in recs:
    print({k: (v if k != 'payload' else v[:50] + '...') for k, v in r.items()})
by = {r['reason']: r for r in recs if 'seq=10004 ' not in r['payload']}
edge = [r for r in recs if 'seq=10004 ' in r['payload']]
assert len(recs) == 4, len(recs)
assert len(edge) == 1 and edge[0]['reason'] == 'too_long' and edge[0]['size'] == 262144, edge
assert by['invalid_json']['payload'].startswith('{"message":"seq=10001 ')
assert by['too_long']['size'] > 262144 and '"seq=10002 ' in by['too_long']['payload']
assert by['rejected']['error'].startswith('HTTP 400: line rejected'), by['rejected']['error']
assert 'seq=10003 REJECT-ME' in by['rejected']['payload']
assert all(r['module'] == 'omvictorialogs' and r['action'] == 'omvictorialogs-edge' for r in recs)
PY
s() { grep '"name": *"omvictorialogs-edge"' "$W/impstats.json" | tail -n 1 | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"; }
log "impstats: sent=$(s sent) errorfile=$(s errorfile.lines) invalid=$(s failed.invalid) too_long=$(s failed.too_long) rejected=$(s failed.rejected) splits=$(s splits) 4xx=$(s http.4xx)"
[ "$(s sent)" = 11996 ] && [ "$(s errorfile.lines)" = 4 ] && [ "$(s failed.invalid)" = 1 ] &&
	[ "$(s failed.too_long)" = 2 ] && [ "$(s failed.rejected)" = 1 ] && [ "$(s splits)" -ge 1 ] ||
	fail "impstats counters"
grep -q 'event(s) cannot be stored' "$W/rsyslogd.log" || fail "no count in rsyslog's log"
grep -q 'yyyyyyyyyy\|REJECT-ME\|not closed' "$W/rsyslogd.log" && fail "a payload in rsyslog's log"
log "OK"
