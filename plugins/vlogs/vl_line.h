/* vl_line.h: the check every line passes before omvictorialogs sends it.
 * VictoriaLogs answers 200 and silently skips a line that is not one JSON
 * object or that is longer than its limit (256 KiB by default), so the
 * module must find those itself and put them in its error file
 * (DESIGN.md §4-5). The check is a strict JSON syntax walk (RFC 8259)
 * that allocates nothing, so it costs little per event.
 * Thread use: reentrant, no state.
 */
#ifndef VL_LINE_H
#define VL_LINE_H
#include <stddef.h>
#include "rkv_util.h"

typedef enum vl_line_res {
	VL_LINE_OK = 0,
	VL_LINE_EMPTY,		/* nothing but white space */
	VL_LINE_TOO_LONG,	/* over the limit */
	VL_LINE_NOT_OBJECT,	/* valid JSON, but not an object */
	VL_LINE_INVALID,	/* not JSON (or more than one value) */
	VL_LINE_NEWLINE		/* a raw newline: it would split the line */
} vl_line_res_t;

/* Checks s[0..n); max_len 0: no limit. *at (may be NULL) is the offset
 * where the syntax failed. */
vl_line_res_t vl_line_check(const char *s, size_t n, size_t max_len, size_t *at);
/* The same, and *found (may be NULL) gets bit k set when the line is an
 * object with a top-level member named keys[k] (k < 32; unescaped names). */
vl_line_res_t vl_line_check_keys(const char *s, size_t n, size_t max_len,
	size_t *at, const char *const *keys, size_t nkeys, unsigned *found);
/* out = the object obj[0..n) (checked: VL_LINE_OK) with a string member
 * keys[k] = vals[k] (already JSON-escaped, vlens[k] bytes) added for every
 * k whose bit is not set in found. 0, or -1 (no memory, not an object). */
int vl_line_merge(rkv_buf_t *out, const char *obj, size_t n, unsigned found,
	const char *const *keys, const char *const *vals, const size_t *vlens,
	size_t nkeys);
/* Short stable reason for error files and counters. */
const char *vl_line_reason(vl_line_res_t r);

#endif
