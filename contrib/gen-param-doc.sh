#!/bin/sh
# gen-param-doc.sh MODULE: prints README's Markdown parameter table of a
# module from its single parameter table (plugins/MODULE/MODULE_params.h).
# `gen-param-doc.sh --check` verifies README.md holds the current tables.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

table() {
	echo "| parameter | type | default | description |"
	echo "|---|---|---|---|"
	sed -n 's/^RKV_PARAM([A-Z_]*, *"\([^"]*\)", *eCmdHdlr\([A-Za-z]*\), *"\([^"]*\)", *"\(.*\)")$/| `\1` | \2 | \3 | \4 |/p' \
		"$top/plugins/$1/$1_params.h" |
		sed -e 's/| Array |/| array |/; s/| Binary |/| on\/off |/; s/| GetWord |/| string |/' \
		    -e 's/| String |/| string |/; s/| PositiveInt |/| integer > 0 |/; s/| NonNegInt |/| integer >= 0 |/; s/| Int |/| integer |/' \
		    -e 's/\\"/"/g'
}

if [ "${1:-}" = "--check" ]; then
	rc=0
	for m in $(ls "$top/plugins" | grep '^o\|^i'); do
		[ -f "$top/plugins/$m/${m}_params.h" ] || continue
		if ! table "$m" | grep -qFf - "$top/README.md" ||
		   [ "$(table "$m" | grep -cFxf - "$top/README.md")" -ne "$(table "$m" | wc -l)" ]; then
			echo "README.md: parameter table of $m is out of date (run contrib/gen-param-doc.sh $m)" >&2
			rc=1
		fi
	done
	exit $rc
fi
table "$1"
