#!/bin/bash
# bench-edge.sh [N]: the edge leg, side by side in one run on the same N
# lines (default 1,000,000) into a 3-broker kafka-mock (acks=all):
#   null-typical   the typical stock pipeline into omfile /dev/null (what
#                  rsyslog itself costs): imfile addMetadata, per-message
#                  `set $!component` / `set $!host_ip`, JSON template with
#                  $! lookups, default main queue, gzip
#   stock-typical  that pipeline with stock omkafka (rsyslog-kafka package)
#   rdk-typical    that pipeline with only the action swapped to omrdkafka
#   stock-fast     rsyslog-conf/edge.conf with only the action swapped to
#                  stock omkafka (same template, queues, compression)
#   rdk-fast       rsyslog-conf/edge.conf as shipped
#   shipped        rsyslog-conf/edge.conf + the allocator option (jemalloc
#                  through LD_PRELOAD, contrib/systemd/rsyslog-jemalloc.conf)
#   kcat-P         kcat -P of the same JSON lines (raw librdkafka)
# Prints msgs/s (until every message is stored in Kafka: the partitions'
# high watermarks, polled every 0.2 s; a run whose count stops growing for
# 15 s ends there and reports what was delivered), CPU seconds (user+sys of
# rsyslogd or kcat), CPU µs per message, peak RSS, then the ratios.
# BENCH_RUNS="stock-typical rdk-typical ..." selects runs; EDGE_SED (sed
# expressions) changes edge.conf for the fast and shipped runs, e.g.
# EDGE_SED='s/compression="zstd"/compression="lz4"/' (contrib/bench/
# bench-compression.sh). omrdkafka runs also print the bytes sent to the
# brokers per message (librdkafka's statistics, statsFile). RDK_CONF adds
# librdkafka properties to the fast and shipped runs (RDK_CONF='"linger.ms=1"'),
# RDK_TYPICAL_EXTRA action parameters to rdk-typical.
set -u
N=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${RKV_BUILDDIR:-$top}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
RUNS=${BENCH_RUNS:-null-typical stock-typical rdk-typical stock-fast rdk-fast shipped kcat-P}
W=$B/_work/bench-edge
rm -rf "$W"; mkdir -p "$W"
STOCK_MOD=$(ls /usr/lib/*/rsyslog/omkafka.so /usr/lib64/rsyslog/omkafka.so 2>/dev/null | head -n 1)
[ -n "$STOCK_MOD" ] || { echo "stock omkafka not installed (apt-get install rsyslog-kafka)"; exit 1; }
RDK_MOD=$B/plugins/omrdkafka/.libs/omrdkafka.so
JEMALLOC=$(ls /usr/lib/*/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2 2>/dev/null | head -n 1)
P=64

. "$top/contrib/bench/mock.sh"
topics=""
for r in $RUNS; do topics="$topics -t bench-$r:$P"; done
bench_mock $topics

echo "generating $N lines ..."
"$top/tests/tools/gen-lines" --count "$N" "$W/input.log"

# ---- the typical stock setup ------------------------------------------------
TYPICAL_TPL='template(name="vector_json" type="list") {
	constant(value="{\"message\":\"")	property(name="msg" format="json")
	constant(value="\",\"timestamp\":\"")	property(name="timegenerated" dateFormat="rfc3339")
	constant(value="\",\"host\":\"")	property(name="hostname" format="json")
	constant(value="\",\"file\":\"")	property(name="$!metadata!filename" format="json")
	constant(value="\",\"source_type\":\"file\",\"_msg\":\"")	property(name="msg" format="json")
	constant(value="\",\"component\":\"")	property(name="$!component" format="json")
	constant(value="\",\"host_ip\":\"")	property(name="$!host_ip" format="json")
	constant(value="\"}")
}'
Q='queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="1024" action.resumeRetryCount="-1"'

typical() {	# name, module load line, action
	mkdir -p "$W/$1.spool"
	cat >"$W/$1.conf" <<-EOS
	global(workDirectory="$W/$1.spool" maxMessageSize="4m" processInternalMessages="on")
	module(load="imfile")
	module(load="impstats" interval="1" format="json" log.file="$W/$1.stats" log.syslog="off" resetCounters="off")
	$2
	$TYPICAL_TPL
	input(type="imfile" file="$W/input.log" tag="edge" ruleset="r" addMetadata="on")
	ruleset(name="r") {
		set \$!component = "my-component";
		set \$!host_ip = "192.168.1.25";
		$3
	}
	*.* action(type="omfile" file="$W/$1.rsyslogd.log")
	EOS
}

