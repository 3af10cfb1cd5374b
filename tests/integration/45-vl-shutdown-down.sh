#!/bin/bash
# omvictorialogs on an edge host (rsyslog-conf/edge-victorialogs.conf):
# rsyslogd stops while VictoriaLogs does not acknowledge,
# twice: first vl-server stalls every insert (accepts, never answers: the
# POST in flight must be abandoned) with 3,000 lines, all in the batch in
# flight: the stop ends within closeTimeout (2 s) + 4 s of rsyslog's own
# shutdown + 2 ms per message rsyslog spools from its queue to disk (it
# rewrites its .qi per message with checkpointInterval=1) and the batch
# is in <errorFile>.spill; then, with 17,000 more
# lines, it answers 503 to everything and the queue is saved by rsyslog.
# After the next restart with vl-server healthy, all 20,000 lines have
# arrived (duplicates counted, none lost). Last, a quiet source: what a
# stop spilled is sent at the next start without any new line arriving.
. "$(dirname "$0")/lib.sh"
N=${N:-20000}
rkv_init
vl_start
gen 3000 1
edge_vl_conf "$W/rsyslog.conf"
# stop_timed LIMIT_MS: stops rsyslogd, fails when it took longer
stop_timed() {
	local t0 t1 ms queued limit
	local lines0
	lines0=$(wc -l <"$W/rsyslogd.out")
	t0=$(date +%s%N)
	rsyslog_stop 60 || fail "rsyslogd exit status"
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	# plus rsyslog's own spooling of its queue: ~1 ms per message here
	# (checkpointInterval=1 rewrites the .qi per message)
	queued=$(tail -n +$((lines0 + 1)) "$W/rsyslogd.out" | sed -n 's/.*queue holds \([0-9]*\) messages after shutdown.*/\1/p' | tail -n 1)
	limit=$(( $1 + 2 * ${queued:-0} ))	# 2 ms per message: ~1 measured, slower under load
	log "stop took $ms ms (limit $1 ms + 2 ms x ${queued:-0} messages rsyslog spooled); spill: $(stat -c %s "$W/vl-errors.json.spill" 2>/dev/null || echo none) bytes"
	[ "$ms" -le "$limit" ] || fail "stop took $ms ms > $limit ms"
}
vl_cmd "stall 1000000000"
rsyslog_start "$W/rsyslog.conf"
stalled() { vl_stat stalled; }
wait_for_count "stalled inserts" 1 30 stalled || fail "no insert reached vl-server"
sleep 1
stop_timed 6000
# rsyslogd's log action is shut down before the spill is said: the file
[ -s "$W/vl-errors.json.spill" ] || fail "nothing spilled at the stalled stop"
vl_cmd "stall 0"
vl_cmd "fail 503 1000000000"
gen $((N - 3000)) 3001
rsyslog_start "$W/rsyslog.conf"
failed() { vl_stat failed; }
wait_for_count "503 answers" 2 30 failed || fail "no insert after the restart"
stop_timed 6000
vl_cmd "fail 503 0"
log "vl-server before the last start: $(vl_cmd stats)"
[ "$(vl_stat rows)" = 0 ] || fail "rows stored while vl-server refused"
rsyslog_start "$W/rsyslog.conf"
rows() { wc -l <"$W/vl.rows"; }
wait_for_count "rows in vl-server" "$N" 60 rows || true
sleep 2
rsyslog_stop 30 || fail "rsyslogd exit status"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect "$N" --tenant 0:0 --allow-dups --loose || fail "sequence check"
grep -q 'kept at the last shutdown delivered from' "$W/rsyslogd.log" || fail "the spill file was not replayed"
[ ! -s "$W/vl-errors.json.spill" ] || fail "spill file left behind"

# a quiet source: 1,000 more lines spilled at a stop during a 503 outage
# (the queue drained into the spill file), then a start with no new line
# at all: the action's own replayer sends them
vl_cmd "fail 503 1000000000"
gen 1000 $((N + 1))
rsyslog_start "$W/rsyslog.conf"
wait_for_count "503 answers" 5 30 failed || fail "no insert during the last outage"
sleep 1
stop_timed 6000
ls "$W/spool"/q_victorialogs.* >/dev/null 2>&1 &&
	fail "rsyslog kept part of the queue: this phase needs everything in the spill file"
[ -s "$W/vl-errors.json.spill" ] || fail "nothing spilled"
vl_cmd "fail 503 0"
rsyslog_start "$W/rsyslog.conf"
wait_for_count "rows in vl-server" $((N + 1000)) 60 rows || true
rsyslog_stop 30 || fail "rsyslogd exit status"
"$TOOLS/vl-rows-check" "$W/vl.rows" --expect $((N + 1000)) --tenant 0:0 --allow-dups --loose ||
	fail "the spill file of a quiet source was not sent"
[ ! -s "$W/vl-errors.json.spill" ] || fail "spill file left behind"
log "OK"
