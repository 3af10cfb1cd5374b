#!/bin/bash
# Bad configurations fail `rsyslogd -N1` with a message naming the cause;
# a good one passes (control); secrets never appear in the output.
. "$(dirname "$0")/lib.sh"
rkv_init
BOOTSTRAP=127.0.0.1:9
n=0
# expect_n1 WANT_RC PATTERN ACTION_PARAMS: writes a config, runs -N1
expect_n1() {
	local want=$1 pat=$2 params=$3 out rc
	n=$((n + 1))
	cat >"$W/c$n.conf" <<-EOS
	global(workDirectory="$W/spool")
	module(load="$MODDIR/omrdkafka.so")
	action(type="omrdkafka" $params)
	EOS
	out=$("$RSYSLOGD" -N1 -f "$W/c$n.conf" 2>&1)
	rc=$?
	echo "$out" >"$W/c$n.out"
	if [ "$want" = 0 ]; then
		[ $rc -eq 0 ] || fail "case $n: valid config rejected: $out"
	else
		[ $rc -ne 0 ] || fail "case $n: bad config accepted ($params)"
		echo "$out" | grep -q -- "$pat" || fail "case $n: error does not name '$pat': $out"
	fi
	echo "$out" | grep -q 'Hunter2Secret' && fail "case $n: secret in output: $out"
	log "case $n ok (rc=$rc): $(echo "$out" | grep -m1 -i "omrdkafka\|parameter" | cut -c1-160)"
}
B='broker=["127.0.0.1:9"] topic="t"'
expect_n1 0 "" "$B"
expect_n1 0 "" "$B confParam=[\"linger.ms=5\"] sasl.username=\"u\" sasl.password=\"Hunter2Secret\""
expect_n1 1 "compresion" "$B compresion=\"gzip\""
expect_n1 1 "lingr.ms" "$B confParam=[\"lingr.ms=5\"]"
expect_n1 1 "linger.ms" "$B confParam=[\"linger.ms=soon\"]"
expect_n1 1 "key=value" "$B confParam=[\"linger.ms\"]"
expect_n1 1 "message.timeout.mss" "$B topicConfParam=[\"message.timeout.mss=5\"]"
expect_n1 1 "broker" "topic=\"t\""
expect_n1 1 "topic" "broker=[\"127.0.0.1:9\"]"
expect_n1 1 "compression" "$B compression=\"zip\""
expect_n1 1 "acks" "$B acks=\"most\""
expect_n1 1 "sasl.password" "$B sasl.username=\"u\""
expect_n1 1 "ssl.key.passwrd" "$B confParam=[\"ssl.key.password=Hunter2Secret\", \"ssl.key.passwrd=Hunter2Secret\"]"
# two actions may not share errorFile (each replays its own spill file);
# without errorFile each action gets its own default path
cat >"$W/shared.conf" <<EOS
global(workDirectory="$W/spool")
module(load="$MODDIR/omrdkafka.so")
action(type="omrdkafka" $B errorFile="$W/e.json")
action(type="omrdkafka" $B errorFile="$W/e.json")
EOS
out=$("$RSYSLOGD" -N1 -f "$W/shared.conf" 2>&1) && fail "shared errorFile accepted: $out"
echo "$out" | grep -q 'errorFile "'"$W"'/e.json" is used by another action' || fail "shared errorFile: $out"
log "shared errorFile rejected: $(echo "$out" | grep -m1 errorFile | cut -c1-160)"
log "OK"
