#!/bin/bash
# 100,000 lines tailed by imfile (half written before start, half while
# running) arrive in Kafka exactly once each, as valid JSON with the fields
# of rsyslog-conf/edge.conf (Vector's codec: json event + labels).
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:64
# librdkafka statistics every second feed the kafka.* impstats gauges
edge_conf "$W/rsyslog.conf" -e 's|compression="\([a-z0-9]*\)"|compression="\1" confParam=["statistics.interval.ms=1000"]|'
gen $((N / 2)) 1
rsyslog_start "$W/rsyslog.conf"
"$TOOLS/gen-lines" --count $((N - N / 2)) --start $((N / 2 + 1)) --rate 50000 "$W/logs/app.log"
wait_kafka_count standard-logs "$N" ${WAIT:-240} || true
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
seq_check "$W/kafka.jsonl" "$N" --no-dups || fail "sequence check"

# every record carries the configured fields with the right meaning
python3 - "$W/kafka.jsonl" "$W/logs/app.log" <<'PY' || fail "field check"
import json, re, sys
rfc3339 = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)$')
bad = 0
for n, line in enumerate(open(sys.argv[1], encoding='utf-8')):
    o = json.loads(line)
    ok = (o.get('source_type') == 'file' and o.get('_msg') == o.get('message')
          and o.get('message', '').startswith('seq=')
          and rfc3339.match(o.get('timestamp', '')) and o.get('host')
          and o.get('file') == sys.argv[2] and o.get('component') == 'my-component'
          and o.get('host_ip') == '192.168.1.25')
    if not ok:
        bad += 1
        if bad < 5: print('bad record:', line.strip()[:300])
print('field check: %d records, %d bad' % (n + 1, bad))
sys.exit(1 if bad else 0)
PY
acked=$(stat_value acked)
log "impstats: acked=$acked submitted=$(stat_value submitted) batches=$(stat_value batches)"
[ "${acked:-0}" -ge "$N" ] || fail "impstats acked=$acked < $N"
up=$(stat_value kafka.brokers.up) rtt=$(stat_value kafka.rtt.avg.us)
log "impstats: kafka.brokers.up=$up kafka.rtt.avg.us=$rtt"
[ "${up:-0}" = 3 ] || fail "kafka.brokers.up=$up, want 3"
[ "${rtt:-0}" -gt 0 ] || fail "kafka.rtt.avg.us=$rtt"
log "OK"
