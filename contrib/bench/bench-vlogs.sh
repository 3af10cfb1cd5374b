#!/bin/bash
# bench-vlogs.sh [N]: the aggregator leg (DESIGN.md §8, issue 12), side by
# side in one run on the same N pre-filled edge-format JSON events (default
# 1,000,000; lz4, 32 partitions of a 3-broker kafka-mock), each run a fresh
# consumer group from the earliest offset, the same main queue (LinkedList
# 100k, batch 1024) and a fresh VictoriaLogs stand-in (tests/tools/vl-server,
# rows parsed and counted; BENCH_ROWS=1 also stores them and seqchecks):
#   stock        stock imkafka -> mmjsonparse -> omelasticsearch (bulkmode,
#                rsyslog-kafka + rsyslog-elasticsearch packages) into
#                vl-server's /insert/elasticsearch/_bulk: the closest stock
#                path; the document is $! as JSON, as omvictorialogs sends
#   stock-gzip   not runnable: omelasticsearch 8.2302 has no compression
#                parameter (none in its parameter table); listed as such
#   vlogs        rsyslog-conf/aggregator.conf's choice: imrdkafka
#                (parseJson="off") -> omvictorialogs with template
#                "%rawmsg%" (the edge's JSON as it is in Kafka) into
#                /insert/jsonline, compression="none"
#   vlogs-gzip   the same with compression="gzip"
#   vlogs-parsed aggregator.conf's "#parsed:" variant: imrdkafka
#                parseJson="on" -> omvictorialogs' default template ($! as
#                JSON), compression="none": what the same work as stock's
#                (parse, then render $!) costs here
# Both sides send _msg_field=message, _time_field=timestamp and
# _stream_fields=host (omelasticsearch has no way to add query args or
# headers: they ride in its `timeout` value, which it appends to the URL
# as "?timeout=<value>" unchecked; VictoriaLogs ignores unknown args).
# The clock starts when the first event reaches vl-server and stops when
# its row count reaches N (vl-server's `stats`, polled every 0.1 s), so the
# consumer group join is excluded; rsyslogd's CPU (utime+stime from
# /proc/PID/stat) is taken at the same two moments. Prints per run: join
# s, events/s, CPU s and µs per event over that window, peak RSS, the
# stand-in's own CPU µs per event, rows stored and missing; then the
# ratios. BENCH_RUNS selects runs, BENCH_BATCH the batch size.
set -u
N=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${RKV_BUILDDIR:-$top}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
RUNS=${BENCH_RUNS:-stock stock-gzip vlogs vlogs-gzip vlogs-parsed}
BATCH=${BENCH_BATCH:-1024}
W=$B/_work/bench-vlogs
rm -rf "$W"; mkdir -p "$W"
moddir=$(dirname "$(ls /usr/lib/*/rsyslog/imkafka.so /usr/lib64/rsyslog/imkafka.so 2>/dev/null | head -n 1)")
for m in imkafka omelasticsearch mmjsonparse; do
	[ -f "$moddir/$m.so" ] || { echo "stock $m not installed (sh contrib/setup-deps.sh)"; exit 1; }
done
RDK_MOD=$B/plugins/imrdkafka/.libs/imrdkafka.so
OVL_MOD=$B/plugins/omvictorialogs/.libs/omvictorialogs.so
VL_SERVER=$B/tests/tools/vl-server
[ -x "$VL_SERVER" ] || { echo "vl-server not built ($VL_SERVER)"; exit 1; }
TCK=$(getconf CLK_TCK)
VLARGS="_msg_field=message&_time_field=timestamp&_stream_fields=host"
P=32
RS_PID= VL_PID=

. "$top/contrib/bench/mock.sh"
bench_mock -t bench-in:$P
cleanup() {
	[ -n "$RS_PID" ] && kill -9 "$RS_PID" 2>/dev/null
	[ -n "$VL_PID" ] && kill "$VL_PID" 2>/dev/null
	exec 9>&-; kill "$MOCK" 2>/dev/null; wait
}
trap cleanup EXIT

echo "filling $N events ..."
"$top/tests/tools/gen-edge-json" --count "$N" - |
	kcat -P -b "$BOOT" -t bench-in -X compression.codec=lz4 -X linger.ms=50 \
		-X queue.buffering.max.messages=1000000 || exit 1
"$B/tests/tools/kafka-offsets" -b "$BOOT" -g bench-none -t bench-in | tail -n 1

