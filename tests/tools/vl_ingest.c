/* vl_ingest.c: one /insert/jsonline or Elasticsearch /_bulk body -> rows,
 * by VictoriaLogs' rules (see vl-server.c and DESIGN.md §5). Thread use:
 * the caller serializes (parse_obj and one_line keep a static tokener and
 * field table).
 */
#define _GNU_SOURCE 1
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json.h>
#include "vl_server.h"

#define NO_MSG "missing _msg field; see https://docs.victoriametrics.com/victorialogs/keyconcepts/#message-field"

typedef struct args {
	char msg[256], time[256], stream[512], ignore[512], extra[1024];
} args_t;

typedef struct field {
	char name[256];
	const char *val;	/* owned by the parsed tree or by json-c's buffer */
	char num[64];		/* non-string values as JSON text */
} field_t;

typedef struct line_fields {
	field_t f[256];
	int n;
} line_fields_t;

static int
unhex(int c)
{
	return isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10) & 0xf;
}

/* query "a=b&c=d" -> the value of key, URL-decoded; 1 when found */
static int
query_get(const char *q, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key), o = 0;
	const char *p = q;

	while (p != NULL && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			for (p += kl + 1; *p && *p != '&' && o + 1 < cap; p++) {
				if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
					out[o++] = (char)(unhex(p[1]) << 4 | unhex(p[2]));
					p += 2;
				} else {
					out[o++] = *p == '+' ? ' ' : *p;
				}
			}
			out[o] = '\0';
			return 1;
		}
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}
	return 0;
}

static void
arg(const char *q, const char *key, const char *hdr, const char *dflt, char *out, size_t cap)
{
	if (!query_get(q, key, out, cap))
		snprintf(out, cap, "%s", hdr != NULL && *hdr ? hdr : dflt);
}

