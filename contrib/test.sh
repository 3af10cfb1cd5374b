#!/bin/sh
# test.sh: README command (2): set up, build, run every test. The last
# line of output is "N passed, N failed, N skipped".
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
# warnings are errors here (CI): the old-platform discipline is checked
# by test 00-old-toolchain
RKV_CONFIGURE_FLAGS=${RKV_CONFIGURE_FLAGS:---enable-werror} sh "$top/contrib/build.sh"
cd "$top"
exec make -s check