# ---- the stand-in: a coprocess answering one line per command ---------------
vl_start() {
	local line opt=""
	[ "${BENCH_ROWS:-0}" = 1 ] && opt="-o $W/$1.rows"
	rm -f "$W/vl.port"
	coproc VL { exec "$VL_SERVER" -p "$W/vl.port" $opt 2>"$W/$1.vl.err"; }
	read -r -t 5 line <&"${VL[0]}" || { echo "vl-server did not start"; exit 1; }
	VL_PORT=$(cat "$W/vl.port")
}
vl_stop() {
	kill "$VL_PID" 2>/dev/null; wait "$VL_PID" 2>/dev/null; VL_PID=
}
# vl_stats: STATS = the answer of "stats"; vl_field NAME: VAL = one counter
vl_stats() {
	echo stats >&"${VL[1]}"
	read -r -t 5 STATS <&"${VL[0]}" || STATS=""
}
vl_field() {
	local s=" ${STATS#ok } "
	s=${s#* $1=}
	VAL=${s%% *}
}
# cpu PID: CPU = utime + stime in ticks (no fork: polled often)
cpu() {
	local f
	read -r -a f <"/proc/$1/stat" 2>/dev/null || { CPU=0; return; }
	CPU=$((f[13] + f[14]))
}
now() { NOW=${EPOCHREALTIME/./}; }	# µs

# ---- configs ------------------------------------------------------------------
conf_head() {	# name
	cat <<-EOS
	global(workDirectory="$W" maxMessageSize="4m")
	main_queue(queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="$BATCH")
	module(load="impstats" interval="1" format="json" log.file="$W/$1.stats" log.syslog="off" resetCounters="off")
	EOS
}
conf_stock() {
	conf_head stock
	cat <<-EOS
	module(load="$moddir/imkafka.so")
	module(load="$moddir/mmjsonparse.so")
	module(load="$moddir/omelasticsearch.so")
	template(name="doc" type="string" string="%\$!%")
	input(type="imkafka" broker=["$BOOT"] topic="bench-in" consumerGroup="bench-stock-$RUNNO" ruleset="r")
	ruleset(name="r") {
		action(type="mmjsonparse" cookie="" useRawMsg="on")
		action(type="omelasticsearch" server="http://127.0.0.1:$VL_PORT/insert/elasticsearch"
			bulkmode="on" template="doc" searchIndex="logs" esVersion.major="8"
			timeout="1m&$VLARGS" errorFile="$W/stock.errors.json"
			action.resumeRetryCount="-1")
	}
	EOS
}
conf_vlogs() {	# name compression parsed(0|1)
	local parse=off tpl='template="payload"'
	[ "$3" = 1 ] && { parse=on; tpl=; }
	conf_head "$1"
	cat <<-EOS
	module(load="$RDK_MOD")
	module(load="$OVL_MOD")
	template(name="payload" type="string" string="%rawmsg%")
	input(type="imrdkafka" broker=["$BOOT"] topic="bench-in" consumerGroup="bench-$1-$RUNNO"
		startOffset="earliest" parseJson="$parse" ruleset="r")
	ruleset(name="r") {
		action(type="omvictorialogs" endpoint="http://127.0.0.1:$VL_PORT" $tpl
			msgField="message" timeField="timestamp" streamFields=["host"]
			compression="$2" batch.maxEvents="$BATCH" errorFile="$W/$1.errors.json"
			queue.type="Direct" action.resumeRetryCount="-1")
	}
	EOS
}

# ---- one run --------------------------------------------------------------------
# measure NAME: polls vl-server until rows reach N (or 20 s without growth)
measure() {
	local name=$1 t0 ta=0 tb=0 ca=0 cb=0 ra=0 rb=0 va=0 vb=0 last=0 since rss
	now; t0=$NOW; since=$NOW
	while :; do
		sleep 0.1
		vl_stats; vl_field rows; now
		if [ "$ta" = 0 ] && [ "${VAL:-0}" -gt 0 ]; then
			ta=$NOW ra=$VAL; cpu "$RS_PID"; ca=$CPU; cpu "$VL_PID"; va=$CPU
		fi
		[ "${VAL:-0}" != "$last" ] && { last=$VAL; since=$NOW; }
		if [ "${VAL:-0}" -ge "$N" ]; then
			tb=$NOW rb=$VAL; cpu "$RS_PID"; cb=$CPU; cpu "$VL_PID"; vb=$CPU
			break
		fi
		kill -0 "$RS_PID" 2>/dev/null || { echo "$name: rsyslogd exited"; break; }
		[ $((NOW - since)) -gt 20000000 ] && { echo "$name: stalled at ${VAL:-0} of $N"; break; }
	done
	[ "$tb" = 0 ] && { tb=$since rb=$last; cpu "$RS_PID"; cb=$CPU; cpu "$VL_PID"; vb=$CPU; }
	rss=$(awk '/VmHWM/{print $2}' "/proc/$RS_PID/status" 2>/dev/null)
	sleep 1	# late duplicates, if any, still count
	kill -TERM "$RS_PID"; wait "$RS_PID" 2>/dev/null; RS_PID=
	vl_stats; vl_field rows; echo "$name: vl-server $STATS" >>"$W/result.txt"
	awk -v n="$N" -v t0="$t0" -v ta="$ta" -v tb="$tb" -v ca="$ca" -v cb="$cb" -v ra="$ra" \
		-v rb="$rb" -v va="$va" -v vb="$vb" -v tck="$TCK" -v rows="$VAL" -v rss="${rss:-0}" \
		-v name="$name" 'BEGIN {
		d = rb - ra; s = (tb - ta) / 1e6; if (d <= 0 || s <= 0) { d = 1; s = 1 }
		miss = n - rows; note = miss > 0 ? ", MISSING " miss : (miss < 0 ? ", " -miss " extra" : "")
		printf "%-10s join %5.2f s %8.0f ev/s %6.2f cpu-s %6.2f cpu-us/ev %7d KiB RSS  " \
			"vl-server %5.2f us/ev  rows %d of %d%s\n", name, ta ? (ta - t0) / 1e6 : 0, d / s,
			(cb - ca) / tck, (cb - ca) / tck * 1e6 / d, rss, (vb - va) / tck * 1e6 / d, rows, n, note
	}' | tee -a "$W/result.txt"
	if [ "${BENCH_ROWS:-0}" = 1 ]; then
		"$top/tests/tools/seqcheck" --json --field _msg --expect "$N" "$W/$name.rows" | tail -n 2
	fi
}

