#!/bin/bash
# The VictoriaLogs stand-in enforces the ingestion contract (DESIGN.md §5)
# and is no stub that accepts anything: rows resolved with _msg / _time /
# _stream and the tenant, query args over headers, gzip and zstd bodies,
# form content types stored nowhere (as real VictoriaLogs), invalid and
# over-long lines skipped and counted, 400 when nothing is valid, injected
# 503s and stalls, keep-alive, batches refused for a text they hold
# (reject), and the Elasticsearch bulk API that stock omelasticsearch uses.
# Where a hand check of VictoriaLogs v1.26.0 found it, the stand-in does
# as the real one: a line needs room for its newline in the 256 KiB buffer
# (262,143 bytes stored, 262,144 skipped), the rest of a body after a
# too-long line is lost, too-long lines alone answer 200, an unknown or
# undecodable Content-Encoding answers 200 storing nothing, rows whose
# time is outside the retention window (7 days back, 2 ahead) are dropped
# with 200, and text/plain bodies are stored.
. "$(dirname "$0")/lib.sh"
rkv_init
command -v curl >/dev/null || skip "curl not installed"
vl_start
post() {	# EXPECTED_STATUS CURL_ARGS...
	local want=$1 got
	shift
	got=$(curl -s -o "$W/resp" -w '%{http_code}' -m 5 "$@")
	[ "$got" = "$want" ] || fail "curl $*: status $got, want $want ($(cat "$W/resp" 2>/dev/null))"
}
J='Content-Type: application/json'
expect() {	# NAME=VALUE...: vl-server's counters now
	local s kv
	s=" $(vl_cmd stats) "
	for kv; do
		case "$s" in *" $kv "*) ;; *) fail "want $kv: $s" ;; esac
	done
}
cat >"$W/b.jsonl" <<'EOS'
{"message":"one","timestamp":"2026-12-01T10:00:00.123456Z","host":"h1","kubernetes":{"pod_name":"p1"},"drop":"x"}
{"message":"two","timestamp":"1796119200123","host":"h2"}
not json
EOS
Q='_msg_field=message&_time_field=timestamp&_stream_fields=host,kubernetes.pod_name&ignore_fields=drop&extra_fields=env%3Dtest'
post 200 -H "$J" -H 'AccountID: 7' -H 'ProjectID: 3' --data-binary @"$W/b.jsonl" "$VL_URL/insert/jsonline?$Q"
python3 - "$W/vl.rows" <<'PY' || fail "row check"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
want = [
    {"_msg": "one", "_time": "1796119200123456000", "_stream": '{host="h1",kubernetes.pod_name="p1"}',
     "tenant": "7:3", "host": "h1", "kubernetes.pod_name": "p1", "env": "test"},
    {"_msg": "two", "_time": "1796119200123000000", "_stream": '{host="h2"}', "tenant": "7:3",
     "host": "h2", "env": "test"},
]
if rows != want:
    print("rows:", rows); sys.exit(1)
print("rows ok")
PY
[ "$(vl_stat bad_lines)" = 1 ] || fail "the invalid line was not counted"
# headers when there are no query args; the query wins over a header
printf '{"m":"hdr","t":"1796119200"}\n' >"$W/h.jsonl"
post 200 -H "$J" -H 'VL-Msg-Field: m' -H 'VL-Time-Field: t' --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
post 200 -H "$J" -H 'VL-Msg-Field: t' --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline?_msg_field=m"
[ "$(grep -c '"_msg":"hdr"' "$W/vl.rows")" = 2 ] || fail "msg field from header/query: $(tail -n 2 "$W/vl.rows")"
grep -q '"_time":"1796119200000000000"' "$W/vl.rows" || fail "time from VL-Time-Field"
# compressed bodies
gzip -c "$W/b.jsonl" >"$W/b.gz"
zstd -q -c "$W/b.jsonl" >"$W/b.zst"
post 200 -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$W/b.gz" "$VL_URL/insert/jsonline?$Q"
post 200 -H "$J" -H 'Content-Encoding: zstd' --data-binary @"$W/b.zst" "$VL_URL/insert/jsonline?$Q"
[ "$(vl_stat rows)" = 8 ] || fail "rows=$(vl_stat rows), want 8"
# an encoding VictoriaLogs does not know, or a body that does not decode
# with its encoding (gzip declared, plain sent): 200, nothing stored
post 200 -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$W/b.jsonl" "$VL_URL/insert/jsonline?$Q"
post 200 -H "$J" -H 'Content-Encoding: br' --data-binary @"$W/b.gz" "$VL_URL/insert/jsonline?$Q"
post 200 -H "$J" -H 'Content-Encoding: bogus' --data-binary @"$W/b.jsonl" "$VL_URL/insert/jsonline?$Q"
expect rows=8 undecodable=3
# a form content type: 200 and nothing stored (VictoriaLogs' behaviour);
# text/plain is read as JSON lines
post 200 -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$W/b.jsonl" "$VL_URL/insert/jsonline?$Q"
expect form_dropped=1 rows=8
post 200 -H 'Content-Type: text/plain' --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline?_msg_field=m"
expect rows=9
# nothing valid -> 400 with VictoriaLogs' text (the last line's reason)
printf '[1]\nnot json\n' | post 400 -H "$J" --data-binary @- "$VL_URL/insert/jsonline"
grep -q '^cannot process jsonline request; error: cannot parse JSON: ' "$W/resp" ||
	fail "400 text: $(cat "$W/resp")"
