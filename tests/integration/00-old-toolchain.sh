#!/bin/bash
# The old-platform discipline (contrib/check-old-toolchain.sh): no C11-only
# construct in the sources, the build's dialect and warnings, and no glibc
# function newer than glibc 2.12 (EL6) in the built modules: every symbol
# version above GLIBC_2.12 is one that 2.12 has under an older version.
. "$(dirname "$0")/lib.sh"
sh "$RKV_SRCDIR/contrib/check-old-toolchain.sh" "$RKV_BUILDDIR" || fail "old-toolchain check"
log "OK"
