#!/bin/bash
# Per-message routing options, checked on what Kafka stored:
#  A: static topic, partitions.useFixed=2, static key, kafkaHeader x2
#  B: dynaTopic + dynaKey from templates (even/odd sequence numbers)
#  C: partitions.number=3 without partitions.auto: round-robin over 0..2
. "$(dirname "$0")/lib.sh"
N=3000
rkv_init
mock_start -b 3 -t t-fixed:8 -t t-even:4 -t t-odd:4 -t t-rr:8
gen $N 1
cat >"$W/rsyslog.conf" <<EOS
global(workDirectory="$W/spool" processInternalMessages="on")
module(load="imfile")
module(load="$MODDIR/omrdkafka.so")
template(name="msgonly" type="string" string="%msg%")
template(name="tpl_topic" type="string" string="t-%\$!grp%")
template(name="tpl_key" type="string" string="key-%\$!grp%")
input(type="imfile" file="$W/logs/*.log" tag="t" ruleset="r")
ruleset(name="r") {
	if re_match(\$msg, "^seq=[0-9]*[02468] ") then { set \$!grp = "even"; } else { set \$!grp = "odd"; }
	action(type="omrdkafka" broker=["$BOOTSTRAP"] topic="t-fixed" template="msgonly"
		partitions.useFixed="2" key="k1" kafkaHeader=["h1=v1", "env=test"]
		errorFile="$W/errors-a.json" action.resumeRetryCount="-1")
	action(type="omrdkafka" broker=["$BOOTSTRAP"] topic="tpl_topic" dynaTopic="on"
		key="tpl_key" dynaKey="on" template="msgonly"
		errorFile="$W/errors-b.json" action.resumeRetryCount="-1")
	action(type="omrdkafka" broker=["$BOOTSTRAP"] topic="t-rr" template="msgonly"
		partitions.number="3" errorFile="$W/errors-c.json" action.resumeRetryCount="-1")
}
*.* action(type="omfile" file="$W/rsyslogd.log")
EOS
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count t-fixed $N 60 || true
wait_kafka_count t-rr $N 60 || true
sleep 1
rsyslog_stop 30 || fail "rsyslogd exit status"
dump() { kcat -C -b "$BOOTSTRAP" -t "$1" -o beginning -e -q -f '%p|%k|%h|%s\n' >"$W/$1.txt" 2>>"$W/kcat.err"; }
for t in t-fixed t-even t-odd t-rr; do dump $t; done

cut -d'|' -f4 "$W/t-fixed.txt" | "$TOOLS/seqcheck" --expect $N --no-dups || fail "A: sequence"
bad=$(awk -F'|' '$1 != 2 || $2 != "k1" || $3 != "h1=v1,env=test"' "$W/t-fixed.txt" | wc -l)
[ "$bad" -eq 0 ] || fail "A: $bad records not on partition 2 / key k1 / headers h1=v1,env=test: $(head -n 2 "$W/t-fixed.txt")"

cat "$W/t-even.txt" "$W/t-odd.txt" | cut -d'|' -f4 | "$TOOLS/seqcheck" --expect $N --no-dups || fail "B: sequence"
bad=$(awk -F'|' '{ split($4, a, " "); n = substr(a[1], 5) + 0; if ($2 != (n % 2 ? "key-odd" : "key-even")) print }' "$W/t-even.txt" "$W/t-odd.txt" | wc -l)
[ "$bad" -eq 0 ] || fail "B: $bad records with the wrong key"
grep -q 'seq=[0-9]*[13579] ' "$W/t-even.txt" && fail "B: odd number in t-even"
grep -q 'seq=[0-9]*[02468] ' "$W/t-odd.txt" && fail "B: even number in t-odd"

cut -d'|' -f4 "$W/t-rr.txt" | "$TOOLS/seqcheck" --expect $N --no-dups || fail "C: sequence"
parts=$(cut -d'|' -f1 "$W/t-rr.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
log "C: per-partition counts: $parts"
[ "$(cut -d'|' -f1 "$W/t-rr.txt" | sort -u | tr '\n' ' ')" = "0 1 2 " ] || fail "C: partitions used: $parts"
cut -d'|' -f1 "$W/t-rr.txt" | sort | uniq -c | awk -v n=$N '$1 != n / 3 { exit 1 }' || fail "C: not round-robin: $parts"
log "OK"
