#!/bin/bash
# imrdkafka with parseJson: valid JSON, broken JSON, a JSON array, binary
# bytes, empty payloads and 1 MB payloads (JSON and not) mixed: every
# message arrives; the ones that are not one JSON object are flagged
# ($!kafka!invalid), keep their payload as $!message, and are counted
# (impstats invalid, empty); rsyslogd keeps running. The topic is given
# as a regular expression (^standard-l.*).
. "$(dirname "$0")/lib.sh"
rkv_init
mock_start -b 1 -t standard-logs:4
agg_conf "$W/rsyslog.conf" -e 's|topic="standard-logs"|topic="^standard-l.*"|'
grep -q 'topic="^standard-l' "$W/rsyslog.conf" || fail "regex topic not set"
# records separated by a marker (payloads contain newlines and NULs)
python3 - "$W/payloads.bin" <<'PY'
import json, sys
recs = []
for i in range(1, 3001):
    k = i % 6
    if k == 0: p = json.dumps({"message": "seq=%d ok" % i, "component": "c"}).encode()
    elif k == 1: p = b'{"message": "seq=%d broken' % i
    elif k == 2: p = json.dumps(["seq=%d" % i, 1]).encode()
    elif k == 3: p = b'seq=%d \x00\x01\xff\xfe\n\tbinary' % i
    elif k == 4: p = b''
    else: p = json.dumps({"message": "seq=%d" % i, "n": 1}).encode() + b' trailing'
    recs.append(p)
recs.append(json.dumps({"message": "seq=3001 " + "y" * 1000000}).encode())
recs.append(b"seq=3002 " + b"z" * 1000000)
open(sys.argv[1], "wb").write(b"@@REC@@".join(recs))
PY
# kcat skips empty records: our own producer sends every one
"$TOOLBIN/kafka-produce" -b "$BOOTSTRAP" -t standard-logs -D '@@REC@@' \
	-X message.max.bytes=2000000 <"$W/payloads.bin" >>"$W/produce.out" 2>&1 ||
	fail "kafka-produce: $(tail -n 2 "$W/produce.out")"
total=$(kafka_count standard-logs)
log "produced $total messages"
[ "$total" = 3002 ] || fail "produced $total, want 3002"
rsyslog_start "$W/rsyslog.conf"
wait_out 3002 60 || true
sleep 2
kill -0 "$RS_PID" || fail "rsyslogd died"
received=$(imr_stat received) invalid=$(imr_stat invalid) empty=$(imr_stat empty)
rsyslog_stop 30 || fail "rsyslogd exit status"
python3 - "$OUT" <<'PY' || fail "payload check"
import json, re, sys
seen, bad, inv, emp = set(), 0, 0, 0
for line in open(sys.argv[1], encoding='utf-8', errors='surrogateescape'):
    o = json.loads(line)
    m = o.get('message', '')
    k = o.get('kafka', {})
    if m == '':
        emp += 1
        inv += k.get('invalid') is True
        continue
    r = re.search(r'seq=(\d+)', m)
    n = int(r.group(1)) if r else None
    if n is None: bad += 1; print('no seq:', line[:100]); continue
    seen.add(n)
    want_invalid = n <= 3000 and n % 6 in (1, 2, 3, 5) or n == 3002
    if (k.get('invalid') is True) != want_invalid:
        bad += 1; print('flag wrong for', n, line[:120])
    inv += k.get('invalid') is True
    if n == 3001 and len(m) < 1000000: bad += 1; print('1 MB JSON cut')
    if n == 3002 and len(m) < 1000000: bad += 1; print('1 MB raw cut')
    if n % 6 == 3 and n <= 3000 and '\\x00\x01\\xff\\xfe\n\tbinary' not in m: bad += 1; print('binary bytes lost', n)
missing = set(i for i in range(1, 3003) if i % 6 != 4 or i > 3000) - seen
print('payload check: %d with seq, %d empty, %d flagged invalid, %d missing, %d bad' % (len(seen), emp, inv, len(missing), bad))
sys.exit(1 if bad or missing or emp != 500 else 0)
PY
log "impstats: received=$received invalid=$invalid empty=$empty"
[ "$received" = 3002 ] || fail "received $received"
# broken, array, binary, trailing garbage (4 x 500), the 1 MB raw one, empties (500)
[ "$invalid" = 2501 ] || fail "impstats invalid=$invalid, want 2501"
[ "$empty" = 500 ] || fail "impstats empty=$empty, want 500"
log "OK"