# ---- rsyslog-conf/edge.conf, paths and broker substituted ------------------
shipped() {	# name, topic, [stock]
	mkdir -p "$W/$1.spool"
	sed -e "s|workDirectory=\"/var/spool/rsyslog\"|workDirectory=\"$W/$1.spool\"|" \
	    -e "s|/path/to/logs/\*.log|$W/input.log|" \
	    -e "s|module(load=\"omrdkafka\")|module(load=\"$RDK_MOD\")|" \
	    -e "s|broker=\[\"kafka.example.com:443\"\]|broker=[\"$BOOT\"]|" \
	    -e "s|topic=\"standard-logs\"|topic=\"$2\"|" \
	    -e "/tls.cafile=/d" \
	    -e "s|/var/spool/rsyslog/|$W/$1.spool/|g" \
	    -e "s|/var/log/rsyslog-edge.log|$W/$1.rsyslogd.log|" \
	    "$top/rsyslog-conf/edge.conf" >"$W/$1.conf"
	[ -n "${EDGE_SED:-}" ] && sed -i -e "$EDGE_SED" "$W/$1.conf"
	if [ "${3:-}" != stock ]; then	# bytes on the wire from librdkafka's statistics
		sed -i -e "s|^\([[:space:]]*\)compression=|\1statsFile=\"$W/$1.kstats\" confParam=[\"statistics.interval.ms=1000\"${RDK_CONF:+, $RDK_CONF}] compression=|" "$W/$1.conf"
	fi
	if [ "${3:-}" = stock ]; then	# only the action swapped
		sed -i -e "s|module(load=\"$RDK_MOD\")|module(load=\"$STOCK_MOD\")|" \
		    -e 's|type="omrdkafka"|type="omkafka"|' \
		    -e 's|compression="\([a-z0-9]*\)"|confParam=["compression.codec=\1"]|' \
		    -e '/^[[:space:]]*acks="all"/d' "$W/$1.conf"
	fi
	echo "module(load=\"impstats\" interval=\"1\" format=\"json\" log.file=\"$W/$1.stats\" log.syslog=\"off\" resetCounters=\"off\")" >>"$W/$1.conf"
}

processed() {	# name -> messages the action processed (impstats)
	grep '"origin": "core.action"' "$W/$1.stats" 2>/dev/null | grep -v '"name": "action-' | tail -n 1 |
		sed -n 's/.*"processed": *\([0-9]*\).*/\1/p'
}

in_kafka() {	# topic -> messages stored (sum of the partitions' high watermarks)
	local args="" p
	for p in $(seq 0 $((P - 1))); do args="$args -t $1:$p:-1"; done
	kcat -Q -b "$BOOT" $args 2>/dev/null | awk '{s += $4} END {print s + 0}'
}

cpu_s() {	# pid -> user+sys seconds
	awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"
}

wire() {	# name -> bytes sent to the brokers per message (librdkafka statistics)
	[ -s "$W/$1.kstats" ] || return 0
	tail -n 1 "$W/$1.kstats" | python3 -c 'import json,sys
d = json.load(sys.stdin)
print("  wire %.1f B/msg" % (sum(b.get("txbytes", 0) for b in d["brokers"].values()) / float(sys.argv[1])))' "$N"
}

report() {	# name, elapsed, cpu, rss, delivered
	printf '%-14s %9.0f msg/s %7.2f cpu-s %6.2f cpu-us/msg %8d KiB peak RSS  delivered %s of %s%s\n' "$1" \
		"$(echo "$5 / $2" | bc -l)" "$3" "$(echo "$3 * 1000000 / $N" | bc -l)" "$4" "$5" "$N" "$(wire "$1")" | tee -a "$W/result.txt"
}

