#!/bin/bash
# bench-consumer.sh [N]: the aggregator's input, side by side in one run on
# the same N pre-filled edge-format JSON events (default 1,000,000; lz4,
# 32 partitions of a 3-broker kafka-mock), each run a fresh consumer group
# starting at the earliest offset, writing the raw payload with the same
# omfile template ("%rawmsg%\n", main queue LinkedList 100k, batch 1024):
#   stock      stock imkafka (rsyslog-kafka package)
#   rdk        imrdkafka, offsets committed only for finished messages
#   rdk-json   imrdkafka with parseJson="on" (the JSON parse per message)
#   kcat-C     kcat -C -G (librdkafka's balanced consumer), the ceiling
# Prints: the group join (start -> first event written), msgs/s from the
# first event to the last (join excluded, as the targets of DESIGN.md §8
# ask; the output file's size is followed every 0.1 s), CPU seconds of the whole process and per message, peak RSS, then
# the ratios. BENCH_RUNS selects runs.
set -u
N=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${RKV_BUILDDIR:-$top}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
RUNS=${BENCH_RUNS:-stock rdk rdk-json kcat-C}
W=$B/_work/bench-consumer
rm -rf "$W"; mkdir -p "$W"
STOCK_MOD=$(ls /usr/lib/*/rsyslog/imkafka.so /usr/lib64/rsyslog/imkafka.so 2>/dev/null | head -n 1)
[ -n "$STOCK_MOD" ] || { echo "stock imkafka not installed (apt-get install rsyslog-kafka)"; exit 1; }
RDK_MOD=$B/plugins/imrdkafka/.libs/imrdkafka.so
P=32

. "$top/contrib/bench/mock.sh"
bench_mock -t bench-in:$P

echo "filling $N events ..."
"$top/tests/tools/gen-edge-json" --count "$N" - |
	kcat -P -b "$BOOT" -t bench-in -X compression.codec=lz4 -X linger.ms=50 \
		-X queue.buffering.max.messages=1000000 || exit 1

conf() {	# name, module load line, input
	cat >"$W/$1.conf" <<-EOS
	global(workDirectory="$W" maxMessageSize="4m")
	main_queue(queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="1024")
	module(load="impstats" interval="1" format="json" log.file="$W/$1.stats" log.syslog="off" resetCounters="off")
	$2
	template(name="raw" type="string" string="%rawmsg%\n")
	$3
	ruleset(name="r") { action(type="omfile" file="$W/$1.out" template="raw") }
	EOS
}

report() {	# name, join s, elapsed s (first -> last), cpu s, rss KiB, delivered
	printf '%-9s join %5.2f s %9.0f msg/s %7.2f cpu-s %6.2f cpu-us/msg %8d KiB peak RSS  delivered %s of %s\n' \
		"$1" "$2" "$(echo "$6 / $3" | bc -l)" "$4" "$(echo "$4 * 1000000 / $N" | bc -l)" "$5" "$6" "$N" |
		tee -a "$W/result.txt"
}

lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }

# measure NAME PID OUTFILE T0: follows OUTFILE's size (cheap: counting lines
# of a growing 300 MB file every 0.1 s would compete for the CPU), counts
# its lines once the size stopped growing for 2 s; done at N lines, or
# after 20 s without growth (stalled)
measure() {
	local name=$1 pid=$2 out=$3 t0=$4 tf="" t1 a=0 sz last=0 since cpu rss
	since=$(date +%s.%N); t1=$t0
	while :; do
		sleep 0.1
		sz=$(fsize "$out")
		[ -z "$tf" ] && [ "$sz" -gt 0 ] && tf=$(date +%s.%N)
		if [ "$sz" != "$last" ]; then last=$sz; since=$(date +%s.%N); t1=$since; continue; fi
		kill -0 "$pid" 2>/dev/null || break
		idle=$(echo "$(date +%s.%N) - $since" | bc)
		if [ "$(echo "$idle > 2" | bc)" = 1 ] && [ "$sz" -gt 0 ]; then
			a=$(lines "$out")
			[ "$a" -ge "$N" ] && break
		fi
		[ "$(echo "$idle > 20" | bc)" = 1 ] && { echo "$name: stalled at $a of $N"; break; }
	done
	a=$(lines "$out")
	cpu=$(awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$pid/stat" 2>/dev/null)
	rss=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null)
	kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	report "$name" "$(echo "${tf:-$t1} - $t0" | bc -l)" "$(echo "$t1 - ${tf:-$t0}" | bc -l)" \
		"${cpu:-0}" "${rss:-0}" "$a"
}

run_rsyslog() {	# name
	local t0 pid
	"$RSYSLOGD" -N1 -f "$W/$1.conf" >"$W/$1.n1" 2>&1 || { cat "$W/$1.n1"; return 1; }
	echo "running $1 ..."
	t0=$(date +%s.%N)
	"$RSYSLOGD" -n -f "$W/$1.conf" -i "$W/$1.pid" >"$W/$1.log" 2>&1 &
	pid=$!
	measure "$1" $pid "$W/$1.out" "$t0"
}

IN="broker=[\"$BOOT\"] topic=\"bench-in\" ruleset=\"r\""
for r in $RUNS; do
	case $r in
	stock)	conf $r "module(load=\"$STOCK_MOD\")" "input(type=\"imkafka\" $IN consumerGroup=\"bench-$r\")"
		run_rsyslog $r ;;
	rdk)	conf $r "module(load=\"$RDK_MOD\")" "input(type=\"imrdkafka\" $IN consumerGroup=\"bench-$r\" startOffset=\"earliest\")"
		run_rsyslog $r ;;
	rdk-json) conf $r "module(load=\"$RDK_MOD\")" "input(type=\"imrdkafka\" $IN consumerGroup=\"bench-$r\" startOffset=\"earliest\" parseJson=\"on\")"
		run_rsyslog $r ;;
	kcat-C)	echo "running $r ..."
		t0=$(date +%s.%N)
		kcat -C -G bench-kcat -X auto.offset.reset=earliest -b "$BOOT" -q -f '%s\n' bench-in >"$W/kcat.out" 2>"$W/kcat.err" &
		measure "$r" $! "$W/kcat.out" "$t0" ;;
	esac
done

awk '{v[$1] = $5; c[$1] = $9; j[$1] = $3}
	function ratio(a, b, what) { if ((a in v) && (b in v)) printf "%s / %s: %.2fx msgs/s, %.2fx CPU per msg, join %.2f vs %.2f s (%s)\n", a, b, v[a] / v[b], c[a] / c[b], j[a], j[b], what }
	END {
		ratio("rdk", "stock", "only the input swapped")
		ratio("rdk", "kcat-C", "share of the librdkafka ceiling")
		ratio("stock", "kcat-C", "stock share of the ceiling")
		ratio("rdk-json", "rdk", "what parseJson costs")
	}' "$W/result.txt" | tee -a "$W/result.txt"