/* name in the comma-separated list (an entry ending in '*' is a prefix) */
static int
listed(const char *list, const char *name)
{
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		while (l && p[0] == ' ') { p++; l--; }
		if (l && p[l - 1] == '*' ? !strncmp(p, name, l - 1)
		    : (strlen(name) == l && !strncmp(p, name, l)))
			return 1;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

/* dst = prefix "." k (or k when there is no prefix), cut at cap */
static void
join(char *dst, size_t cap, const char *prefix, const char *k)
{
	size_t pl = strlen(prefix), kl = strlen(k), o = 0;

	if (pl > 0 && pl + 1 < cap) {
		memcpy(dst, prefix, pl);
		dst[pl] = '.';
		o = pl + 1;
	}
	if (kl > cap - 1 - o)
		kl = cap - 1 - o;
	memcpy(dst + o, k, kl);
	dst[o + kl] = '\0';
}

static void
flatten(struct json_object *o, const char *prefix, line_fields_t *lf)
{
	struct json_object_iterator it = json_object_iter_begin(o), end = json_object_iter_end(o);

	for (; !json_object_iter_equal(&it, &end) && lf->n < 256; json_object_iter_next(&it)) {
		struct json_object *v = json_object_iter_peek_value(&it);
		field_t *f = &lf->f[lf->n];
		/* no snprintf here: this runs for every field of every line */
		join(f->name, sizeof(f->name), prefix, json_object_iter_peek_name(&it));
		if (v != NULL && json_object_is_type(v, json_type_object)) {
			char name[sizeof(f->name)];
			memcpy(name, f->name, sizeof(name));
			flatten(v, name, lf);
			continue;
		}
		lf->n++;
		if (v == NULL) {
			f->val = "";
		} else if (json_object_is_type(v, json_type_string)) {
			f->val = json_object_get_string(v);
		} else {
			snprintf(f->num, sizeof(f->num), "%s", json_object_to_json_string_ext(v,
				JSON_C_TO_STRING_PLAIN));
			f->val = f->num;
		}
	}
}

static const field_t *
find(const line_fields_t *lf, const char *name, size_t len)
{
	int i;

	for (i = 0; i < lf->n; i++)
		if (!strncmp(lf->f[i].name, name, len) && lf->f[i].name[len] == '\0')
			return &lf->f[i];
	return NULL;
}

/* first field of the comma-separated list present (and not empty) */
static const field_t *
first_of(const line_fields_t *lf, const char *list)
{
	const char *p = list, *e;

	for (; *p; p = *e ? e + 1 : e) {
		const field_t *f;
		e = strchrnul(p, ',');
		if (e > p && (f = find(lf, p, (size_t)(e - p))) != NULL && *f->val)
			return f;
	}
	return NULL;
}

/* ---- timestamps, as VictoriaLogs v1.26 (insertutil/timestamp.go,
 * timeutil.TryParseUnixTimestamp) ------------------------------------------ */

/* VictoriaLogs' -retentionPeriod, -futureRetention=2d: a row whose UTC
 * day is before the day of now-retention or after the day of now+2d is
 * dropped (vl_rows_dropped_total too_small / too_big_timestamp). The
 * retention is 100 years here (VictoriaLogs' default is 7 days) so that
 * the tests' fixed event dates stay valid; the `retention <days>` command
 * sets it (test 40 checks the 7-day default that way). */
#define NS_DAY (86400LL * 1000000000LL)
#define FUTURE_NS (2 * NS_DAY)
static int64_t retention_ns = 36500LL * NS_DAY;	/* under the caller's mutex */

void
vl_set_retention_days(long days)
{
	retention_ns = (int64_t)days * NS_DAY;
}

static int64_t
now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* 1 when a row at ns is kept; C and Go both truncate the division */
static int
in_retention(int64_t ns)
{
	int64_t now = now_ns(), day = ns / NS_DAY;

	return day >= (now - retention_ns) / NS_DAY && day <= (now + FUTURE_NS) / NS_DAY;
}

/* [s, s+n): an optional sign and decimal digits (Go's strconv.ParseInt) */
static int
dec(const char *s, size_t n, int64_t *v)
{
	char buf[32], *end;
	size_t i = n > 0 && (s[0] == '-' || s[0] == '+');

	if (n == 0 || n >= sizeof(buf) || i == n || strspn(s + i, "0123456789") < n - i)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return errno != 0 ? -1 : 0;
}

/* *n *= 10^e; -1 on overflow or e outside 0..18 */
static int
mul10(int64_t *n, long e)
{
	if (e < 0 || e > 18)
		return -1;
	for (; e > 0; e--) {
		if (*n > INT64_MAX / 10 || *n < INT64_MIN / 10)
			return -1;
		*n *= 10;
	}
	return 0;
}

/* the unit from the magnitude: |n| < 2^31 s, then ms, us, else ns */
static int64_t
unix_ns(int64_t n)
{
	const int64_t s = 1LL << 31;

	if (n < s && n >= -s)
		return n * 1000000000;
	if (n < 1000 * s && n >= -1000 * s)
		return n * 1000000;
	if (n < 1000000 * s && n >= -1000000 * s)
		return n * 1000;
	return n;
}

/* "1796119200", "-1", "1796119200.5" (fraction digits padded to a
 * multiple of 3 first), "1.7e9" (integral result only) -> unix ns */
static int
parse_unix(const char *s, int64_t *ns)
{
	const char *e = strpbrk(s, "eE"), *dot;
	size_t ml = e ? (size_t)(e - s) : strlen(s), fl = 0;
	int64_t n, frac, x = 0;

	if (e != NULL && dec(e + 1, strlen(e + 1), &x) != 0)
		return -1;
	if ((dot = memchr(s, '.', ml)) == NULL) {
		if (dec(s, ml, &n) != 0)
			return -1;
	} else {
		fl = ml - (size_t)(dot + 1 - s);
		if (dec(s, (size_t)(dot - s), &n) != 0 || !isdigit((unsigned char)dot[1]) ||
		    dec(dot + 1, fl, &frac) != 0 || mul10(&n, (long)fl) != 0)
			return -1;
		n = n >= 0 ? n + frac : n - frac;
	}
	if (e != NULL) {
		if (x < (int64_t)fl || mul10(&n, (long)(x - (int64_t)fl)) != 0)
			return -1;
	} else {
		for (; fl % 3 != 0; fl++)
			if (mul10(&n, 1) != 0)
				return -1;
	}
	*ns = unix_ns(n);
	return 0;
}

/* RFC 3339, fraction optional, "Z" or a +hh:mm / -hh:mm offset */
static int
parse_rfc3339(const char *s, int64_t *ns)
{
	struct tm tm;
	int64_t frac = 0, scale = 1000000000;
	const char *p;

	memset(&tm, 0, sizeof(tm));
	if (!isdigit((unsigned char)s[0]) || (p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			if (scale > 1)
				frac += (*p - '0') * (scale /= 10);
	*ns = (int64_t)timegm(&tm) * 1000000000 + frac;
	if (*p == 'Z' && p[1] == '\0')
		return 0;
	if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && p[3] == ':' && !p[6]) {
		int64_t off = ((p[1] - '0') * 10 + p[2] - '0') * 3600 + ((p[4] - '0') * 10 + p[5] - '0') * 60;
		*ns -= (*p == '+' ? 1 : -1) * off * 1000000000;
		return 0;
	}
	return -1;
}

/* the value of the time field -> unix ns; "", "0", "-" and a time of 0:
 * now. -1 with why set when it does not parse. */
static int
parse_time(const char *name, const char *s, int64_t *ns, char *why, size_t cap)
{
	int is_unix = strlen(s) <= 4 || s[4] != '-';

	*ns = 0;
	if (*s && strcmp(s, "0") && strcmp(s, "-") &&
	    (is_unix ? parse_unix(s, ns) : parse_rfc3339(s, ns)) != 0) {
		snprintf(why, cap, "cannot parse timestamp from field \"%s\": %s \"%.64s\"", name,
			is_unix ? "cannot parse unix timestamp" : "cannot unmarshal rfc3339 timestamp", s);
		return -1;
	}
	if (*ns == 0)
		*ns = now_ns();
	return 0;
}

static void
add_str(struct json_object *row, const char *k, const char *v)
{
	json_object_object_add(row, k, json_object_new_string(v));
}

static void
extra_fields(struct json_object *row, const char *extra)
{
	char buf[1024], *save, *t;

	snprintf(buf, sizeof(buf), "%s", extra);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		if (eq != NULL) {
			*eq = '\0';
			add_str(row, t, eq + 1);
		}
	}
}

typedef struct ctx {
	args_t a;
	char tenant[80];
	FILE *out;
} ctx_t;

/* the stored row: _msg, _time, _stream, tenant, then the other fields */
static void
write_row(const line_fields_t *lf, const field_t *mf, const field_t *tf, int64_t ns,
	const ctx_t *c)
{
	struct json_object *row;
	char stream[2048], tbuf[32];
	size_t sl = 0;
	int i;

	stream[sl++] = '{';
	for (i = 0; i < lf->n; i++) {
		if (listed(c->a.stream, lf->f[i].name) && sl < sizeof(stream) - 300)
			sl += (size_t)snprintf(stream + sl, sizeof(stream) - sl, "%s%s=\"%s\"",
				sl > 1 ? "," : "", lf->f[i].name, lf->f[i].val);
	}
	snprintf(stream + sl, sizeof(stream) - sl, "}");
	row = json_object_new_object();
	add_str(row, "_msg", mf ? mf->val : NO_MSG);
	snprintf(tbuf, sizeof(tbuf), "%lld", (long long)ns);
	add_str(row, "_time", tbuf);
	add_str(row, "_stream", stream);
	add_str(row, "tenant", c->tenant);
	for (i = 0; i < lf->n; i++) {
		if (&lf->f[i] == mf || &lf->f[i] == tf || listed(c->a.ignore, lf->f[i].name))
			continue;
		add_str(row, lf->f[i].name, lf->f[i].val);
	}
	extra_fields(row, c->a.extra);
	fprintf(c->out, "%s\n", json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN));
	json_object_put(row);
}

