#!/bin/bash
# aggregator.conf's documented "#parsed:" variant: imrdkafka parseJson="on"
# (the edge's fields as $!), omvictorialogs with its default template ($!
# as JSON, plus message / timestamp / host from rsyslog's properties where
# $! lacks them). 20,000 edge events arrive exactly once with the right
# _msg, _time, _stream and fields. A second action adds a field to $!
# first and drops $!host and $!timestamp: the default template adds them
# back from rsyslog's properties (hostname and timereported, which
# hostnameField / timestampField took from the same fields).
. "$(dirname "$0")/lib.sh"
N=${N:-20000}
rkv_init
vl_start
mock_start -b 3 -t standard-logs:8
kafka_fill standard-logs "$N"
AGG_OUT=vl AGG_PARSE=1 agg_conf "$W/rsyslog.conf"
grep -q '^[[:space:]]*template="payload"' "$W/rsyslog.conf" && fail "the parsed variant still uses the payload template"
cat >>"$W/rsyslog.conf" <<EOS
ruleset(name="stripped") {
	unset \$!host;
	unset \$!timestamp;
	action(type="omvictorialogs" name="vl-merged" endpoint="$VL_URL" accountID="7"
		msgField="message" timeField="timestamp" streamFields=["host"]
		errorFile="$W/vl-merged-errors.json" queue.type="Direct" action.resumeRetryCount="-1")
}
EOS
# the stripped copy runs after the aggregator's action has sent the event
sed -i '/^ruleset(name="to_output") {/,/^}/ s|^}|\tcall stripped\n}|' "$W/rsyslog.conf"
rsyslog_start "$W/rsyslog.conf"
rows() { wc -l <"$W/vl.rows"; }
wait_for_count "rows in vl-server" $((2 * N)) 120 rows || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 0:0 --stream host,kubernetes.pod_name ||
	fail "default template"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 7:0 --stream host ||
	fail "default template, host and timestamp added back"
log "OK"
