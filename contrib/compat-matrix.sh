#!/bin/sh
# compat-matrix.sh [OUTDIR]: builds the modules against the rsyslog and
# librdkafka versions of other Debian releases and prints one table:
# version x module x (compiles, loads, tests).
#
# Sources come from `apt-get source` through a private apt configuration
# under the cache (the system's apt state is not touched): its deb-src
# lines use the mirror and keyring of the system's own sources, with the
# suites below. rsyslog trees are configured by contrib/rsyslog-source.sh;
# librdkafka is built into a private prefix, and the modules of its rows
# find it through their RUNPATH.
#   RKV_MATRIX_RSYSLOG  suites whose rsyslog the modules compile against
#                       (default "bullseye bookworm trixie": 8.2102, 8.2302,
#                       8.2504)
#   RKV_MATRIX_RDKAFKA  suites whose librdkafka the modules compile and
#                       link against, with the installed rsyslog (default
#                       "bullseye trixie": 1.6.0, 2.8.0)
#   RKV_MATRIX_TESTS    integration tests run with every row that loads
#   RSYSLOGD            the rsyslogd that loads (default /usr/sbin/rsyslogd)
# "loads" (rsyslogd -N1 with every module) needs an rsyslogd of the row's
# version, so rows of another rsyslog version say n/a. A source the
# archive does not serve gives a row "source not served", not a failure.
# A last row builds on a host whose pkg-config has no libzstd.
# Exit status 1 when a row that had its source fails to compile, load or
# pass its tests. The table is also written to OUTDIR/table.txt.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${RKV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rsyslog-kafka-victorialogs}
OUT=${1:-$top/_work/compat-matrix}
RS_SUITES=${RKV_MATRIX_RSYSLOG-bullseye bookworm trixie}
RDK_SUITES=${RKV_MATRIX_RDKAFKA-bullseye trixie}
TESTS=${RKV_MATRIX_TESTS-01-imfile-100k-exactly-once 20-consumer-100k-exactly-once}
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
TOOLS_BUILD=${RKV_BUILDDIR:-$top}
mkdir -p "$OUT" "$CACHE"
TABLE=$OUT/table.txt
: >"$TABLE"
bad=0
log() { echo "compat-matrix: $*" >&2; }
row() { printf '%-30s %-15s %-9s %-7s %s\n' "$@" | tee -a "$TABLE"; }

# --- private apt: deb-src of SUITE from the system's own mirror ---------
# mirror_line: "URI KEYRING" of the system's entry for its own release
mirror_line() {
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v c="$codename" '
			/^$/ { if (ok && uri) { print uri, key; exit } ok = 0; uri = ""; key = "" }
			/^URIs:/ { uri = $2 } /^Signed-By:/ { key = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) ok = 1 }
			END { if (ok && uri) print uri, key }'
		cat /etc/apt/sources.list 2>/dev/null | awk -v c="$codename" '
			$1 == "deb" { u = ""; k = ""
				for (i = 2; i <= NF; i++) {
					if ($i ~ /^\[/) { if ($i ~ /signed-by=/) { k = $i; sub(/.*signed-by=/, "", k); sub(/\]$/, "", k) } continue }
					if ($i ~ /\]$/) continue
					if (u == "") { u = $i; continue }
					if ($i == c) { print u, k; exit }
					break } }'
	} | head -n 1
}

# apt_suite SUITE: a private apt state that knows SUITE's sources; sets APTO
apt_suite() {
	d=$CACHE/apt/$1
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	set -- "$1" $(mirror_line)
	[ -n "${2:-}" ] || { log "no apt mirror found in the system's sources"; return 1; }
	echo "deb-src ${3:+[signed-by=$3] }$2 $1 main" >"$d/sources.list"
	APTO="-o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=/nonexistent
	      -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o Debug::NoLocking=1"
	[ -n "$(find "$d/lists" -maxdepth 1 -name '*Sources*' -mmin -1440 2>/dev/null)" ] ||
		apt-get $APTO update -qq >"$d/update.log" 2>&1 ||
		{ log "apt-get update for $1 failed: $(tail -n 3 "$d/update.log")"; return 1; }
}

# src_version PKG: newest source version of PKG that the private state knows
src_version() {
	apt-cache $APTO showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -rV | head -n 1
}

# get_orig PKG VERSION DIR: downloads PKG=VERSION into DIR, prints the orig tarball
get_orig() {
	mkdir -p "$3"
	(cd "$3" && apt-get $APTO source -qq --download-only "$1=$2") >"$3/download.log" 2>&1 ||
		return 1
	ls "$3"/"$1"_*.orig.tar.* 2>/dev/null | head -n 1
}

# not_served DIR: the first file the mirror did not have, and its answer
not_served() {
	sed -n 's/.*Failed to fetch \([^ ]*\) *\([0-9]* [A-Za-z ]*\).*/\1 \2/p' "$1/download.log" | head -n 1
}