/* fastjson's name for what a line holds instead of an object */
static const char *
json_kind(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_array: return "array";
	case json_type_string: return "string";
	case json_type_int: case json_type_double: return "number";
	case json_type_boolean: return json_object_get_boolean(o) ? "true" : "false";
	default: return "null";
	}
}

/* the line as one JSON object; NULL with why set. The tokener is reused:
 * the caller serializes. */
static struct json_object *
parse_obj(const char *s, size_t n, char *why, size_t cap)
{
	static struct json_tokener *tok;
	struct json_object *o;
	size_t used;

	if (tok == NULL && (tok = json_tokener_new()) == NULL)
		return snprintf(why, cap, "out of memory"), NULL;
	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, s, (int)n);
	used = (size_t)tok->char_offset;
	while (used < n && isspace((unsigned char)s[used]))
		used++;
	if (o == NULL)
		snprintf(why, cap, "cannot parse JSON: %s", tok->err == fjson_tokener_continue ?
			"unexpected end of JSON" : json_tokener_error_desc(tok->err));
	else if (used != n)
		snprintf(why, cap, "cannot parse JSON: unexpected tail: \"%.*s\"",
			(int)(n - used < 40 ? n - used : 40), s + used);
	else if (!json_object_is_type(o, json_type_object))
		snprintf(why, cap, "value doesn't contain object; it contains %s", json_kind(o));
	else
		return o;
	json_object_put(o);
	return NULL;
}

