#!/bin/bash
# Debian packaging: `dpkg-buildpackage -us -uc -b` on a copy of the tree
# builds a .deb whose three modules land in rsyslog's module directory and
# which depends on exactly the installed rsyslog version; installed, the
# system rsyslogd loads the modules by name (rsyslogd -N1); then removed.
. "$(dirname "$0")/lib.sh"
rkv_init
command -v dpkg-buildpackage >/dev/null || skip "dpkg-dev not installed"
dpkg -s debhelper >/dev/null 2>&1 || skip "debhelper not installed (contrib/setup-deps.sh)"
[ "$(id -u)" = 0 ] || skip "installing the package needs root"
S=$W/pkg/rsyslog-kafka-victorialogs
mkdir -p "$S"
copy_tree "$S"
log "dpkg-buildpackage -us -uc -b in $S"
(cd "$S" && dpkg-buildpackage -us -uc -b >"$W/build.out" 2>&1) ||
	fail "dpkg-buildpackage failed: $(tail -n 25 "$W/build.out")"
deb=$(ls "$W"/pkg/rsyslog-kafka-victorialogs_*.deb 2>/dev/null | head -n 1)
[ -f "$deb" ] || fail "no .deb built"
moddir=$(dirname "$(ls /usr/lib/*/rsyslog/imfile.so | head -n 1)")
dpkg -c "$deb" >"$W/files.txt"
log "$(basename "$deb"): $(awk '{print $NF}' "$W/files.txt" | grep '\.so$' | tr '\n' ' ')"
for m in omrdkafka imrdkafka omvictorialogs; do
	grep -q " \.$moddir/$m.so\$" "$W/files.txt" || fail "$m.so not in $moddir: $(cat "$W/files.txt")"
done
grep -q '\.la$' "$W/files.txt" && fail "libtool .la files packaged"
want="rsyslog (= $(dpkg-query -W -f='${Version}' rsyslog))"
dpkg-deb -f "$deb" Depends | grep -qF "$want" || fail "Depends lacks $want: $(dpkg-deb -f "$deb" Depends)"
trap 'dpkg -r rsyslog-kafka-victorialogs >/dev/null 2>&1; cleanup' EXIT
dpkg -i "$deb" >"$W/install.out" 2>&1 || fail "dpkg -i: $(cat "$W/install.out")"
"$TOOLS/load-conf" "$W/spool" - omrdkafka imrdkafka omvictorialogs >"$W/load.conf"
out=$(/usr/sbin/rsyslogd -N1 -f "$W/load.conf" 2>&1) || fail "rsyslogd -N1 with the installed modules: $out"
log "installed modules load: $(echo "$out" | tail -n 1)"
dpkg -r rsyslog-kafka-victorialogs >/dev/null 2>&1 || fail "dpkg -r"
[ ! -e "$moddir/omvictorialogs.so" ] || fail "the package left $moddir/omvictorialogs.so behind"
log "OK"
