#!/bin/bash
# imrdkafka: 100,000 edge-format JSON events pre-filled over 8 partitions
# reach the omfile action of rsyslog-conf/aggregator.conf exactly once;
# the edge's fields are $! properties ($!component, $!host_ip usable in
# templates), metadata="on" adds $!kafka!partition / offset; the group's
# committed offsets reach the log end (lag 0) and impstats shows the same.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:8
kafka_fill standard-logs "$N"
agg_conf "$W/rsyslog.conf" -e 's|metadata="off"|metadata="on"|'
# $!component / $!host_ip / $!kafka!* in a template of their own
cat >>"$W/rsyslog.conf" <<EOS
template(name="fields" type="string" string="%\$!component% %\$!host_ip% %\$!kafka!partition% %\$!kafka!offset% %hostname% %timereported:::date-rfc3339% %msg%\n")
ruleset(name="fields") { action(type="omfile" file="$W/fields.txt" template="fields") }
EOS
sed -i 's|^ruleset(name="to_output") {|&\n\tcall fields|' "$W/rsyslog.conf"
t0=$(date +%s.%N)
rsyslog_start "$W/rsyslog.conf"
wait_out "$N" ${WAIT:-120} || true
t1=$(date +%s.%N)
sleep 2	# auto-commit interval: 1 s
log "consumed $N in $(echo "$t1 - $t0" | bc) s; group: $(group_offsets standard-logs)"
lag=$(group_offsets standard-logs | sed -n 's/.*lag=\([0-9]*\).*/\1/p')
[ "$lag" = 0 ] || fail "group lag $lag after everything arrived"
# impstats samples every second (slower under valgrind): its lag must
# reach the broker's figure
for i in $(seq 1 30); do
	imp_lag=$(imr_stat lag)
	[ "$imp_lag" = 0 ] && break
	sleep 1
done
rsyslog_stop 30 || fail "rsyslogd exit status"
seq_check "$OUT" "$N" --no-dups || fail "sequence check"
python3 - "$OUT" "$W/fields.txt" <<'PY' || fail "field check"
import json, sys
bad = 0
parts = set()
for n, line in enumerate(open(sys.argv[1], encoding='utf-8')):
    o = json.loads(line)
    k = o.get('kafka', {})
    ok = (o.get('component') == 'my-component' and o.get('host_ip', '').startswith('192.168.1.')
          and o.get('source_type') == 'file' and isinstance(k.get('partition'), int)
          and isinstance(k.get('offset'), int) and k.get('topic') == 'standard-logs'
          and 'invalid' not in k)
    parts.add(k.get('partition'))
    if not ok:
        bad += 1
        if bad < 5: print('bad record:', line.strip()[:300])
for n2, line in enumerate(open(sys.argv[2], encoding='utf-8')):
    f = line.rstrip('\n').split(' ', 6)
    ok = (f[0] == 'my-component' and f[1].startswith('192.168.1.') and f[2].isdigit()
          and f[3].isdigit() and f[4].startswith('edge-') and f[5].startswith('2026-12-01T10:')
          and f[6].startswith('seq='))
    if not ok:
        bad += 1
        if bad < 10: print('bad template line:', line.strip()[:300])
print('field check: %d events, %d template lines, partitions %s, %d bad' % (n + 1, n2 + 1, sorted(parts), bad))
sys.exit(1 if bad or len(parts) != 8 else 0)
PY
log "impstats: received=$(imr_stat received) submitted=$(imr_stat submitted) invalid=$(imr_stat invalid) commits=$(imr_stat commits) lag=$imp_lag"
[ "$(imr_stat received)" -ge "$N" ] || fail "impstats received < $N"
[ "$(imr_stat invalid)" = 0 ] || fail "impstats invalid=$(imr_stat invalid)"
[ "$imp_lag" = 0 ] || fail "impstats lag=$imp_lag, kafka-offsets says 0"
log "OK"
