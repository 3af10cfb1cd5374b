/* vl_line.c: strict JSON syntax walk of one line (vl_line.h). Nesting is
 * bounded (VL_MAX_DEPTH) so that hostile input cannot exhaust the stack.
 * Thread use: reentrant.
 */
#include "rkv_config.h"
#include <string.h>
#include "vl_line.h"

#define VL_MAX_DEPTH 256

typedef struct walk {
	const unsigned char *s;
	size_t n, i;
	int newline;
	const char *const *keys;	/* top-level keys to look for */
	size_t nkeys;
	unsigned found;			/* bit k: keys[k] is present */
} walk_t;

static int value(walk_t *w, int depth);

static void
ws(walk_t *w)
{
	while (w->i < w->n) {
		unsigned char c = w->s[w->i];
		if (c == '\n')
			w->newline = 1;
		else if (c != ' ' && c != '\t' && c != '\r')
			return;
		w->i++;
	}
}

static int
hex4(walk_t *w)
{
	int k;

	for (k = 0; k < 4; k++, w->i++) {
		unsigned char c = w->i < w->n ? w->s[w->i] : 0;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return -1;
	}
	return 0;
}

/* bytes that end a run of plain string content: '"', '\\' and control
 * characters (the walk's hot loop, one table lookup per byte) */
static const unsigned char str_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0	/* '\\' */
};

static int
string(walk_t *w)
{
	const unsigned char *s = w->s;
	size_t i, n = w->n;

	if (w->i >= n || s[w->i] != '"')
		return -1;
	for (w->i++; w->i < n; w->i++) {
		unsigned char c;
		for (i = w->i; i < n && !str_stop[s[i]]; i++)
			;
		if ((w->i = i) >= n)
			break;
		c = s[i];
		if (c == '"') {
			w->i++;
			return 0;
		}
		if (c < 0x20)
			return -1;	/* raw control characters are not JSON */
		if (c == '\\') {
			if (++w->i >= w->n)
				return -1;
			c = w->s[w->i];
			if (c == 'u') {
				w->i++;
				if (hex4(w) != 0)
					return -1;
				w->i--;
			} else if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' &&
				   c != 'n' && c != 'r' && c != 't') {
				return -1;
			}
		}
	}
	return -1;
}

static int
digits(walk_t *w)
{
	size_t start = w->i;

	while (w->i < w->n && w->s[w->i] >= '0' && w->s[w->i] <= '9')
		w->i++;
	return w->i > start ? 0 : -1;
}

static int
number(walk_t *w)
{
	if (w->i < w->n && w->s[w->i] == '-')
		w->i++;
	if (w->i < w->n && w->s[w->i] == '0')
		w->i++;
	else if (digits(w) != 0)
		return -1;
	if (w->i < w->n && w->s[w->i] == '.') {
		w->i++;
		if (digits(w) != 0)
			return -1;
	}
	if (w->i < w->n && (w->s[w->i] == 'e' || w->s[w->i] == 'E')) {
		w->i++;
		if (w->i < w->n && (w->s[w->i] == '+' || w->s[w->i] == '-'))
			w->i++;
		if (digits(w) != 0)
			return -1;
	}
	return 0;
}

static int
literal(walk_t *w, const char *lit)
{
	for (; *lit; lit++, w->i++)
		if (w->i >= w->n || w->s[w->i] != (unsigned char)*lit)
			return -1;
	return 0;
}

/* a top-level member name (raw bytes between the quotes at s[from..to))
 * against the keys asked for; escaped names never match (the keys asked
 * for are plain) */
static void
top_key(walk_t *w, size_t from, size_t to)
{
	size_t k, len = to - from;

	for (k = 0; k < w->nkeys && k < 32; k++)
		if (strlen(w->keys[k]) == len && memcmp(w->keys[k], w->s + from, len) == 0)
			w->found |= 1u << k;
}

