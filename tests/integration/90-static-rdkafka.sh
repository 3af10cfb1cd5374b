#!/bin/bash
# ./configure --enable-static-rdkafka: Debian's librdkafka.a (and what it
# needs) linked into each Kafka module. A second build of this tree (a
# copy of its files, built in place) must give modules without a
# librdkafka runtime dependency (ldd) that load into rsyslogd and pass the
# 100k exactly-once tests of the edge (01) and the consumer (20).
. "$(dirname "$0")/lib.sh"
rkv_init
[ -f "$(pkg-config --variable=libdir rdkafka)/librdkafka.a" ] || skip "no librdkafka.a (librdkafka-dev)"
tree=$(sed -n 's/^RSYSLOG_SRC = //p' "$RKV_BUILDDIR/Makefile")
[ -d "$tree" ] || fail "no rsyslog source tree in $RKV_BUILDDIR/Makefile"
S=$W/static
mkdir -p "$S"
copy_tree "$S"
log "building with --enable-static-rdkafka in $S"
(cd "$S" && autoreconf -fi >/dev/null 2>&1 && ./configure -q --with-rsyslog-source="$tree" \
	--enable-static-rdkafka >"$W/configure.out" 2>&1 && make -s -j2 all >"$W/make.out" 2>&1) ||
	fail "static build failed: $(tail -n 20 "$W/make.out" "$W/configure.out" 2>/dev/null)"
for m in omrdkafka imrdkafka; do
	so=$S/plugins/$m/.libs/$m.so
	[ -f "$so" ] || fail "$so not built"
	ldd "$so" | grep -q librdkafka && fail "$m.so still needs librdkafka: $(ldd "$so" | grep rdkafka)"
	objdump -T "$so" | grep -q ' rd_kafka_new$' && fail "$m.so exports librdkafka's symbols"
	log "$m.so: $(stat -c %s "$so") bytes, no librdkafka at run time; needs: $(ldd "$so" | awk '{print $1}' | tr '\n' ' ')"
done
# what the static modules need from glibc (reported, not asserted: Debian
# 12's librdkafka.a uses glibc 2.28/2.34's C11 threads, so an EL6/EL7
# static build needs a librdkafka.a built there, which falls back to its
# own tinycthread)
sh "$RKV_SRCDIR/contrib/check-old-toolchain.sh" "$S" >"$W/glibc.out" 2>&1
grep 'highest GLIBC' "$W/glibc.out" | sed 's/; above 2.12 only.*//' | while read -r l; do log "static build: $l"; done
log "static build: glibc functions newer than 2.12 (from librdkafka.a): $(grep -o '[a-z_0-9]*@GLIBC_[0-9.]*: glibc 2.12 lacks' "$W/glibc.out" | sed 's/: glibc.*//' | sort -u | tr '\n' ' ')"
for t in 01-imfile-100k-exactly-once 20-consumer-100k-exactly-once; do
	RKV_BUILDDIR=$S RKV_WORKROOT=$W bash "$(dirname "$0")/$t.sh" || fail "$t with the static modules"
done
log "OK"