run() {	# name, topic ("-": count the action's processed), [preload]
	local t0 t1 pid a=0 last=-1 since cpu rss
	"$RSYSLOGD" -N1 -f "$W/$1.conf" >"$W/$1.n1" 2>&1 || { cat "$W/$1.n1"; return 1; }
	t0=$(date +%s.%N); since=${t0%.*}
	LD_PRELOAD=${3:-} "$RSYSLOGD" -n -f "$W/$1.conf" -i "$W/$1.pid" >"$W/$1.out" 2>&1 &
	pid=$!
	t1=$t0
	while [ "${a:-0}" -lt "$N" ]; do
		sleep 0.2
		if [ "$2" = "-" ]; then a=$(processed "$1"); else a=$(in_kafka "$2"); fi
		kill -0 $pid 2>/dev/null || { echo "$1: rsyslogd died"; return 1; }
		if [ "${a:-0}" != "$last" ]; then last=${a:-0}; since=$(date +%s); t1=$(date +%s.%N); fi
		[ $(( $(date +%s) - since )) -ge 15 ] && { echo "$1: stalled at $a of $N"; break; }
	done
	[ "${a:-0}" -ge "$N" ] && t1=$(date +%s.%N)
	cpu=$(cpu_s $pid)
	rss=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
	kill -TERM $pid; wait $pid
	report "$1" "$(echo "$t1 - $t0" | bc -l)" "$cpu" "$rss" "${a:-0}"
}

for r in $RUNS; do
	case $r in
	null-typical)	typical $r "" "action(type=\"omfile\" name=\"k\" file=\"/dev/null\" template=\"vector_json\" $Q)"
			echo "running $r ..."; run $r - ;;
	stock-typical)	typical $r "module(load=\"$STOCK_MOD\")" "action(type=\"omkafka\" name=\"k\" broker=[\"$BOOT\"] topic=\"bench-$r\" template=\"vector_json\" confParam=[\"compression.codec=gzip\"] $Q)"
			echo "running $r ..."; run $r bench-$r ;;
	rdk-typical)	typical $r "module(load=\"$RDK_MOD\")" "action(type=\"omrdkafka\" name=\"k\" broker=[\"$BOOT\"] topic=\"bench-$r\" template=\"vector_json\" compression=\"gzip\" ${RDK_TYPICAL_EXTRA:-} $Q)"
			echo "running $r ..."; run $r bench-$r ;;
	stock-fast)	shipped $r bench-$r stock; echo "running $r ..."; run $r bench-$r ;;
	rdk-fast)	shipped $r bench-$r; echo "running $r ..."; run $r bench-$r ;;
	shipped)	[ -n "$JEMALLOC" ] || { echo "shipped: libjemalloc2 not installed"; continue; }
			shipped $r bench-$r; echo "running $r (LD_PRELOAD=$JEMALLOC) ..."; run $r bench-$r "$JEMALLOC" ;;
	kcat-P)		# the JSON lines one omrdkafka run produced (same bytes per message)
			src=$(for t in rdk-fast rdk-typical shipped; do case " $RUNS " in *" $t "*) echo bench-$t; break;; esac; done)
			[ -n "$src" ] || continue
			kcat -C -b "$BOOT" -t "$src" -o beginning -e -q -f '%s\n' >"$W/json.lines" 2>/dev/null
			codec=$(sed -n 's/^[[:space:]]*compression="\([a-z0-9]*\)".*/\1/p' "$top/rsyslog-conf/edge.conf" | head -n 1)
			[ "$src" = bench-rdk-typical ] && codec=gzip
			echo "running kcat -P ($codec) ..."
			/usr/bin/time -f '%e %U %S %M' -o "$W/kcat.time" kcat -P -b "$BOOT" -t bench-$r -z "$codec" -X acks=all -l "$W/json.lines"
			read -r el us sy rss <"$W/kcat.time"
			report kcat-P "$el" "$(echo "$us + $sy" | bc -l)" "$rss" "$(wc -l <"$W/json.lines")" ;;
	esac
done

awk '{v[$1] = $2; c[$1] = $6}
	function ratio(a, b, what) { if ((a in v) && (b in v)) printf "%s / %s: %.2fx msgs/s, %.2fx CPU per msg (%s)\n", a, b, v[a] / v[b], c[a] / c[b], what }
	END {
		ratio("rdk-typical", "stock-typical", "typical pipeline, only the action swapped")
		ratio("rdk-fast", "stock-fast", "edge.conf, only the action swapped")
		ratio("shipped", "stock-typical", "the shipped edge vs the typical stock setup")
		ratio("rdk-fast", "stock-typical", "edge.conf without jemalloc vs the typical stock setup")
	}' "$W/result.txt" | tee -a "$W/result.txt"
