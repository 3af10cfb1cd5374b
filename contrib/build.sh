#!/bin/sh
# build.sh: everything needed before `make check` on a fresh Debian/Ubuntu:
# packages (setup-deps.sh), the rsyslog source tree matching the installed
# rsyslogd (rsyslog-source.sh, cached), autoreconf, configure, make.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh contrib/setup-deps.sh
tree=$(sh contrib/rsyslog-source.sh | tail -n 1)
if [ ! -f Makefile ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ] ||
   ! grep -q "RSYSLOG_SRC = $tree\$" Makefile 2>/dev/null; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	./configure -q --with-rsyslog-source="$tree" ${RKV_CONFIGURE_FLAGS:-}
fi
make -s -j2 all
echo "build.sh: built against rsyslog source $tree"
