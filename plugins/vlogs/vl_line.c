/* vl_line.c: strict JSON syntax walk of one line (vl_line.h). Nesting is
 * bounded (VL_MAX_DEPTH) so that hostile input cannot exhaust the stack.
 * Thread use: reentrant.
 */
#include "rkv_config.h"
#include "vl_line.h"

#define VL_MAX_DEPTH 256

typedef struct walk {
	const unsigned char *s;
	size_t n, i;
	int newline;
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

static int
string(walk_t *w)
{
	if (w->i >= w->n || w->s[w->i] != '"')
		return -1;
	for (w->i++; w->i < w->n; w->i++) {
		unsigned char c = w->s[w->i];
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
			if (string(w) != 0)
				return -1;
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
	walk_t w;
	int object, r;

	w.s = (const unsigned char *)s;
	w.n = n;
	w.i = 0;
	w.newline = 0;
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
	return w.newline ? VL_LINE_NEWLINE : VL_LINE_OK;
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
