#!/bin/bash
# RPM packaging: contrib/rpm/rsyslog-kafka-victorialogs.spec built here
# with rpmbuild (Debian's rpm package; --nodeps: Debian has no EL -devel
# packages) against this host's rsyslog source tree: the RPM holds the
# three modules in the given rsyslog module directory and requires exactly
# that rsyslog version; its files, unpacked, load into rsyslogd (-N1). On
# EL hosts the tree comes from contrib/rpm/el-rsyslog-source.sh (not run
# here: no EL source RPMs on this machine).
. "$(dirname "$0")/lib.sh"
rkv_init
command -v rpmbuild >/dev/null || skip "rpmbuild not installed (contrib/setup-deps.sh: rpm)"
tree=$(sed -n 's/^RSYSLOG_SRC = //p' "$RKV_BUILDDIR/Makefile")
[ -d "$tree" ] || fail "no rsyslog source tree in $RKV_BUILDDIR/Makefile"
spec=$RKV_SRCDIR/contrib/rpm/rsyslog-kafka-victorialogs.spec
ver=$(sed -n 's/^Version: *//p' "$spec")
moddir=$(dirname "$(ls /usr/lib/*/rsyslog/imfile.so | head -n 1)")
rsver=$(dpkg-query -W -f='${Version}' rsyslog)
R=$W/rpmbuild
mkdir -p "$R/SOURCES" "$W/src/rsyslog-kafka-victorialogs-$ver"
copy_tree "$W/src/rsyslog-kafka-victorialogs-$ver"
tar -C "$W/src" -czf "$R/SOURCES/rsyslog-kafka-victorialogs-$ver.tar.gz" "rsyslog-kafka-victorialogs-$ver"
log "rpmbuild -bb (rsyslog $rsver, module directory $moddir)"
rpmbuild -bb --nodeps --define "_topdir $R" --define "rsyslog_source $tree" \
	--define "rsyslog_version $rsver" --define "rsyslog_moddir $moddir" "$spec" >"$W/rpmbuild.out" 2>&1 ||
	fail "rpmbuild failed: $(tail -n 25 "$W/rpmbuild.out")"
rpmf=$(ls "$R"/RPMS/*/rsyslog-kafka-victorialogs-"$ver"-*.rpm 2>/dev/null | head -n 1)
[ -f "$rpmf" ] || fail "no RPM built"
rpm -qlp "$rpmf" 2>/dev/null >"$W/files.txt"
log "$(basename "$rpmf"): $(tr '\n' ' ' <"$W/files.txt")"
for m in omrdkafka imrdkafka omvictorialogs; do
	grep -qx "$moddir/$m.so" "$W/files.txt" || fail "$m.so not in $moddir"
done
rpm -qp --requires "$rpmf" 2>/dev/null | grep -qx "rsyslog = $rsver" || fail "the RPM does not require rsyslog = $rsver"
mkdir -p "$W/root"
(cd "$W/root" && rpm2cpio "$rpmf" | cpio -idm --quiet) || fail "cannot unpack the RPM"
"$TOOLS/load-conf" "$W/spool" "$W/root$moddir" omrdkafka imrdkafka omvictorialogs >"$W/load.conf"
out=$("$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$W/load.conf" 2>&1) ||
	fail "rsyslogd -N1 with the RPM's modules: $out"
log "the RPM's modules load: $(echo "$out" | tail -n 1)"
log "OK"
