#!/bin/sh
# gen-param-doc.sh MODULE: prints README's Markdown parameter table of a
# module from its single parameter table (plugins/MODULE/MODULE_params.h).
# `gen-param-doc.sh --check` verifies README.md holds the current tables.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

table() {
	echo "| parameter | type | default | description |"
	echo "|---|---|---|---|"
	# rows shared through #include "x_params.h" (plugins/glue) are inlined
	awk -v glue="$top/plugins/glue" '/^#include "/ { f = $2; gsub(/"/, "", f);
		while ((getline l < (glue "/" f)) > 0) print l; next } { print }' \
		"$top/plugins/$1/$1_params.h" |
	sed -n 's/^RKV_PARAM([A-Z_]*, *"\([^"]*\)", *eCmdHdlr\([A-Za-z]*\), *"\([^"]*\)", *"\(.*\)")$/| `\1` | \2 | \3 | \4 |/p' |
		sed -e 's/| Array |/| array |/; s/| Binary |/| on\/off |/; s/| GetWord |/| string |/' \
		    -e 's/| String |/| string |/; s/| PositiveInt |/| integer > 0 |/; s/| NonNegInt |/| integer >= 0 |/; s/| Int |/| integer |/' \
		    -e 's/\\"/"/g'
}

if [ "${1:-}" = "--check" ]; then
	rc=0
	for h in "$top"/plugins/*/*_params.h; do
		m=$(basename "$h" _params.h)
		[ "$(basename "$(dirname "$h")")" = "$m" ] || continue	# shared rows
		# the whole table must appear in README.md as one contiguous block
		table "$m" >"${TMPDIR:-/tmp}/rkv-params.$$"
		if ! python3 -c 'import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())' \
			"${TMPDIR:-/tmp}/rkv-params.$$" "$top/README.md"; then
			echo "README.md: parameter table of $m is out of date (run contrib/gen-param-doc.sh $m)" >&2
			rc=1
		fi
		rm -f "${TMPDIR:-/tmp}/rkv-params.$$"
	done
	exit $rc
fi
table "$1"
