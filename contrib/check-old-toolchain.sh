#!/bin/sh
# check-old-toolchain.sh: the old-platform discipline of the sources and
# of the built modules (README "Old hosts"; run by test 00-old-toolchain).
#  1. No C11-only construct in our C sources (GCC 4.4 / EL6 has none of
#     them): _Static_assert, _Atomic, stdatomic.h, _Thread_local, _Generic,
#     __atomic_ builtins (use __sync_).
#  2. The build uses -std=gnu99 -Wall -Wextra -Wdeclaration-after-statement
#     (CI adds -Werror: contrib/test.sh configures with --enable-werror).
#  3. Every glibc symbol version a built .so needs is <= GLIBC_2.12, or it
#     is one of the listed symbols that glibc 2.12 has under an older
#     version (a build on the old host links that one); the reason is
#     printed. Anything else (a function that glibc 2.12 lacks) fails.
# usage: check-old-toolchain.sh [BUILDDIR]   (exit 0: clean)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
rc=0

# 1. C11-only constructs (comments included: keep the words out of them)
hits=$(cd "$top" && grep -rnE '_Static_assert|_Atomic|stdatomic\.h|_Thread_local|_Generic|__atomic_' \
	--include='*.c' --include='*.h' --include='*.inc' plugins tests/unit tests/tools 2>/dev/null)
if [ -n "$hits" ]; then
	echo "C11-only constructs (GCC 4.4 / EL6 cannot compile them):"
	echo "$hits"
	rc=1
else
	echo "sources: no C11-only construct"
fi

# 2. the dialect and warnings of the build
flags=$(sed -n 's/^RKV_CFLAGS = //p' "$build/Makefile" 2>/dev/null)
for f in -std=gnu99 -Wall -Wextra -Wdeclaration-after-statement -Werror=implicit-function-declaration; do
	case " $flags " in
	*" $f "*) ;;
	*) echo "build flags lack $f: $flags"; rc=1 ;;
	esac
done
echo "build flags: $flags"

# 3. glibc symbol versions of the built modules
allowed() {	# SYMBOL VERSION -> prints the reason, or fails
	case "$1@$2" in
	pthread_*@GLIBC_2.34 | dl*@GLIBC_2.34 | pthread_sigmask@GLIBC_2.32)
		echo "glibc 2.32/2.34 moved it from libpthread/libdl into libc; 2.12 has it in libpthread/libdl (linked by configure there)" ;;
	stat@GLIBC_2.33 | fstat@GLIBC_2.33 | lstat@GLIBC_2.33)
		echo "a real symbol since glibc 2.33; 2.12 headers call __xstat, which it has" ;;
	memcpy@GLIBC_2.14)
		echo "re-versioned in glibc 2.14; 2.12 has memcpy@GLIBC_2.2.5" ;;
	clock_gettime@GLIBC_2.17)
		echo "in libc since 2.17; 2.12 has it in librt (configure: AC_SEARCH_LIBS rt; gettimeofday fallback)" ;;
	*) return 1 ;;
	esac
}
sos=$(ls "$build"/plugins/*/.libs/*.so 2>/dev/null)
[ -n "$sos" ] || { echo "no built module under $build/plugins"; exit 1; }
reasons=
for so in $sos; do
	high=GLIBC_2.12 ok=
	for sv in $(objdump -T "$so" | awk '$0 ~ /GLIBC_[0-9]/ { v = $(NF-1); gsub(/[()]/, "", v); print $NF "@" v }' | sort -u); do
		sym=${sv%@*} ver=${sv#*@}
		case $ver in GLIBC_*) ;; *) continue ;; esac
		[ "$ver" = GLIBC_2.12 ] && continue
		printf '%s\n%s\n' "GLIBC_2.12" "$ver" | sort -V -C || continue	# older
		if why=$(allowed "$sym" "$ver"); then
			ok="$ok $sym@${ver#GLIBC_}"
			case "$reasons" in *"$why"*) ;; *) reasons="$reasons
  - $why" ;; esac
		else
			echo "$(basename "$so"): $sym@$ver: glibc 2.12 lacks it (add a fallback)"
			rc=1
		fi
		printf '%s\n%s\n' "$high" "$ver" | sort -V -C && high=$ver
	done
	echo "$(basename "$so"): highest GLIBC version as built here $high; above 2.12 only:$ok"
done
[ -n "$reasons" ] && echo "why those are fine on glibc 2.12:$reasons"
exit $rc