/* one line -> a row: 0 stored, 1 dropped for its time (outside the
 * retention window), -1 invalid (why: VictoriaLogs' reason, with the line) */
static int
one_line(const char *s, size_t n, const ctx_t *c, char *why, size_t cap)
{
	static line_fields_t lf;
	struct json_object *o;
	const field_t *mf, *tf;
	int64_t ns;
	int r = 0;
	size_t l;

	if ((o = parse_obj(s, n, why, cap)) != NULL) {
		lf.n = 0;
		flatten(o, "", &lf);
		mf = first_of(&lf, c->a.msg);
		tf = first_of(&lf, c->a.time);
		if (tf != NULL && parse_time(tf->name, tf->val, &ns, why, cap) != 0)
			r = -1;
		else if (tf == NULL)
			ns = now_ns();
		if (r == 0 && !in_retention(ns))
			r = 1;
		else if (r == 0 && c->out != NULL)
			write_row(&lf, mf, tf, ns, c);
		json_object_put(o);
		if (r >= 0)
			return r;
	}
	l = strlen(why);	/* Go's %q of the line; here cut at 100 bytes */
	snprintf(why + l, cap - l, "; line contents: \"%.*s%s\"", (int)(n < 100 ? n : 100), s,
		n > 100 ? "..." : "");
	return -1;
}

static void
ctx_init(ctx_t *c, const vl_params_t *p, vl_result_t *res)
{
	memset(res, 0, sizeof(*res));
	arg(p->query, "_msg_field", p->hmsg, "_msg", c->a.msg, sizeof(c->a.msg));
	arg(p->query, "_time_field", p->htime, "_time", c->a.time, sizeof(c->a.time));
	arg(p->query, "_stream_fields", p->hstream, "", c->a.stream, sizeof(c->a.stream));
	arg(p->query, "ignore_fields", NULL, "", c->a.ignore, sizeof(c->a.ignore));
	arg(p->query, "extra_fields", NULL, "", c->a.extra, sizeof(c->a.extra));
	snprintf(c->tenant, sizeof(c->tenant), "%s:%s", *p->account ? p->account : "0",
		*p->project ? p->project : "0");
	c->out = p->out;
}

/* the next line of [*p, end) without its "\n" ('\r' kept, as VictoriaLogs
 * keeps it: JSON takes it as space); 0 at the end */
