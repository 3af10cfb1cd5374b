#!/bin/bash
# Bad configurations fail `rsyslogd -N1` with a message naming the cause;
# a good one passes (control); secrets never appear in the output.
. "$(dirname "$0")/lib.sh"
rkv_init
BOOTSTRAP=127.0.0.1:9
n=0
case_n1() {	# WANT_RC PATTERN ACTION_PARAMS
	n=$((n + 1))
	cat >"$W/c$n.conf" <<-EOS
	global(workDirectory="$W/spool")
	module(load="$MODDIR/omrdkafka.so")
	action(type="omrdkafka" $3)
	EOS
	expect_n1 "$1" "$2" "$W/c$n.conf"
}
B='broker=["127.0.0.1:9"] topic="t"'
case_n1 0 "" "$B"
case_n1 0 "" "$B confParam=[\"linger.ms=5\"] sasl.username=\"u\" sasl.password=\"Hunter2Secret\""
case_n1 1 "compresion" "$B compresion=\"gzip\""
case_n1 1 "lingr.ms" "$B confParam=[\"lingr.ms=5\"]"
case_n1 1 "linger.ms" "$B confParam=[\"linger.ms=soon\"]"
case_n1 1 "key=value" "$B confParam=[\"linger.ms\"]"
case_n1 1 "message.timeout.mss" "$B topicConfParam=[\"message.timeout.mss=5\"]"
case_n1 1 "broker" "topic=\"t\""
case_n1 1 "topic" "broker=[\"127.0.0.1:9\"]"
case_n1 1 "compression" "$B compression=\"zip\""
case_n1 1 "acks" "$B acks=\"most\""
case_n1 1 "sasl.password" "$B sasl.username=\"u\""
case_n1 1 "ssl.key.passwrd" "$B confParam=[\"ssl.key.password=Hunter2Secret\", \"ssl.key.passwrd=Hunter2Secret\"]"
# two actions may not share errorFile (each replays its own spill file);
# without errorFile each action gets its own default path
cat >"$W/shared.conf" <<EOS
global(workDirectory="$W/spool")
module(load="$MODDIR/omrdkafka.so")
action(type="omrdkafka" $B errorFile="$W/e.json")
action(type="omrdkafka" $B errorFile="$W/e.json")
EOS
out=$("$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/shared.conf" 2>&1) && fail "shared errorFile accepted: $out"
echo "$out" | grep -q 'errorFile "'"$W"'/e.json" is used by another action' || fail "shared errorFile: $out"
log "shared errorFile rejected: $(echo "$out" | grep -m1 errorFile | cut -c1-160)"
log "OK"
