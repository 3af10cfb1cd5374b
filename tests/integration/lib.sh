# lib.sh: shared helpers of the integration tests (sourced, bash).
# Every test gets its own work directory, a kafka-mock process, a real
# rsyslogd in the foreground, and asserts by counting sequence numbers.
# Environment (set by tests/run-tests.sh): RKV_BUILDDIR, RKV_SRCDIR, RSYSLOGD.
# RSYSLOGD=/path/rsyslogd RSYSLOG_MODDIR=/path/to/its/modules runs every
# test under another rsyslogd (its own imfile, impstats, ...: rsyslogd -M).
# RKV_VALGRIND=1 runs rsyslogd under valgrind (memcheck).

set -u
RKV_SRCDIR=${RKV_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RKV_BUILDDIR=${RKV_BUILDDIR:-$RKV_SRCDIR}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
TOOLS=$RKV_SRCDIR/tests/tools
# the built test tools (kafka-mock, ...): RKV_TOOLS_BUILDDIR lets a build
# of the modules against another librdkafka keep the main build's tools
TOOLBIN=${RKV_TOOLS_BUILDDIR:-$RKV_BUILDDIR}/tests/tools
MODDIR=$RKV_BUILDDIR/plugins/omrdkafka/.libs
KAFKA_MOCK=$TOOLBIN/kafka-mock
TNAME=$(basename "$0" .sh)
W=${RKV_WORKROOT:-$RKV_BUILDDIR/_work}/$TNAME
MOCK_PID= RS_PID= BOOTSTRAP=

log() { echo "[$TNAME $(date +%H:%M:%S)] $*"; }
fail() { log "FAIL: $*"; exit 1; }
skip() { log "SKIP: $*"; exit 77; }

cleanup() {
	[ -n "$RS_PID" ] && kill -9 "$RS_PID" 2>/dev/null
	[ -n "$MOCK_PID" ] && { exec 9>&- 2>/dev/null; kill "$MOCK_PID" 2>/dev/null; }
	[ -n "${VL_PID:-}" ] && { exec 7>&- 2>/dev/null; kill "$VL_PID" 2>/dev/null; }
	# a helper a test stopped with SIGSTOP (test 23's FIFO reader)
	[ -n "${READER:-}" ] && { kill -CONT "$READER"; kill "$READER"; } 2>/dev/null
	wait 2>/dev/null
	return 0
}

rkv_init() {
	rm -rf "$W"
	mkdir -p "$W/logs" "$W/spool"
	trap cleanup EXIT
	command -v kcat >/dev/null || skip "kcat not installed"
	[ -x "$KAFKA_MOCK" ] || skip "kafka-mock not built ($KAFKA_MOCK): librdkafka without the mock cluster API it needs (< 1.6.0)"
	[ -f "$MODDIR/omrdkafka.so" ] || fail "omrdkafka.so not built"
}

# ---- Kafka mock cluster ------------------------------------------------
# mock_start [kafka-mock options...]: starts the cluster, sets BOOTSTRAP.
mock_start() {
	rm -f "$W/mock.in" "$W/bootstrap"
	mkfifo "$W/mock.in"
	"$KAFKA_MOCK" -p "$W/bootstrap" "$@" <"$W/mock.in" >"$W/mock.out" 2>"$W/mock.err" &
	MOCK_PID=$!
	exec 9>"$W/mock.in"	# keep its stdin open; closing it stops the mock
	local i
	for i in $(seq 1 100); do
		[ -s "$W/bootstrap" ] && break
		sleep 0.1
	done
	BOOTSTRAP=$(cat "$W/bootstrap" 2>/dev/null)
	[ -n "$BOOTSTRAP" ] || fail "kafka-mock did not start: $(cat "$W/mock.err")"
	log "kafka-mock up: $BOOTSTRAP"
}

# mock_cmd "down 1": sends a command, waits for its answer line.
mock_cmd() {
	local before after i
	before=$(wc -l <"$W/mock.out")
	echo "$*" >&9
	for i in $(seq 1 50); do
		after=$(wc -l <"$W/mock.out")
		[ "$after" -gt "$before" ] && break
		sleep 0.1
	done
	tail -n 1 "$W/mock.out" | grep -q '^ok' || fail "mock command '$*': $(tail -n 1 "$W/mock.out")"
	log "mock: $*"
}

# kafka_dump TOPIC FILE: every message value of TOPIC, one per line.
kafka_dump() {
	kcat -C -b "$BOOTSTRAP" -t "$1" -o beginning -e -q -f '%s\n' -X fetch.message.max.bytes=10485760 >"$2" 2>>"$W/kcat.err"
}

# kafka_count TOPIC: number of messages in TOPIC.
kafka_count() {
	kcat -C -b "$BOOTSTRAP" -t "$1" -o beginning -e -q -f 'x\n' 2>>"$W/kcat.err" | wc -l
}

# wait_for_count WHAT N TIMEOUT_S COMMAND...: waits until COMMAND prints a
# number >= N
wait_for_count() {
	local what=$1 want=$2 end=$(( $(date +%s) + $3 )) n=0
	shift 3
	while [ "$(date +%s)" -lt "$end" ]; do
		n=$("$@")
		[ "${n:-0}" -ge "$want" ] && { log "$what: $n"; return 0; }
		sleep 0.5
	done
	log "timeout: $what: $n of $want"
	return 1
}

# wait_kafka_count TOPIC N TIMEOUT_S: waits until TOPIC holds >= N messages.
wait_kafka_count() {
	wait_for_count "messages in $1" "$2" "$3" kafka_count "$1"
}

# ---- rsyslogd ------------------------------------------------------------
# edge_conf OUT: rsyslog-conf/edge.conf with this test's paths and broker.
# Further sed expressions may be given as arguments.
edge_conf() {
	local out=$1
	shift
	sed -e "s|workDirectory=\"/var/spool/rsyslog\"|workDirectory=\"$W/spool\"|" \
	    -e "s|/path/to/logs/\*.log|$W/logs/*.log|" \
	    -e "s|module(load=\"omrdkafka\")|module(load=\"$MODDIR/omrdkafka.so\")|" \
	    -e "s|broker=\[\"kafka.example.com:443\"\]|broker=[\"$BOOTSTRAP\"]|" \
	    -e "/tls.cafile=/d" \
	    -e "s|/var/spool/rsyslog/omrdkafka-errors.json|$W/errors.json|" \
	    -e "s|/var/log/rsyslog-edge.log|$W/rsyslogd.log|" \
	    "$@" "$RKV_SRCDIR/rsyslog-conf/edge.conf" >"$out"
	conf_finish "$out" 'example.com\|/path/to\|/var/spool\|/var/log'
}

# edge_vl_conf OUT [sed expressions]: rsyslog-conf/edge-victorialogs.conf
# with this test's paths and vl-server (vl_start first), no TLS.
edge_vl_conf() {
	local out=$1
	shift
	[ -n "$VL_URL" ] || fail "edge_vl_conf needs vl_start first"
	sed -e "s|workDirectory=\"/var/spool/rsyslog\"|workDirectory=\"$W/spool\"|" \
	    -e "s|/path/to/logs/\*.log|$W/logs/*.log|" \
	    -e "s|module(load=\"omvictorialogs\")|module(load=\"$OVL_MODDIR/omvictorialogs.so\")|" \
	    -e "s|https://my-vlog.example.com|$VL_URL|" \
	    -e "/tls.cafile=/d" \
	    -e "s|/var/spool/rsyslog/omvictorialogs-errors.json|$W/vl-errors.json|" \
	    -e "s|/var/log/rsyslog-edge.log|$W/rsyslogd.log|" \
	    "$@" "$RKV_SRCDIR/rsyslog-conf/edge-victorialogs.conf" >"$out"
	conf_finish "$out" 'example.com\|/path/to\|/var/spool\|/var/log'
}

# copy_tree DEST: the project's files (tracked and new, not ignored) copied
# to DEST, for the tests that build the tree another way (90, 91, 92)
copy_tree() {
	mkdir -p "$1"
	(cd "$RKV_SRCDIR" && git ls-files --cached --others --exclude-standard -z |
		xargs -0 cp --parents -t "$1") || fail "cannot copy the source files to $1"
}

# conf_finish OUT LEFTOVERS: impstats every second into $W/impstats.json,
# modules kept mapped under valgrind (leak stacks with symbols), and no
# line may still match LEFTOVERS (a substitution that missed).
conf_finish() {
	cat >>"$1" <<-EOS
	module(load="impstats" interval="1" format="json" log.file="$W/impstats.json" log.syslog="off" resetCounters="off")
	EOS
	[ "${RKV_VALGRIND:-0}" = 1 ] && echo 'global(debug.unloadModules="off")' >>"$1"
	! grep -q "$2" "$1" ||
		fail "$(basename "$1"): substitution incomplete: $(grep "$2" "$1" | head -n 3)"
}

# rsyslog_start CONF: rsyslogd in the foreground (background job).
rsyslog_start() {
	local i vg=""
	[ "${RKV_VALGRIND:-0}" = 1 ] &&
		vg="valgrind --log-file=$W/valgrind.%p.log --leak-check=full --errors-for-leak-kinds=definite --suppressions=$TOOLS/valgrind.supp --num-callers=30"
	rm -f "$W/rsyslogd.pid"
	RSYSLOG_DEBUG=${RSYSLOG_DEBUG:-} $vg "$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -n -f "$1" -i "$W/rsyslogd.pid" >>"$W/rsyslogd.out" 2>&1 &
	RS_PID=$!
	for i in $(seq 1 300); do
		[ -s "$W/rsyslogd.pid" ] && break
		kill -0 "$RS_PID" 2>/dev/null || fail "rsyslogd exited: $(tail -n 20 "$W/rsyslogd.out")"
		sleep 0.1
	done
	[ -s "$W/rsyslogd.pid" ] || fail "rsyslogd did not start"
	log "rsyslogd started (pid $RS_PID)"
}

# rsyslog_stop [TIMEOUT_S]: SIGTERM and wait; fails when it hangs.
rsyslog_stop() {
	local t=${1:-60} i rc
	[ -n "$RS_PID" ] || return 0
	kill -TERM "$RS_PID" 2>/dev/null
	for i in $(seq 1 $((t * 10))); do
		kill -0 "$RS_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$RS_PID" 2>/dev/null; then
		kill -9 "$RS_PID"
		RS_PID=
		fail "rsyslogd did not stop within ${t}s"
	fi
	wait "$RS_PID"
	rc=$?
	RS_PID=
	log "rsyslogd stopped (exit $rc)"
	return $rc
}

rsyslog_kill9() {
	kill -9 "$RS_PID"
	wait "$RS_PID" 2>/dev/null
	RS_PID=
	log "rsyslogd killed with SIGKILL"
}

# gen LINES [START]: appends numbered lines to $W/logs/app.log.
gen() {
	"$TOOLS/gen-lines" --count "$1" --start "${2:-1}" "$W/logs/app.log"
}

# last value of an impstats counter of the omrdkafka action
stat_value() {
	grep '"origin": *"omrdkafka"' "$W/impstats.json" 2>/dev/null | tail -n 1 |
		sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"
}

# seq_check FILE N [seqcheck options]: all of 1..N present, valid JSON.
seq_check() {
	local f=$1 n=$2
	shift 2
	"$TOOLS/seqcheck" --json --field message --expect "$n" "$@" "$f" | tee "$W/seqcheck.out"
	return "${PIPESTATUS[0]}"
}

# mock_all down|up: every broker of the 3-broker cluster
mock_all() {
	mock_cmd "$1" 1; mock_cmd "$1" 2; mock_cmd "$1" 3
}

# stats_rotate: keeps this run's impstats apart (counters restart with
# every rsyslogd); module_dups sums over all runs.
stats_rotate() {
	[ -f "$W/impstats.json" ] && mv "$W/impstats.json" "$W/impstats.$(date +%s%N).json"
	return 0
}

# module_dups: duplicates the module itself counted (possible re-sends of
# messages Kafka may have stored, and late acknowledgements), all runs
module_dups() {
	local f n=0 v
	for f in "$W"/impstats*.json; do
		[ -f "$f" ] || continue
		v=$(grep '"origin": *"omrdkafka"' "$f" | tail -n 1 |
			sed -n 's/.*"duplicates.late_acks": *\([0-9]*\).*"duplicates.possible": *\([0-9]*\).*/\1 \2/p')
		[ -n "$v" ] && n=$((n + ${v% *} + ${v#* }))
	done
	echo $n
}

# seq_dups: duplicates seqcheck found in Kafka (last seq_check)
seq_dups() {
	sed -n 's/.*duplicates \([0-9]*\).*/\1/p' "$W/seqcheck.out" | tail -n 1
}

# check_dups: every duplicate in Kafka is one the module counted (the
# module counts what librdkafka calls "possibly persisted", an upper bound)
check_dups() {
	local d m
	d=$(seq_dups) m=$(module_dups)
	log "duplicates: $d in Kafka, $m counted by the module"
	[ "${d:-0}" -le "$m" ] || fail "$d duplicates in Kafka, but the module counted only $m"
}

# queue_discarded NAME: discarded.full + discarded.nf of queue NAME (and its
# [DA] part), last values of this run
queue_discarded() {
	local q n=0 v
	for q in "$1" "$1\\[DA\\]"; do
		v=$(grep "\"name\": *\"$q\"" "$W/impstats.json" 2>/dev/null | tail -n 1 |
			sed -n 's/.*"discarded.full": *\([0-9]*\).*"discarded.nf": *\([0-9]*\).*/\1 \2/p')
		[ -n "$v" ] && n=$((n + ${v% *} + ${v#* }))
	done
	echo $n
}

# ---- the aggregator (imrdkafka) -------------------------------------------
IMR_MODDIR=$RKV_BUILDDIR/plugins/imrdkafka/.libs
OVL_MODDIR=$RKV_BUILDDIR/plugins/omvictorialogs/.libs
GROUP=vector-consumer
OUT=$W/out/events.jsonl

# agg_conf OUT [sed expressions]: rsyslog-conf/aggregator.conf with this
# test's paths and broker. Its output is omvictorialogs into vl-server
# (vl_start first) with AGG_OUT=vl; by default (the imrdkafka tests, which
# count and stall a local file) the block between the "output:" markers
# becomes an omfile action writing $OUT, every other setting unchanged.
# AGG_PARSE=1 (the default with the file output) switches to the config's
# documented "#parsed:" variant: imrdkafka parseJson="on" with its fields,
# omvictorialogs with its default template ($! as JSON).
agg_conf() {
	local out=$1 block parse=cat
	shift
	if [ "${AGG_PARSE:-$([ "${AGG_OUT:-file}" = vl ] && echo 0 || echo 1)}" = 1 ]; then
		parse='sed -e /^[[:space:]]*parseJson="off"/d -e s/^\([[:space:]]*\)#parsed:[[:space:]]*/\1/ -e /^[[:space:]]*template="payload"/d'
	fi
	[ -f "$IMR_MODDIR/imrdkafka.so" ] || fail "imrdkafka.so not built"
	[ -f "$OVL_MODDIR/omvictorialogs.so" ] || fail "omvictorialogs.so not built"
	if [ "${AGG_OUT:-file}" = vl ]; then
		[ -n "$VL_URL" ] || fail "agg_conf: AGG_OUT=vl needs vl_start first"
		block="s|http://victorialogs.logging.svc.cluster.local:9428|$VL_URL|"
	else
		block='/# output: VictoriaLogs/,/# output: end/c\
		type="omfile" file="'"$OUT"'" template="event_jsonl"'
	fi
	sed -e "s|workDirectory=\"/var/spool/rsyslog\"|workDirectory=\"$W/spool\"|" \
	    -e "s|/var/spool/rsyslog/omvictorialogs-errors.json|$W/vl-errors.json|" \
	    -e "s|module(load=\"imrdkafka\")|module(load=\"$IMR_MODDIR/imrdkafka.so\")|" \
	    -e "s|module(load=\"omvictorialogs\")|module(load=\"$OVL_MODDIR/omvictorialogs.so\")\ntemplate(name=\"event_jsonl\" type=\"string\" string=\"%\$!all-json%\\\\n\")|" \
	    -e "s|broker=\[\"kafka-bootstrap.kafka.svc.cluster.local:9092\"\]|broker=[\"$BOOTSTRAP\"]|" \
	    -e "$block" \
	    -e "s|/var/log/rsyslog-aggregator.log|$W/rsyslogd.log|" \
	    "$@" "$RKV_SRCDIR/rsyslog-conf/aggregator.conf" | $parse >"$out"
	conf_finish "$out" 'example.com\|svc.cluster.local\|/var/spool\|/var/log'
}

# kafka_fill TOPIC COUNT [START]: COUNT edge-format JSON events (seq START..)
# produced to TOPIC (lz4: the mock keeps only ~5 MB per partition).
kafka_fill() {
	"$TOOLS/gen-edge-json" --count "$2" --start "${3:-1}" - |
		kcat -P -b "$BOOTSTRAP" -t "$1" -X compression.codec=lz4 -X sticky.partitioning.linger.ms=0 \
			-X queue.buffering.max.messages=1000000 2>>"$W/kcat.err" ||
		fail "kcat -P failed: $(tail -n 3 "$W/kcat.err")"
}

# out_count: events the output has written so far
out_count() {
	cat "$OUT"* 2>/dev/null | wc -l
}

# wait_out N TIMEOUT_S: waits until the output holds >= N events
wait_out() {
	wait_for_count "events in the output" "$1" "$2" out_count
}

# group_offsets TOPIC: "total committed=C high=H lag=L" of $GROUP
group_offsets() {
	"$TOOLBIN/kafka-offsets" -b "$BOOTSTRAP" -g "$GROUP" -t "$1" |
		tail -n 1
}
# committed_total TOPIC: the sum of the group's committed offsets
committed_total() {
	group_offsets "$1" | sed -n 's/.*committed=\([0-9]*\).*/\1/p'
}

# imr_stat NAME: last value of a counter of the imrdkafka input
imr_stat() {
	grep "\"name\": *\"imrdkafka-$GROUP\"" "$W/impstats.json" 2>/dev/null | tail -n 1 |
		sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"
}

# wait_committed TOPIC MIN TIMEOUT_S: waits until the group committed >= MIN
wait_committed() {
	wait_for_count "committed offsets of $GROUP in $1" "$2" "$3" committed_total "$1"
}

# valgrind_check DIR OURS: every valgrind log below DIR: no memory error,
# no definite leak whose stack passes through a frame matching OURS (awk
# regex of our function prefixes)
valgrind_check() {
	local logs f errs leaks bad=0
	logs=$(ls "$1"/*/valgrind.*.log 2>/dev/null)
	[ -n "$logs" ] || fail "no valgrind logs: was rsyslogd run under valgrind?"
	for f in $logs; do
		errs=$(grep -c 'Invalid read\|Invalid write\|uninitialised\|Invalid free\|Mismatched free\|overlap' "$f")
		leaks=$(awk -v ours="$2" '/definitely lost in/{rec=1; hit=0; next} rec && $0 ~ ours {hit=1}
			rec && /^==[0-9]+== $/{ if (hit) n++; rec=0 } END{print n+0}' "$f")
		log "$f: $errs memory errors, $leaks definite leaks through our code; $(grep 'ERROR SUMMARY' "$f" | tail -n 1)"
		[ "$errs" -eq 0 ] && [ "$leaks" -eq 0 ] || { bad=1; grep -A25 'Invalid\|uninitialised\|definitely' "$f" | head -n 80; }
	done
	[ $bad -eq 0 ] || fail "valgrind found problems"
}

# expect_n1 WANT_RC PATTERN CONF: `rsyslogd -N1` of CONF (a file) exits
# 0 (WANT_RC 0) or fails with output naming PATTERN; never a secret
# (Hunter2Secret) in the output.
expect_n1() {
	local want=$1 pat=$2 out rc
	out=$("$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$3" 2>&1)
	rc=$?
	echo "$out" >"${3%.conf}.out"
	if [ "$want" = 0 ]; then
		[ $rc -eq 0 ] || fail "$(basename "$3"): valid config rejected: $out"
	else
		[ $rc -ne 0 ] || fail "$(basename "$3"): bad config accepted: $(tail -n 1 "$3")"
		echo "$out" | grep -q -- "$pat" || fail "$(basename "$3"): error does not name '$pat': $out"
	fi
	echo "$out" | grep -q 'Hunter2Secret' && fail "$(basename "$3"): secret in output: $out"
	log "$(basename "$3") ok (rc=$rc): $(echo "$out" | grep -m1 -i "rdkafka\|parameter" | cut -c1-160)"
}

# ---- the VictoriaLogs stand-in (tests/tools/vl-server) -----------------------
VL_PID= VL_URL=
# vl_start: starts vl-server (rows in $W/vl.rows), sets VL_URL
vl_start() {
	rm -f "$W/vl.in" "$W/vl.port"
	mkfifo "$W/vl.in"
	"$TOOLBIN/vl-server" -p "$W/vl.port" -o "$W/vl.rows" \
		<"$W/vl.in" >"$W/vl.out" 2>"$W/vl.err" &
	VL_PID=$!
	exec 7>"$W/vl.in"	# its stdin; closing it stops the server
	local i
	for i in $(seq 1 50); do [ -s "$W/vl.port" ] && break; sleep 0.1; done
	[ -s "$W/vl.port" ] || fail "vl-server did not start: $(cat "$W/vl.err")"
	VL_URL=http://127.0.0.1:$(cat "$W/vl.port")
	log "vl-server up: $VL_URL"
}

# vl_cmd "fail 503 3": a command; prints its answer line
vl_cmd() {
	local before i
	before=$(wc -l <"$W/vl.out")
	echo "$*" >&7
	for i in $(seq 1 50); do
		[ "$(wc -l <"$W/vl.out")" -gt "$before" ] && break
		sleep 0.05
	done
	tail -n 1 "$W/vl.out"
}

# vl_stat NAME: a counter of vl-server's "stats" answer
vl_stat() {
	vl_cmd stats | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# agg_first N: aggregator.conf with N edge events in standard-logs (8
# partitions, 3 brokers), rsyslogd started and all N written
agg_first() {
	mock_start -b 3 -t standard-logs:8
	agg_conf "$W/rsyslog.conf"
	kafka_fill standard-logs "$1"
	rsyslog_start "$W/rsyslog.conf"
	wait_out "$1" 60 || fail "the first $1 events did not arrive"
}
