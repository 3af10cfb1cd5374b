#!/bin/bash
# imrdkafka: bad input() configurations fail `rsyslogd -N1` with a message
# naming the cause; good ones pass (control); secrets never appear in the
# output; stock imkafka's parameters are accepted (one-word migration).
. "$(dirname "$0")/lib.sh"
rkv_init
n=0
case_n1() {	# WANT_RC PATTERN INPUT_PARAMS
	n=$((n + 1))
	cat >"$W/c$n.conf" <<-EOS
	global(workDirectory="$W/spool")
	module(load="$IMR_MODDIR/imrdkafka.so")
	ruleset(name="r") { action(type="omfile" file="$W/out.txt") }
	input(type="imrdkafka" $3)
	EOS
	expect_n1 "$1" "$2" "$W/c$n.conf"
}
B='broker=["127.0.0.1:9"] topic="t" ruleset="r"'
# stock imkafka's parameters, as an imkafka user wrote them
case_n1 0 "" 'broker=["127.0.0.1:9"] topic="t" consumerGroup="g" ruleset="r" parseHostname="on" confParam=["fetch.wait.max.ms=100"]'
case_n1 0 "" "broker=[\"127.0.0.1:9\"] ruleset=\"r\" topic=[\"a\", \"^b-.*\"] startOffset=\"earliest\" parseJson=\"on\" msgField=\"message\" timestampField=\"timestamp\" hostnameField=\"host\" metadata=\"on\" workers=\"2\" sasl.username=\"u\" sasl.password=\"Hunter2Secret\""
case_n1 1 "consumerGroupp" "$B consumerGroupp=\"g\""
case_n1 1 "fetch.wait.max.mss" "$B confParam=[\"fetch.wait.max.mss=5\"]"
case_n1 1 "fetch.wait.max.ms" "$B confParam=[\"fetch.wait.max.ms=soon\"]"
case_n1 1 "enable.auto.offset.store" "$B confParam=[\"enable.auto.offset.store=true\"]"
case_n1 1 "enable.auto.commit" "$B confParam=[\"enable.auto.commit=false\"]"
case_n1 1 "startOffset" "$B startOffset=\"beginning\""
case_n1 1 "topic" 'broker=["127.0.0.1:9"] ruleset="r"'
case_n1 1 "broker" 'topic="t" ruleset="r"'
case_n1 1 "parseJson" "$B msgField=\"message\""
case_n1 1 "batchSize" "$B batchSize=\"40000\""
case_n1 1 "sasl.password" "$B sasl.username=\"u\""
case_n1 1 "ssl.key.passwrd" "$B confParam=[\"ssl.key.password=Hunter2Secret\", \"ssl.key.passwrd=Hunter2Secret\"]"
# the shipped aggregator config passes as it is (module path only)
BOOTSTRAP=127.0.0.1:9
agg_conf "$W/agg.conf"
out=$("$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/agg.conf" 2>&1) || fail "aggregator.conf rejected: $out"
log "aggregator.conf: -N1 ok"
log "OK"
