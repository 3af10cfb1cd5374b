#!/bin/bash
# Both queues Direct (main_queue and the action): rsyslog hands omrdkafka
# one message per transaction, each waiting for its own acknowledgement
# (measured 4,581 msg/s). The zero-loss check names the action's
# queue.type at start, and the module warns once, at run time, that the
# transactions hold one message each and which setting causes it. Every
# line still arrives.
. "$(dirname "$0")/lib.sh"
N=3000
rkv_init
mock_start -b 1 -t t1:4
gen $N 1
cat >"$W/rsyslog.conf" <<EOS
global(workDirectory="$W/spool" processInternalMessages="on")
main_queue(queue.type="Direct")
module(load="imfile")
module(load="$MODDIR/omrdkafka.so")
template(name="msgonly" type="string" string="%msg%")
input(type="imfile" file="$W/logs/*.log" tag="t" ruleset="r")
ruleset(name="r") {
	action(type="omrdkafka" name="k" broker=["$BOOTSTRAP"] topic="t1" template="msgonly"
		errorFile="$W/errors.json" action.resumeRetryCount="-1")
}
*.* action(type="omfile" file="$W/rsyslogd.log")
EOS
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count t1 $N 120 || true
rsyslog_stop 30 || fail "rsyslogd exit status"
kcat -C -b "$BOOTSTRAP" -t t1 -o beginning -e -q -f '%s\n' 2>/dev/null | "$TOOLS/seqcheck" --expect $N --no-dups || fail "sequence"
grep -q "zero-loss check: queue.type" "$W/rsyslogd.log" || fail "no zero-loss warning for queue.type"
grep "transactions of one message each" "$W/rsyslogd.log" | cut -c1-400
[ "$(grep -c 'transactions of one message each' "$W/rsyslogd.log")" = 1 ] || fail "want exactly one one-message-transaction warning"
grep -q 'queue.type Direct) and the main queue is Direct too' "$W/rsyslogd.log" || fail "the warning does not name the cause"
log "OK"