# --- builds -------------------------------------------------------------
# build_rdkafka VERSION TARBALL: librdkafka into $CACHE/librdkafka-VERSION
build_rdkafka() {
	pfx=$CACHE/librdkafka-$1
	[ -f "$pfx/.rkv-built" ] && return 0
	s=$OUT/librdkafka-$1-src
	rm -rf "$s" "$pfx"
	mkdir -p "$s"
	tar -xf "$2" -C "$s" --strip-components=1 &&
	(cd "$s" && ./configure --prefix="$pfx" && make -C src -j2 && make -C src install) \
		>"$OUT/librdkafka-$1.log" 2>&1 || return 1
	touch "$pfx/.rkv-built"
	rm -rf "$s"
}

# build_row NAME TREE [configure args...]: the project in OUT/NAME (VPATH)
build_row() {
	b=$OUT/$1 tree=$2
	shift 2
	rm -rf "$b"
	mkdir -p "$b"
	(cd "$b" && "$SRC/configure" -q --with-rsyslog-source="$tree" --enable-werror "$@" &&
		make -k -j2 all) >"$b/build.log" 2>&1
}

# main_build_is_row TREE: the build that runs the suite (RKV_BUILDDIR)
# is this row already: made against TREE with -Werror, modules built
main_build_is_row() {
	mk=$TOOLS_BUILD/Makefile
	[ -f "$mk" ] && grep -qx "RSYSLOG_SRC = $1" "$mk" &&
		grep -q '^RKV_CFLAGS = .*-Werror\( \|$\)' "$mk" &&
		[ -f "$TOOLS_BUILD/plugins/omrdkafka/.libs/omrdkafka.so" ]
}

# compiled ROWDIR MODULE: yes when the module was built warning-free
compiled() {
	[ -f "$1/plugins/$2/.libs/$2.so" ] && echo yes || echo FAIL
}

# loads ROWDIR MODULE: rsyslogd -N1 with the module and one instance
loads() {
	d=$OUT/work/$(basename "$1")/load
	mkdir -p "$d"
	"$top/tests/tools/load-conf" "$d" "$1/plugins/$2/.libs" "$2" >"$d/$2.conf"
	if "$RSYSLOGD" ${RSYSLOG_MODDIR:+-M "$RSYSLOG_MODDIR"} -N1 -f "$d/$2.conf" >"$d/$2.out" 2>&1 &&
	   ! grep -qi 'error' "$d/$2.out"; then
		echo yes
	else
		echo FAIL
	fi
}

# run_tests ROWDIR: RKV_MATRIX_TESTS with this row's modules and the main
# build's test tools; prints "passed" or the failed tests
run_tests() {
	failed=""
	wr=$OUT/work/$(basename "$1")
	mkdir -p "$wr"
	for t in $TESTS; do
		RKV_SRCDIR=$top RKV_BUILDDIR=$1 RKV_TOOLS_BUILDDIR=$TOOLS_BUILD \
			RKV_WORKROOT=$wr RSYSLOGD=$RSYSLOGD \
			bash "$top/tests/integration/$t.sh" >"$wr/$t.log" 2>&1 ||
			failed="$failed ${t%%-*}"
	done
	[ -z "$failed" ] && echo "$(echo $TESTS | sed 's/-[^ ]*//g') passed" || echo "FAIL:$failed"
}

# result ROW MODULE COMPILES LOADS TESTS: one line; counts failures
result() {
	row "$@"
	case "$3 $4 $5" in *FAIL*) bad=1 ;; esac
}

# --- the source tree, configured once for VPATH builds ------------------
SRC=$OUT/src
rm -rf "$SRC"
mkdir -p "$SRC"
(cd "$top" && git ls-files --cached --others --exclude-standard -z |
	xargs -0 cp --parents -t "$SRC") && (cd "$SRC" && autoreconf -fi >/dev/null 2>&1) ||
	{ log "cannot prepare a copy of the sources in $SRC"; exit 1; }
command -v rsyslogd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
installed=$("$RSYSLOGD" -v 2>/dev/null | sed -n '1s/^rsyslogd *\([0-9][0-9.]*\).*/\1/p')
main_tree=$(sh "$top/contrib/rsyslog-source.sh" "$installed" | tail -n 1)