RUNNO=0
run() {	# name conf-function [args]
	local name=$1
	shift
	RUNNO=$((RUNNO + 1))	# a fresh consumer group per run, also when a run repeats
	vl_start "$name"
	"$@" >"$W/$name.conf"
	"$RSYSLOGD" -N1 -f "$W/$name.conf" >"$W/$name.n1" 2>&1 ||
		{ echo "$name: config rejected: $(grep -v '^rsyslogd: version' "$W/$name.n1" | head -n 5)"; vl_stop; return; }
	echo "running $name ..."
	"$RSYSLOGD" -n -f "$W/$name.conf" -i "$W/$name.pid" </dev/null >"$W/$name.log" 2>&1 &
	RS_PID=$!
	measure "$name"
	vl_stop
}

for r in $RUNS; do
	case $r in
	stock)	run stock conf_stock
		# omelasticsearch's own verdict on the replies (failed.es: a reply it
		# could not take as success)
		grep '"origin": "omelasticsearch"' "$W/stock.stats" | tail -n 1 |
			sed 's/.*\("submitted"[^,]*\),.*\("failed.http"[^,]*\),.*\("failed.es"[^,]*\),.*/stock: omelasticsearch \1 \2 \3/' |
			tee -a "$W/result.txt" ;;
	stock-gzip)
		echo "stock-gzip  n/a: omelasticsearch 8.2302 has no compression parameter" |
			tee -a "$W/result.txt" ;;
	vlogs|vlogs-gzip|vlogs-parsed)
		c=none; [ "$r" = vlogs-gzip ] && c=gzip
		if [ ! -f "$OVL_MOD" ] || [ ! -f "$RDK_MOD" ]; then
			echo "$r  skipped: module missing ($([ -f "$OVL_MOD" ] || echo "$OVL_MOD ")$([ -f "$RDK_MOD" ] || echo "$RDK_MOD")not built)" |
				tee -a "$W/result.txt"
			continue
		fi
		run "$r" conf_vlogs "$r" "$c" "$([ "$r" = vlogs-parsed ] && echo 1 || echo 0)" ;;
	*)	echo "unknown run $r" ;;
	esac
done

echo "== $N events, batch $BATCH; window: first event at vl-server -> all $N stored"
grep -v ': vl-server ok' "$W/result.txt"
awk '$2 == "join" {v[$1] = $5; c[$1] = $9}
	function ratio(a, b, what) { if ((a in v) && (b in v) && v[b] > 0 && c[b] > 0)
		printf "%s / %s: %.2fx events/s, %.2fx CPU per event (%s)\n", a, b, v[a] / v[b], c[a] / c[b], what }
	END {
		ratio("vlogs", "stock", "target >= 1.5x events/s")
		ratio("vlogs-gzip", "stock", "gzip vs stock uncompressed")
		ratio("vlogs-gzip", "vlogs", "what gzip costs")
		ratio("vlogs-parsed", "stock", "the same parse + render as stock")
	}' "$W/result.txt" | tee -a "$W/result.txt"
