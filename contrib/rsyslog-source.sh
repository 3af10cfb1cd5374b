#!/bin/sh
# Obtain and configure the rsyslog source tree matching the installed rsyslogd
# (or the version given as $1, e.g. 8.2302.0), cached under $RKV_CACHE.
# Prints the path of the configured tree on stdout (last line).
#
# Debian/Ubuntu: `apt-get source rsyslog=<debian version>`; when the archive no
# longer serves the installed revision, the newest source of the same upstream
# version is used (module ABI depends on the upstream version, not the revision).
set -eu

CACHE=${RKV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rsyslog-kafka-victorialogs}
log() { echo "rsyslog-source: $*" >&2; }
die() { log "$*"; exit 1; }

installed_upstream() {
	command -v rsyslogd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	rsyslogd -v 2>/dev/null | sed -n '1s/^rsyslogd *\([0-9][0-9.]*\).*/\1/p'
}

want=${1:-$(installed_upstream)}
[ -n "$want" ] || die "no rsyslogd found and no version given"
tree=$CACHE/rsyslog-$want
if [ -f "$tree/.rkv-configured" ]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Debian source versions to try, best first: the installed revision, then
# every other served revision of the same upstream version, newest first.
candidate_versions() {
	inst=$(dpkg-query -W -f='${Version}' rsyslog 2>/dev/null || true)
	{
		[ -n "$inst" ] && echo "$inst"
		apt-cache showsrc rsyslog 2>/dev/null | sed -n 's/^Version: //p' |
			while read -r v; do
				up=${v#*:}; up=${up%%-*}
				[ "$up" = "$want" ] && echo "$v"
			done | sort -rV
	} | awk '!seen[$0]++'
}

fetch_debian() {
	for dv in $(candidate_versions); do
		up=${dv#*:}; up=${up%%-*}
		[ "$up" = "$want" ] || continue
		log "apt-get source rsyslog=$dv"
		if (cd "$work" && apt-get source -qq --download-only "rsyslog=$dv" >/dev/null 2>&1); then
			orig=$(ls "$work"/rsyslog_*.orig.tar.* 2>/dev/null | head -n 1)
			[ -n "$orig" ] || continue
			mkdir "$work/src"
			tar -xf "$orig" -C "$work/src" --strip-components=1
			return 0
		fi
		log "not served: rsyslog=$dv"
	done
	die "apt serves no rsyslog source of upstream version $want (deb-src missing? run contrib/setup-deps.sh)"
}

if [ -n "${RKV_RSYSLOG_TARBALL:-}" ]; then
	mkdir "$work/src"
	tar -xf "$RKV_RSYSLOG_TARBALL" -C "$work/src" --strip-components=1
else
	fetch_debian
fi

cd "$work/src"
[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || die "autoreconf failed"
# Only the options this rsyslog version knows (old trees lack some).
known=$(./configure --help)
opts=""
for o in --disable-generate-man-pages --disable-libgcrypt --disable-klog \
	 --disable-imjournal --disable-omjournal --disable-libsystemd \
	 --disable-fmhttp --disable-uuid --disable-kafka --disable-gnutls \
	 --disable-openssl --disable-liblogging-stdlog --disable-testbench; do
	echo "$known" | grep -q -- "${o#--disable-}" && opts="$opts $o"
done
log "configure$opts"
./configure $opts >"$work/configure.log" 2>&1 || { tail -n 30 "$work/configure.log" >&2; die "rsyslog configure failed"; }
touch .rkv-configured
cd /
rm -rf "$tree"
mv "$work/src" "$tree"
echo "$tree"
