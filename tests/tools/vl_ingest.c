/* vl_ingest.c: one /insert/jsonline or Elasticsearch /_bulk body -> rows,
 * by VictoriaLogs' rules (see vl-server.c and DESIGN.md §5). Thread use:
 * the caller serializes (one_line keeps a static tokener and field table).
 */
#define _GNU_SOURCE 1
#include <ctype.h>
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

/* RFC 3339 (fraction and offset optional) or unix s/ms/us/ns -> unix ns */
static int
parse_time(const char *s, int64_t *ns)
{
	struct tm tm;
	int64_t frac = 0, scale = 1000000000;
	const char *p;
	char *end;
	double d;

	if (isdigit((unsigned char)s[0]) && strlen(s) >= 19 && s[4] == '-') {
		memset(&tm, 0, sizeof(tm));
		if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
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
	if (strspn(s, "0123456789") == strlen(s) && *s) {	/* integers stay exact */
		long long v = strtoll(s, NULL, 10);
		*ns = v < 10000000000LL ? v * 1000000000 : v < 10000000000000LL ? v * 1000000 :
			v < 10000000000000000LL ? v * 1000 : v;
		return 0;
	}
	d = strtod(s, &end);
	if (end == s || *end || d < 0)
		return -1;
	*ns = d < 1e10 ? (int64_t)(d * 1e9) : d < 1e13 ? (int64_t)(d * 1e6) :
		d < 1e16 ? (int64_t)(d * 1e3) : (int64_t)d;
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

/* one line -> a row; 0 stored, -1 invalid. The tokener is reused: the
 * caller serializes. */
static int
one_line(const char *s, size_t n, const ctx_t *c)
{
	static struct json_tokener *tok;
	static line_fields_t lf;
	struct json_object *o;
	const field_t *mf, *tf;
	size_t used;
	int64_t ns;

	if (tok == NULL && (tok = json_tokener_new()) == NULL)
		return -1;
	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, s, (int)n);
	used = (size_t)tok->char_offset;
	while (used < n && isspace((unsigned char)s[used]))
		used++;
	if (o == NULL || used != n || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return -1;
	}
	lf.n = 0;
	flatten(o, "", &lf);
	mf = first_of(&lf, c->a.msg);
	tf = first_of(&lf, c->a.time);
	if (tf != NULL && strcmp(tf->val, "0") && parse_time(tf->val, &ns) != 0) {
		json_object_put(o);
		return -1;
	}
	if (tf == NULL || !strcmp(tf->val, "0")) {	/* "0": now, as documented */
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	}
	if (c->out != NULL)
		write_row(&lf, mf, tf, ns, c);
	json_object_put(o);
	return 0;
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

/* the next line of [*p, end) without "\n" or "\r\n"; 0 at the end */
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
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

int
vl_ingest(const char *body, size_t len, const vl_params_t *prm, vl_result_t *res)
{
	const char *p = body, *end = body + len, *line;
	unsigned long lines = 0;
	size_t n;
	ctx_t c;

	ctx_init(&c, prm, res);
	while (next_line(&p, end, &line, &n)) {
		if (n == 0)
			continue;
		lines++;
		if (n > prm->max_line)
			res->too_long++;
		else if (one_line(line, n, &c) != 0)
			res->bad++;
		else
			res->rows++;
	}
	if (c.out != NULL)
		fflush(c.out);
	if (lines > 0 && res->rows == 0) {
		snprintf(res->err, sizeof(res->err), "cannot parse any of %lu lines", lines);
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

int
vl_ingest_bulk(const char *body, size_t len, const vl_params_t *prm, vl_result_t *res)
{
	const char *p = body, *end = body + len, *line;
	size_t n = 0;
	ctx_t c;

	ctx_init(&c, prm, res);
	for (;;) {
		do {	/* the action line; empty lines between pairs are skipped */
			if (!next_line(&p, end, &line, &n))
				goto done;
		} while (n == 0);
		if (!is_action(line, n)) {
			snprintf(res->err, sizeof(res->err), "unexpected command %.*s; "
				"expecting \"create\" or \"index\"", (int)(n < 64 ? n : 64), line);
			break;
		}
		if (!next_line(&p, end, &line, &n)) {
			snprintf(res->err, sizeof(res->err), "missing log message after the "
				"\"create\" or \"index\" command");
			break;
		}
		if (n > prm->max_line) {
			res->too_long++;
		} else if (n > 0 && one_line(line, n, &c) != 0) {
			snprintf(res->err, sizeof(res->err), "cannot parse json-encoded log "
				"entry #%lu", res->items + 1);
			res->bad++;
			break;
		} else if (n > 0) {
			res->rows++;
		}
		res->items++;
	}
done:
	if (c.out != NULL)
		fflush(c.out);
	return 200;
}
