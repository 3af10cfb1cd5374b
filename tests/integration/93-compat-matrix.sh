#!/bin/bash
# contrib/compat-matrix.sh: the three modules compile (-Werror) against the
# rsyslog of Debian 11, 12 and 13 and the Kafka modules link against
# their librdkafka, from apt-get source; the rows the installed rsyslogd
# can run load (-N1) and pass the edge and consumer exactly-once tests.
# The table lands in _work/compat-matrix.txt (run-tests.sh prints it).
. "$(dirname "$0")/lib.sh"
rkv_init
command -v apt-get >/dev/null || skip "no apt-get: the matrix takes Debian's source packages"
table=$RKV_BUILDDIR/_work/compat-matrix.txt
rm -f "$table"
sh "$RKV_SRCDIR/contrib/compat-matrix.sh" "$W/matrix" 2>"$W/matrix.err"
rc=$?
cp "$W/matrix/table.txt" "$table" 2>/dev/null
cat "$table" 2>/dev/null
cat "$W/matrix.err"
[ $rc = 0 ] || fail "a row failed (logs under $W/matrix)"
# the matrix must have measured something beyond the main build: another
# rsyslog version compiled, another librdkafka compiled, loaded and tested
installed=$("$RSYSLOGD" -v | sed -n '1s/^rsyslogd *\([0-9][0-9.]*\).*/\1/p')
grep '^rsyslog ' "$table" | grep -v "^rsyslog $installed " | grep -q ' yes ' ||
	fail "no rsyslog version besides $installed was compiled"
grep '^librdkafka ' "$table" | grep -q ' yes  *yes  *[0-9 ]*passed' ||
	fail "no other librdkafka was compiled, loaded and tested"
log "OK"
