#!/bin/bash
# bench-edge.sh [N]: the edge leg, side by side in one run on the same N
# lines (default 1,000,000): imfile -> JSON template (edge.conf's) -> gzip
# -> Kafka (kafka-mock, 3 brokers, acks=all), with
#   stock omkafka (rsyslog-kafka package),
#   omrdkafka (this project; commits only acknowledged batches),
#   kcat -P on the same JSON lines (raw librdkafka, the ceiling).
# plus the same pipeline into omfile /dev/null (what rsyslog itself costs).
# Prints msgs/s, CPU seconds (rsyslogd or kcat, user+sys), CPU us/msg and
# peak RSS. Throughput is N / (time until impstats shows every message
# stored in Kafka, polled every 0.2 s via the partitions' high watermarks).
set -u
N=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${RKV_BUILDDIR:-$top}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
W=$B/_work/bench-edge
rm -rf "$W"; mkdir -p "$W"
STOCK_MOD=$(ls /usr/lib/*/rsyslog/omkafka.so /usr/lib64/rsyslog/omkafka.so 2>/dev/null | head -n 1)
[ -n "$STOCK_MOD" ] || { echo "stock omkafka not installed (apt-get install rsyslog-kafka)"; exit 1; }

mkfifo "$W/mock.in"
"$B/tests/tools/kafka-mock" -b 3 -p "$W/bootstrap" -t bench-stock:64 -t bench-rdk:64 -t bench-kcat:64 \
	<"$W/mock.in" >"$W/mock.out" 2>&1 &
MOCK=$!
exec 9>"$W/mock.in"
trap 'exec 9>&-; kill $MOCK 2>/dev/null; wait' EXIT
for i in $(seq 50); do [ -s "$W/bootstrap" ] && break; sleep 0.1; done
BOOT=$(cat "$W/bootstrap")

echo "generating $N lines ..."
"$top/tests/tools/gen-lines" --count "$N" "$W/input.log"

# template and labels exactly as rsyslog-conf/edge.conf
TEMPLATE=$(sed -n '/^template(name="vector_json"/,/^}/p' "$top/rsyslog-conf/edge.conf")

conf() {	# name, action line
	cat >"$W/$1.conf" <<-EOS
	global(workDirectory="$W/$1.spool" maxMessageSize="4m" processInternalMessages="on")
	module(load="imfile")
	module(load="impstats" interval="1" format="json" log.file="$W/$1.stats" log.syslog="off" resetCounters="off")
	$3
	$TEMPLATE
	input(type="imfile" file="$W/input.log" tag="edge" ruleset="r" addMetadata="on")
	ruleset(name="r") {
		set \$!component = "my-component";
		set \$!host_ip = "192.168.1.25";
		$2
	}
	*.* action(type="omfile" file="$W/$1.rsyslogd.log")
	EOS
	mkdir -p "$W/$1.spool"
}
Q=${BENCH_Q:-'queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="1024" action.resumeRetryCount="-1"'}
conf stock "action(type=\"omkafka\" name=\"k\" broker=[\"$BOOT\"] topic=\"bench-stock\" template=\"vector_json\" confParam=[\"compression.codec=gzip\"] $Q)" \
	"module(load=\"$STOCK_MOD\")"
conf rdk "action(type=\"omrdkafka\" name=\"k\" broker=[\"$BOOT\"] topic=\"bench-rdk\" template=\"vector_json\" compression=\"gzip\" ${RDK_EXTRA:-} ${RDK_Q:-$Q})" \
	"module(load=\"$B/plugins/omrdkafka/.libs/omrdkafka.so\")"

processed() {	# name -> messages the action "k" processed (impstats)
	grep '"name": "k", "origin": "core.action"' "$W/$1.stats" 2>/dev/null | tail -n 1 |
		sed -n 's/.*"processed": *\([0-9]*\).*/\1/p'
}

in_kafka() {	# topic -> messages stored (sum of the 64 partitions' high watermarks)
	local args="" p
	for p in $(seq 0 63); do args="$args -t $1:$p:-1"; done
	kcat -Q -b "$BOOT" $args 2>/dev/null | awk '{s += $4} END {print s + 0}'
}

cpu_s() {	# pid -> user+sys seconds
	awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"
}

run() {	# name, topic
	local t0 t1 pid a=0 cpu rss
	"$RSYSLOGD" -N1 -f "$W/$1.conf" >"$W/$1.n1" 2>&1 || { cat "$W/$1.n1"; return 1; }
	t0=$(date +%s.%N)
	"$RSYSLOGD" -n -f "$W/$1.conf" -i "$W/$1.pid" >"$W/$1.out" 2>&1 &
	pid=$!
	while [ "${a:-0}" -lt "$N" ]; do
		sleep 0.2
		if [ "$2" = "-" ]; then a=$(processed "$1"); else a=$(in_kafka "$2"); fi
		kill -0 $pid 2>/dev/null || { echo "$1: rsyslogd died"; return 1; }
		[ $(( $(date +%s) - ${t0%.*} )) -gt 900 ] && { echo "$1: timeout at $a"; break; }
	done
	t1=$(date +%s.%N)
	cpu=$(cpu_s $pid)
	rss=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
	kill -TERM $pid; wait $pid
	printf '%-10s %10.0f msg/s %8.2f cpu-s %7.2f cpu-us/msg %7d KiB peak RSS  (delivered %s)\n' "$1" \
		"$(echo "$N / ($t1 - $t0)" | bc -l)" "$cpu" "$(echo "$cpu * 1000000 / $N" | bc -l)" "$rss" "$a" | tee -a "$W/result.txt"
}

# rsyslog's own share: the same pipeline into omfile /dev/null
conf null "action(type=\"omfile\" name=\"k\" file=\"/dev/null\" template=\"vector_json\" $Q)" ""
echo "running omfile /dev/null (rsyslog's own cost, no Kafka) ..."; run null -
echo "running stock omkafka ..."; run stock bench-stock
echo "running omrdkafka ...";     run rdk bench-rdk

# kcat -P on the JSON lines omrdkafka produced (same bytes per message)
kcat -C -b "$BOOT" -t bench-rdk -o beginning -e -q -f '%s\n' >"$W/json.lines" 2>/dev/null
n=$(wc -l <"$W/json.lines")
/usr/bin/time -f '%e %U %S %M' -o "$W/kcat.time" kcat -P -b "$BOOT" -t bench-kcat -z gzip -X acks=all -l "$W/json.lines"
read -r el us sy rss <"$W/kcat.time"
printf '%-10s %10.0f msg/s %8.2f cpu-s %7.2f cpu-us/msg %7d KiB peak RSS  (%s lines)\n' kcat-P \
	"$(echo "$n / $el" | bc -l)" "$(echo "$us + $sy" | bc -l)" "$(echo "($us + $sy) * 1000000 / $n" | bc -l)" "$rss" "$n" | tee -a "$W/result.txt"

awk '/^stock/{s=$2; sc=$6} /^rdk/{r=$2; rc=$6} /^kcat-P/{k=$2}
	END{printf "omrdkafka/stock: %.2fx msgs/s, %.2fx CPU per msg; omrdkafka/kcat -P: %.0f%%\n", r/s, rc/sc, 100*r/k}' "$W/result.txt" | tee -a "$W/result.txt"
