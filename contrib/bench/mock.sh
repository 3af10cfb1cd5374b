# mock.sh: sourced by the benchmarks: bench_mock TOPIC_ARGS... starts a
# 3-broker kafka-mock (tests/tools/kafka-mock) in $W with the given
# "-t topic:partitions" arguments, stops it when the script exits, and
# sets BOOT to its bootstrap servers. Needs W and B (the build directory).
bench_mock() {
	local i
	mkfifo "$W/mock.in"
	"$B/tests/tools/kafka-mock" -b 3 -p "$W/bootstrap" "$@" <"$W/mock.in" >"$W/mock.out" 2>&1 &
	MOCK=$!
	exec 9>"$W/mock.in"	# its stdin; closing it stops the mock
	trap 'exec 9>&-; kill $MOCK 2>/dev/null; wait' EXIT
	for i in $(seq 50); do [ -s "$W/bootstrap" ] && break; sleep 0.1; done
	BOOT=$(cat "$W/bootstrap")
	[ -n "$BOOT" ] || { echo "kafka-mock did not start: $(cat "$W/mock.out")"; exit 1; }
}