row "version" "module" "compiles" "loads" "tests"
# --- rsyslog rows: modules against each release's rsyslog ---------------
for suite in $RS_SUITES; do
	if ! apt_suite "$suite" || ! v=$(src_version rsyslog) || [ -z "$v" ]; then
		row "rsyslog ? ($suite)" "-" "-" "-" "apt knows no rsyslog source"; continue
	fi
	up=${v#*:}; up=${up%%-*}
	name="rsyslog $up ($suite)"
	if [ "$up" = "$installed" ]; then
		tree=$main_tree
	elif [ -f "$CACHE/rsyslog-$up/.rkv-configured" ]; then
		tree=$CACHE/rsyslog-$up
	elif tgz=$(get_orig rsyslog "$v" "$OUT/dl-rsyslog-$up") && [ -n "$tgz" ]; then
		tree=$(RKV_RSYSLOG_TARBALL=$tgz sh "$top/contrib/rsyslog-source.sh" "$up" 2>"$OUT/rsyslog-$up.log" | tail -n 1)
	else
		row "$name" "-" "-" "-" "source not served: $(not_served "$OUT/dl-rsyslog-$up")"; continue
	fi
	[ -d "$tree" ] || { result "$name" "-" "FAIL" "-" "rsyslog configure failed ($OUT/rsyslog-$up.log)"; continue; }
	tests="n/a: no rsyslogd $up here"
	rd=$OUT/rsyslog-$up
	if [ "$up" = "$installed" ]; then
		if main_build_is_row "$tree"; then
			rd=$TOOLS_BUILD
		else
			build_row "rsyslog-$up" "$tree"
		fi
		tests=$(run_tests "$rd")
	else	# compile only: configure refuses a tree that is not the installed version's
		build_row "rsyslog-$up" "$tree" --disable-version-check
	fi
	for m in omrdkafka imrdkafka omvictorialogs; do
		c=$(compiled "$rd" $m)
		l="n/a"
		[ "$up" = "$installed" ] && l=$(loads "$rd" $m)
		result "$name" $m "$c" "$l" "$tests"
	done
done

# --- librdkafka rows: Kafka modules linked against each release's -------
for suite in $RDK_SUITES; do
	if ! apt_suite "$suite" || ! v=$(src_version librdkafka) || [ -z "$v" ]; then
		row "librdkafka ? ($suite)" "-" "-" "-" "apt knows no librdkafka source"; continue
	fi
	up=${v#*:}; up=${up%%-*}
	name="librdkafka $up ($suite)"
	if ! tgz=$(get_orig librdkafka "$v" "$OUT/dl-librdkafka-$up") || [ -z "$tgz" ]; then
		row "$name" "-" "-" "-" "source not served: $(not_served "$OUT/dl-librdkafka-$up")"; continue
	fi
	if ! build_rdkafka "$up" "$tgz"; then
		result "$name" "-" "FAIL" "-" "librdkafka build failed ($OUT/librdkafka-$up.log)"; continue
	fi
	pfx=$CACHE/librdkafka-$up
	rn=rdkafka-$up
	build_row "$rn" "$main_tree" PKG_CONFIG_PATH="$pfx/lib/pkgconfig" LDFLAGS="-Wl,-rpath,$pfx/lib"
	tests=$(run_tests "$OUT/$rn")
	for m in omrdkafka imrdkafka; do
		so=$OUT/$rn/plugins/$m/.libs/$m.so
		c=$(compiled "$OUT/$rn" $m)
		# the module must use this librdkafka, not the system's
		[ "$c" = yes ] && ! ldd "$so" | grep -q "$pfx/lib/librdkafka" &&
			c="FAIL (links $(ldd "$so" | awk '/librdkafka/ {print $3}'))"
		result "$name" $m "$c" "$(loads "$OUT/$rn" $m)" "$tests"
	done
done
# --- a host without libzstd (EL6/EL7 have it only from EPEL) ------------
# pkg-config made blind to libzstd: everything builds, omvictorialogs
# loads and refuses compression="zstd" at config load, naming the reason
pc=$OUT/pkgconfig-no-zstd
mkdir -p "$pc"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
	cp "$d"/*.pc "$pc"/ 2>/dev/null
done
rm -f "$pc/libzstd.pc"
build_row no-libzstd "$main_tree" PKG_CONFIG_LIBDIR="$pc"
b=$OUT/no-libzstd
z="FAIL"
if [ -f "$b/plugins/omvictorialogs/.libs/omvictorialogs.so" ] &&
   ! objdump -p "$b/plugins/omvictorialogs/.libs/omvictorialogs.so" | grep -q 'NEEDED.*libzstd'; then
	printf 'module(load="%s")\naction(type="omvictorialogs" endpoint="http://127.0.0.1:9428" compression="zstd" errorFile="%s/e.json" queue.type="Direct")\n' \
		"$b/plugins/omvictorialogs/.libs/omvictorialogs.so" "$b" >"$b/zstd.conf"
	"$RSYSLOGD" -N1 -f "$b/zstd.conf" >"$b/zstd.out" 2>&1
	grep -q "'compression'.*needs libzstd" "$b/zstd.out" && z="zstd refused at -N1"
fi
for m in omrdkafka imrdkafka omvictorialogs; do
	result "without libzstd" $m "$(compiled "$b" $m)" "$(loads "$b" $m)" "$z"
done
exit $bad