static int
next_line(const char **p, const char *end, const char **line, size_t *n)
{
	const char *nl;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*n = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	return 1;
}

/* VictoriaLogs v1.26 reads lines into a buffer of max_line bytes: a line
 * is too long when it and its '\n' (none at the very end) do not fit, so
 * with 256 KiB a line of 262,143 bytes passes and one of 262,144 does not.
 * After skipping it the reader drops the rest of the body (the read that
 * ends the body is thrown away with the skipped bytes). Returns 1 when
 * the line ending at *p was too long, counting the lost lines after it and
 * moving *p to the end. */
static int
too_long(const char *line, const char **p, const char *end, size_t max,
	vl_result_t *res)
{
	const char *q, *nl;

	if ((size_t)(*p - line) <= max)
		return 0;
	res->too_long++;
	for (q = *p; q < end; q = nl + 1) {
		if ((nl = memchr(q, '\n', (size_t)(end - q))) == NULL)
			nl = end;
		if (nl > q)
			res->lost_after_long++;
	}
	*p = end;
	return 1;
}

int
vl_ingest(const char *body, size_t len, const vl_params_t *prm, vl_result_t *res)
{
	const char *p = body, *end = body + len, *line;
	unsigned long lines = 0;	/* read: neither empty nor too long */
	char why[sizeof(res->err) - 48] = "";
	size_t n;
	ctx_t c;
	int r;

	ctx_init(&c, prm, res);
	while (next_line(&p, end, &line, &n)) {
		if (n == 0 || too_long(line, &p, end, prm->max_line, res))
			continue;
		lines++;
		if ((r = one_line(line, n, &c, why, sizeof(why))) < 0)
			res->bad++;
		else if (r > 0)
			res->dropped_time++;
		else
			res->rows++;
	}
	if (c.out != NULL)
		fflush(c.out);
	if (res->bad > 0 && res->bad == lines) {	/* the last line's reason */
		snprintf(res->err, sizeof(res->err), "cannot process jsonline request; "
			"error: %s", why);
		return 400;
	}
	return 200;
}

/* VictoriaLogs accepts an action line naming "create" or "index" (it looks
 * for the quoted word anywhere in the line) */
static int
is_action(const char *s, size_t n)
{
	return memmem(s, n, "\"create\"", 8) != NULL || memmem(s, n, "\"index\"", 7) != NULL;
}

/* as VictoriaLogs: the first bad pair ends the request; a too-long line
 * too (the same line reader as jsonline drops the rest of the body): as
 * the document, it leaves the document missing */
int
vl_ingest_bulk(const char *body, size_t len, const vl_params_t *prm, vl_result_t *res)
{
	const char *p = body, *end = body + len, *line;
	char why[sizeof(res->err) - 48];
	size_t n = 0;
	ctx_t c;
	int r;

	ctx_init(&c, prm, res);
	for (;;) {
		do {	/* the action line; empty lines between pairs are skipped */
			if (!next_line(&p, end, &line, &n))
				goto done;
		} while (n == 0);
		if (too_long(line, &p, end, prm->max_line, res))
			break;
		if (!is_action(line, n)) {
			snprintf(res->err, sizeof(res->err), "unexpected command %.*s; "
				"expecting \"create\" or \"index\"", (int)(n < 64 ? n : 64), line);
			break;
		}
		if (!next_line(&p, end, &line, &n) || too_long(line, &p, end, prm->max_line, res)) {
			snprintf(res->err, sizeof(res->err), "missing log message after the "
				"\"create\" or \"index\" command");
			break;
		}
		if (n > 0 && (r = one_line(line, n, &c, why, sizeof(why))) < 0) {
			snprintf(res->err, sizeof(res->err), "cannot parse json-encoded log "
				"entry #%lu: %s", res->items + 1, why);
			res->bad++;
			break;
		} else if (n > 0) {
			*(r > 0 ? &res->dropped_time : &res->rows) += 1;
		}
		res->items++;
	}
done:
	if (c.out != NULL)
		fflush(c.out);
	return 200;
}
