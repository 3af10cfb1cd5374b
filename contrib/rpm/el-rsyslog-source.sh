#!/bin/sh
# el-rsyslog-source.sh: on an EL host (CentOS/RHEL 6..9, dnf or yum), the
# configured source tree of the INSTALLED rsyslog package, patched exactly
# as the distribution built it (`rpmbuild -bp` of its source RPM: RHEL's
# rsyslog carries many backports, so the upstream tarball of the same
# version is not enough). Prints the tree's path (last line), for
#   rpmbuild -bb --define "rsyslog_source $(sh el-rsyslog-source.sh)" \
#     --define "rsyslog_version $(rpm -q --qf '%{VERSION}-%{RELEASE}' rsyslog)" ...
# Needs: rpm-build, dnf-plugins-core (dnf download) or yum-utils
# (yumdownloader), autoconf, automake, libtool, gcc, and rsyslog's own
# build dependencies for its configure (libestr-devel, libfastjson-devel,
# zlib-devel, ...: `dnf builddep rsyslog` / `yum-builddep rsyslog`).
# It cannot run on the Debian machine this project is tested on (no EL
# source RPMs there); CI does not run it.
set -eu
log() { echo "el-rsyslog-source: $*" >&2; }
die() { log "$*"; exit 1; }

command -v rpm >/dev/null || die "not an RPM host"
ver=$(rpm -q --qf '%{VERSION}-%{RELEASE}' rsyslog) || die "rsyslog is not installed"
top=${RKV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rsyslog-kafka-victorialogs}/el-rsyslog-$ver
if [ -f "$top/tree" ] && [ -f "$(cat "$top/tree")/.rkv-configured" ]; then
	cat "$top/tree"
	exit 0
fi
mkdir -p "$top/rpmbuild"
cd "$top"
if command -v dnf >/dev/null; then
	dnf download --source "rsyslog-$ver" >&2 || die "dnf download --source rsyslog-$ver failed"
else
	yumdownloader --source "rsyslog-$ver" >&2 || die "yumdownloader --source rsyslog-$ver failed"
fi
srpm=$(ls rsyslog-*.src.rpm | head -n 1)
rpm -i --define "_topdir $top/rpmbuild" "$srpm" >&2
rpmbuild -bp --nodeps --define "_topdir $top/rpmbuild" "$top/rpmbuild/SPECS/rsyslog.spec" >&2 ||
	die "rpmbuild -bp failed"
tree=$(ls -d "$top"/rpmbuild/BUILD/rsyslog-*/ | head -n 1)
tree=${tree%/}
cd "$tree"
[ -x configure ] || autoreconf -fi >&2 || die "autoreconf failed"
# only what module builds need: the headers and config.h of this tree
opts=
known=$(./configure --help)
for o in --disable-generate-man-pages --disable-libgcrypt --disable-klog \
	 --disable-imjournal --disable-omjournal --disable-libsystemd --disable-uuid \
	 --disable-gnutls --disable-openssl --disable-testbench; do
	echo "$known" | grep -q -- "${o#--disable-}" && opts="$opts $o"
done
log "configure$opts"
./configure $opts >"$top/configure.log" 2>&1 || { tail -n 30 "$top/configure.log" >&2; die "configure failed"; }
touch .rkv-configured
echo "$tree" >"$top/tree"
echo "$tree"