# line length: a line and its newline must fit in 256 KiB
line() {	# BYTES [MSG]: a JSON line of BYTES bytes before its newline
	python3 -c 'import sys; n, m = int(sys.argv[1]), sys.argv[2]
print("{\"_msg\":\"%s%s\"}" % (m, "x" * (n - 11 - len(m))))' "$1" "${2:-}"
}
line 262143 fits >"$W/l1.jsonl"
line 262144 skipped >"$W/l2.jsonl"
[ "$(head -c -1 "$W/l1.jsonl" | wc -c)" = 262143 ] || fail "line() length"
post 200 -H "$J" --data-binary @"$W/l1.jsonl" "$VL_URL/insert/jsonline"
expect rows=10 too_long=0
grep -q '"_msg":"fitsxxx' "$W/vl.rows" || fail "the 262,143-byte line was not stored"
post 200 -H "$J" --data-binary @"$W/l2.jsonl" "$VL_URL/insert/jsonline"	# alone: 200, not 400
expect rows=10 too_long=1 lost_after_long=0
line 300000 | post 200 -H "$J" --data-binary @- "$VL_URL/insert/jsonline"
expect rows=10 too_long=2 lost_after_long=0
# after a too-long line the rest of the body is lost
{ echo '{"_msg":"before long"}'; line 300000; echo '{"_msg":"after long 1"}'; echo '{"_msg":"after long 2"}'; } >"$W/lost.jsonl"
post 200 -H "$J" --data-binary @"$W/lost.jsonl" "$VL_URL/insert/jsonline"
expect rows=11 too_long=3 lost_after_long=2
grep -q '"_msg":"before long"' "$W/vl.rows" && ! grep -q '"after long' "$W/vl.rows" || fail "lines around a long one"
{ line 262144; line 262200; } | post 200 -H "$J" --data-binary @- "$VL_URL/insert/jsonline"
expect rows=11 too_long=4 lost_after_long=3
# too-long lines are not invalid ones: an invalid line read still makes 400
{ echo 'not json'; line 262144; } | post 400 -H "$J" --data-binary @- "$VL_URL/insert/jsonline"
expect rows=11 too_long=5 lost_after_long=3
# times outside the retention window (now - 7 days, VictoriaLogs'
# default, .. now + 2 days) or negative: the row is dropped with 200;
# inside it: stored. vl-server keeps 100 years unless told (the tests'
# events have fixed dates).
vl_cmd retention 7 | grep -q '^ok retention 7' || fail "retention command"
d() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
cat >"$W/t.jsonl" <<EOS
{"_msg":"t negative","t":"-1"}
{"_msg":"t old","t":"$(d '8 days ago')"}
{"_msg":"t future","t":"$(d '3 days')"}
{"_msg":"t recent","t":"$(d '6 days ago')"}
{"_msg":"t soon","t":"$(date -u -d '1 day' +%s)"}
EOS
post 200 -H "$J" --data-binary @"$W/t.jsonl" "$VL_URL/insert/jsonline?_time_field=t"
expect rows=13 dropped_time=3
[ "$(grep -c '"_msg":"t \(recent\|soon\)"' "$W/vl.rows")" = 2 ] &&
	! grep -q '"_msg":"t \(negative\|old\|future\)"' "$W/vl.rows" || fail "rows by time"
printf '{"_msg":"only negative","t":"-1"}\n' |
	post 200 -H "$J" --data-binary @- "$VL_URL/insert/jsonline?_time_field=t"
expect rows=13 dropped_time=4
vl_cmd retention 36500 >/dev/null
# injected answers
vl_cmd fail 503 2 >/dev/null
post 503 -H "$J" --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
post 503 -H "$J" --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
post 200 -H "$J" --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
vl_cmd stall 1 >/dev/null
post 000 -H "$J" --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
post 200 -H "$J" --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
post 404 "$VL_URL/select/nothing"
# keep-alive: two requests, one connection
n=$(curl -s -o /dev/null -w '%{num_connects}\n' -H "$J" --data-binary @"$W/h.jsonl" \
	"$VL_URL/insert/jsonline" "$VL_URL/insert/jsonline" | paste -sd' ')
