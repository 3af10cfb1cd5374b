#!/bin/sh
# test.sh: README command (2): set up, build, run every test. The last
# line of output is "N passed, N failed, N skipped".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/contrib/build.sh"
cd "$top"
exec make -s check
