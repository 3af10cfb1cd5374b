#!/bin/sh
# Install what building and testing this project needs on Debian/Ubuntu.
# Idempotent: skips apt when every package is already installed.
# Also adds a deb-src entry so contrib/rsyslog-source.sh can `apt-get source rsyslog`.
set -eu

PKGS="build-essential autoconf automake libtool pkg-config dpkg-dev
debhelper rsyslog rsyslog-kafka rsyslog-elasticsearch librdkafka-dev libestr-dev libfastjson-dev zlib1g-dev
liblz4-dev libsasl2-dev libssl-dev
libcurl4-openssl-dev libzstd-dev kcat valgrind python3 socat procps bc time libjemalloc2
curl zstd rpm cpio"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

add_deb_src() {
	# deb822 style (Debian 12+) or one-line style, whichever the host uses.
	if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ 2>/dev/null ||
	   grep -qs '^deb-src ' /etc/apt/sources.list 2>/dev/null; then
		return 1
	fi
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
			$SUDO tee /etc/apt/sources.list.d/rkv-deb-src.sources >/dev/null
	elif [ -f /etc/apt/sources.list ]; then
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
			$SUDO tee /etc/apt/sources.list.d/rkv-deb-src.list >/dev/null
	else
		echo "setup-deps: no apt source list found to derive deb-src from" >&2
		return 1
	fi
	return 0
}

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done

need_update=0
add_deb_src && need_update=1
[ -n "$missing" ] && need_update=1
stamp=/var/lib/apt/lists/rkv-updated
[ -f "$stamp" ] || need_update=1

if [ "$need_update" -eq 1 ]; then
	$SUDO apt-get update -qq
	$SUDO touch "$stamp" 2>/dev/null || true
fi
if [ -n "$missing" ]; then
	echo "setup-deps: installing$missing"
	# rsyslog's postinst starts the system daemon; we only want the binary.
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# Never let a system rsyslogd run alongside tests (it would own /dev/log, nothing else).
exit 0