[ "$n" = "1 0" ] || fail "connections per request: $n, want '1 0'"
# reject: a batch holding the text -> 400, nothing of it stored; others pass
vl_cmd reject 400 POISON-42 | grep -q '^ok reject 400' || fail "reject command: $(tail -n 1 "$W/vl.out")"
r0=$(vl_stat rows)
printf '{"_msg":"fine"}\n{"_msg":"has POISON-42 in it"}\n' >"$W/p.jsonl"
post 400 -H "$J" --data-binary @"$W/p.jsonl" "$VL_URL/insert/jsonline"
grep -q 'line rejected: contains "POISON-42"' "$W/resp" || fail "reject body: $(cat "$W/resp")"
[ "$(vl_stat rows)" = "$r0" ] && [ "$(vl_stat rejected)" = 1 ] || fail "rejected batch stored: $(vl_cmd stats)"
post 200 -H "$J" --data-binary @"$W/h.jsonl" "$VL_URL/insert/jsonline"
[ "$(vl_stat rows)" = $((r0 + 1)) ] || fail "clean batch not stored while rejecting"
vl_cmd reject off | grep -q '^ok reject off' || fail "reject off: $(tail -n 1 "$W/vl.out")"
post 200 -H "$J" --data-binary @"$W/p.jsonl" "$VL_URL/insert/jsonline"
[ "$(vl_stat rows)" = $((r0 + 3)) ] && [ "$(vl_stat rejected)" = 1 ] || fail "after reject off: $(vl_cmd stats)"
# Elasticsearch bulk API (stock omelasticsearch's path): 2 documents -> 2
# rows resolved like jsonline, and the reply omelasticsearch takes as success
cat >"$W/bulk.ndjson" <<'EOS'
{"index":{"_index":"logs"}}
{"message":"bulk one","timestamp":"2026-12-01T10:00:00Z","host":"b1"}
{"create":{}}
{"message":"bulk two","timestamp":"1796119200","host":"b2","n":{"x":1}}
EOS
r0=$(vl_stat rows)
post 200 -H "$J" -H 'AccountID: 5' --data-binary @"$W/bulk.ndjson" \
	"$VL_URL/insert/elasticsearch/_bulk?_msg_field=message&_time_field=timestamp&_stream_fields=host"
python3 - "$W/resp" "$W/vl.rows" <<'PY' || fail "bulk check"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["errors"] is False and [i["create"]["status"] for i in r["items"]] == [201, 201], r
rows = [json.loads(l) for l in open(sys.argv[2])][-2:]
want = [{"_msg": "bulk one", "_time": "1796119200000000000", "_stream": '{host="b1"}', "tenant": "5:0", "host": "b1"},
        {"_msg": "bulk two", "_time": "1796119200000000000", "_stream": '{host="b2"}', "tenant": "5:0", "host": "b2", "n.x": "1"}]
assert rows == want, rows
print("bulk ok")
PY
[ "$(vl_stat rows)" = $((r0 + 2)) ] || fail "bulk: rows=$(vl_stat rows), want $((r0 + 2))"
# the other bulk paths, gzip, and fail / reject applying to bulk too
gzip -c "$W/bulk.ndjson" >"$W/bulk.gz"
post 200 -H "$J" -H 'Content-Encoding: gzip' --data-binary @"$W/bulk.gz" "$VL_URL/_bulk?_msg_field=message"
post 200 -H "$J" --data-binary @"$W/bulk.ndjson" "$VL_URL/insert/elasticsearch/idx-1/_bulk"
post 404 -H "$J" --data-binary @"$W/bulk.ndjson" "$VL_URL/insert/elasticsearch/a/b/_bulk"
[ "$(vl_stat rows)" = $((r0 + 6)) ] || fail "bulk paths / gzip: rows=$(vl_stat rows), want $((r0 + 6))"
vl_cmd fail 503 1 >/dev/null
post 503 -H "$J" --data-binary @"$W/bulk.ndjson" "$VL_URL/insert/elasticsearch/_bulk"
vl_cmd reject 400 bulk two >/dev/null
post 400 -H "$J" --data-binary @"$W/bulk.ndjson" "$VL_URL/insert/elasticsearch/_bulk"
vl_cmd reject off >/dev/null
# a bad document ends the request as in VictoriaLogs: the one before it
# stays, 200 with an empty body
printf '{"create":{}}\n{"_msg":"before"}\n{"create":{}}\nnot json\n{"create":{}}\n{"_msg":"after"}\n' |
	post 200 -H "$J" --data-binary @- "$VL_URL/insert/elasticsearch/_bulk"
[ ! -s "$W/resp" ] && [ "$(vl_stat rows)" = $((r0 + 7)) ] || fail "bad bulk document: $(vl_cmd stats) $(cat "$W/resp")"
log "stats: $(vl_cmd stats)"
log "OK"
