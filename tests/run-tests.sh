#!/bin/bash
# run-tests.sh: runs the unit tests (plugins/common, no rsyslogd) and the
# integration tests (real rsyslogd + kafka-mock) and ends with one line
# "N passed, N failed, N skipped". Called by `make check`.
# VALGRIND=1: unit tests under valgrind. TESTS_FILTER=glob: only matching
# tests (e.g. TESTS_FILTER='0[12]*'). Exit status 1 if anything failed.
set -u
SRC=${RKV_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${RKV_BUILDDIR:-$SRC}
export RKV_SRCDIR=$SRC RKV_BUILDDIR=$BUILD RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
LOGDIR=$BUILD/_work/logs
FILTER=${TESTS_FILTER:-*}
mkdir -p "$LOGDIR"
passed=0 failed=0 skipped=0 failures=""

run_one() {	# name, command...
	local name=$1 t0 rc
	shift
	case "$name" in $FILTER) ;; *) return ;; esac
	t0=$(date +%s)
	"$@" >"$LOGDIR/$name.log" 2>&1
	rc=$?
	local dt=$(( $(date +%s) - t0 ))
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1)); echo "PASS $name (${dt}s)"
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1)); echo "SKIP $name: $(grep SKIP "$LOGDIR/$name.log" | tail -n 1)"
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL $name (${dt}s, exit $rc), last lines of $LOGDIR/$name.log:"
		tail -n 25 "$LOGDIR/$name.log" | sed 's/^/    /'
	fi
}

VG=""
[ "${VALGRIND:-0}" = 1 ] && VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
for t in ${UNIT_TESTS:-tests/unit/test_util tests/unit/test_kafka_conf tests/unit/test_errfile tests/unit/test_producer tests/unit/test_spill tests/unit/test_kstats tests/unit/test_txn tests/unit/test_zeroloss tests/unit/test_offsets tests/unit/test_vlogs tests/unit/test_vl_http}; do
	run_one "unit-$(basename "$t")" $VG "$BUILD/$t"
done
rm -f "$BUILD/_work/compat-matrix.txt"
for t in "$SRC"/tests/integration/[0-9][0-9]-*.sh; do
	to=900
	case $t in *compat-matrix*) to=3000 ;; esac	# builds librdkafka and rsyslog trees
	run_one "$(basename "$t" .sh)" timeout -k 10 $to bash "$t"
done

# the compatibility matrix (test 93), when it ran
[ -f "$BUILD/_work/compat-matrix.txt" ] && cat "$BUILD/_work/compat-matrix.txt"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