/* '{' members '}' or '[' elements ']' */
static int
container(walk_t *w, int depth, unsigned char close)
{
	if (depth > VL_MAX_DEPTH)
		return -1;
	w->i++;
	ws(w);
	if (w->i < w->n && w->s[w->i] == close) {
		w->i++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			size_t from = w->i + 1;
			if (string(w) != 0)
				return -1;
			if (depth == 0 && w->nkeys > 0)
				top_key(w, from, w->i - 1);
			ws(w);
			if (w->i >= w->n || w->s[w->i++] != ':')
				return -1;
			ws(w);
		}
		if (value(w, depth + 1) != 0)
			return -1;
		ws(w);
		if (w->i >= w->n)
			return -1;
		if (w->s[w->i] == close) {
			w->i++;
			return 0;
		}
		if (w->s[w->i++] != ',')
			return -1;
		ws(w);
	}
}

static int
value(walk_t *w, int depth)
{
	if (w->i >= w->n)
		return -1;
	switch (w->s[w->i]) {
	case '{': return container(w, depth, '}');
	case '[': return container(w, depth, ']');
	case '"': return string(w);
	case 't': return literal(w, "true");
	case 'f': return literal(w, "false");
	case 'n': return literal(w, "null");
	default: return number(w);
	}
}

vl_line_res_t
vl_line_check(const char *s, size_t n, size_t max_len, size_t *at)
{
	return vl_line_check_keys(s, n, max_len, at, NULL, 0, NULL);
}

vl_line_res_t
vl_line_check_keys(const char *s, size_t n, size_t max_len, size_t *at,
	const char *const *keys, size_t nkeys, unsigned *found)
{
	walk_t w;
	int object, r;

	w.s = (const unsigned char *)s;
	w.n = n;
	w.i = 0;
	w.newline = 0;
	w.keys = keys;
	w.nkeys = nkeys;
	w.found = 0;
	if (found != NULL)
		*found = 0;
	if (at != NULL)
		*at = 0;
	if (max_len > 0 && n > max_len)
		return VL_LINE_TOO_LONG;
	ws(&w);
	if (w.i == n)
		return VL_LINE_EMPTY;
	object = w.s[w.i] == '{';
	r = value(&w, 0);
	if (r == 0)
		ws(&w);
	if (at != NULL)
		*at = w.i;
	if (r != 0 || w.i != n)
		return VL_LINE_INVALID;
	if (!object)
		return VL_LINE_NOT_OBJECT;
	if (found != NULL)
		*found = w.found;
	return w.newline ? VL_LINE_NEWLINE : VL_LINE_OK;
}

int
vl_line_merge(rkv_buf_t *out, const char *obj, size_t n, unsigned found,
	const char *const *keys, const char *const *vals, const size_t *vlens,
	size_t nkeys)
{
	size_t k, end = n, i, start = 0;
	int empty = 1;

	while (end > 0 && obj[end - 1] != '}')
		end--;
	if (end == 0)
		return -1;
	end--;	/* at the closing brace */
	while (start < end && obj[start] != '{')
		start++;
	if (start == end)
		return -1;
	for (i = start + 1; i < end; i++)	/* anything but white space after '{' */
		if (obj[i] != ' ' && obj[i] != '\t' && obj[i] != '\r' && obj[i] != '\n')
			empty = 0;
	out->len = 0;
	if (rkv_buf_append(out, obj + start, empty ? 1 : end - start) != 0)
		return -1;
	for (k = 0; k < nkeys && k < 32; k++) {
		if (found & (1u << k))
			continue;
		if (rkv_buf_printf(out, "%s\"%s\":\"", empty ? "" : ",", keys[k]) != 0 ||
		    rkv_buf_append(out, vals[k], vlens[k]) != 0 || rkv_buf_puts(out, "\"") != 0)
			return -1;
		empty = 0;
	}
	return rkv_buf_puts(out, "}");
}

const char *
vl_line_reason(vl_line_res_t r)
{
	switch (r) {
	case VL_LINE_OK: return "ok";
	case VL_LINE_EMPTY: return "empty";
	case VL_LINE_TOO_LONG: return "too_long";
	case VL_LINE_NOT_OBJECT: return "not_an_object";
	case VL_LINE_INVALID: return "invalid_json";
	case VL_LINE_NEWLINE: return "raw_newline";
	}
	return "unknown";
}
