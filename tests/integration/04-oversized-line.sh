#!/bin/bash
# A 2 MB line with librdkafka's default message.max.bytes (1 MB): it goes
# to errorFile with its reason, the lines around it arrive, it is not
# retried in a loop, and the payload is not dumped into rsyslogd's log.
. "$(dirname "$0")/lib.sh"
rkv_init
mock_start -b 3 -t standard-logs:8
edge_conf "$W/rsyslog.conf"
gen 1000 1
python3 -c "import sys; sys.stdout.write('seq=1001 ' + 'x' * (2 * 1024 * 1024) + '\n')" >>"$W/logs/app.log"
gen 1000 1002
rsyslog_start "$W/rsyslog.conf"
wait_kafka_count standard-logs 2000 120 || true
sleep 8	# a retry loop would show up as more error lines / retries by now
rsyslog_stop 60 || fail "rsyslogd exit status"
kafka_dump standard-logs "$W/kafka.jsonl"
"$TOOLS/seqcheck" --json --field message --expect 2001 --no-dups --allow-missing 1001 "$W/kafka.jsonl" ||
	fail "sequence check (all but 1001, once each)"
grep -c 'seq=1001 ' "$W/kafka.jsonl" | grep -qx 0 || fail "the oversized line reached Kafka?"
[ "$(wc -l <"$W/errors.json")" -eq 1 ] || fail "errorFile has $(wc -l <"$W/errors.json") lines, want 1"
python3 - "$W/errors.json" <<'PY' || fail "errorFile record"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
print({k: (v if k != 'payload' else v[:40] + '...') for k, v in r.items()})
assert r['reason'] == 'msg_too_large', r['reason']
assert r['topic'] == 'standard-logs'
assert r['size'] > 2 * 1024 * 1024
assert json.loads(r['payload'])['message'].startswith('seq=1001 xxx')
PY
grep -q "rejected permanently" "$W/rsyslogd.log" || fail "no error logged"
grep -q 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' "$W/rsyslogd.log" "$W/rsyslogd.out" &&
	fail "payload dumped into rsyslogd's log"
[ "$(stat_value failed.msg_too_large)" = 1 ] || fail "impstats failed.msg_too_large=$(stat_value failed.msg_too_large)"
[ "$(stat_value retries)" = 0 ] || fail "impstats retries=$(stat_value retries): retry loop?"
log "OK"
