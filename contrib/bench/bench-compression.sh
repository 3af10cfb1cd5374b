#!/bin/bash
# bench-compression.sh [N]: rsyslog-conf/edge.conf (omrdkafka, acks=all,
# 3-broker kafka-mock) with each producer compression in turn, on the same
# N lines (default 1,000,000): msgs/s, rsyslogd CPU µs per message, and
# bytes sent to the brokers per message (librdkafka statistics). This is
# how edge.conf's compression default was chosen (README "Performance").
set -u
N=${1:-1000000}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${RKV_BUILDDIR:-$top}/_work/bench-compression.txt
: >"$out"
for c in gzip gzip:1 lz4 zstd zstd:1 snappy none; do
	codec=${c%%:*} level=${c#*:}
	e="s/compression=\"[a-z0-9]*\"/compression=\"$codec\"/"
	[ "$level" != "$c" ] && e="$e; s/compression=\"$codec\"/compression=\"$codec\" topicConfParam=[\"compression.level=$level\"]/"
	echo "== $c"
	BENCH_RUNS=rdk-fast EDGE_SED="$e" bash "$top/contrib/bench/bench-edge.sh" "$N" 2>&1 |
		grep '^rdk-fast' | sed "s/^rdk-fast /$(printf '%-9s' "$c")/" | tee -a "$out"
done
