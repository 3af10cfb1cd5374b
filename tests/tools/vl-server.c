/* vl-server: a VictoriaLogs stand-in for the tests and the benchmark. It
 * implements the ingestion contract of DESIGN.md §5 strictly (VictoriaLogs
 * v1.26 /insert/jsonline), never a stub that accepts anything; where the
 * real v1.26.0 was checked by hand (and in its source), vl-server does
 * what it does:
 *  - POST /insert/jsonline; POST /insert/elasticsearch/_bulk (below);
 *    GET /health answers OK, GET /insert/elasticsearch/ the version
 *    document Elasticsearch clients ping for, the rest 404.
 *    Expect: 100-continue honoured, HTTP/1.1 keep-alive.
 *  - Content-Type: anything (application/json, application/stream+json,
 *    text/plain, none) is read as JSON lines, except the form types
 *    (application/x-www-form-urlencoded, multipart/form-data): those
 *    store nothing and answer 200, as VictoriaLogs (counted: form_dropped).
 *  - Content-Encoding, matched exactly: identity, none, gzip, deflate
 *    (zlib), zstd. Any other (bogus, br, GZIP) or a body that does not
 *    decode with its encoding: 200 and nothing stored, as VictoriaLogs
 *    (it only logs "cannot decode jsonline request"; counted:
 *    undecodable). snappy, which VictoriaLogs decodes, is refused with 415
 *    (not implemented here).
 *  - Query args win over headers: _msg_field (VL-Msg-Field), _time_field
 *    (VL-Time-Field), _stream_fields (VL-Stream-Fields), ignore_fields,
 *    extra_fields (name=value,...); tenant headers AccountID, ProjectID.
 *  - Every line is parsed: exactly one JSON object, nested objects
 *    flattened with '.'; invalid lines are skipped and counted (bad_lines).
 *  - Line length, as VictoriaLogs' 256 KiB read buffer (-m): a line must
 *    fit with its '\n' ('\r' counts), so 262,143 bytes are stored and
 *    262,144 or more are skipped (too_long; the last line, without a
 *    '\n', may have 262,144). After a too-long line VictoriaLogs v1.26
 *    loses the rest of that body (its line reader throws away the read
 *    that reaches the end of the body, which is all of it unless the rest
 *    is larger than a read): vl-server stores none of the lines after it
 *    (counted: lost_after_long).
 *  - Answer 400 ("cannot process jsonline request; error: <the last
 *    line's reason>") only when every line read was invalid; too-long and
 *    lost lines are not read, so a body of too-long lines alone is 200.
 *  - _msg from the first msg field present (missing: VictoriaLogs' own
 *    placeholder text), _time from RFC 3339 or unix s/ms/us/ns by size
 *    (|n| < 2^31: s, ...; negative allowed), "", "0", "-" or missing: now;
 *    unparsable: the line is invalid. A row whose time parses but lies
 *    outside the retention (UTC day before now-<retention> or after now+2d;
 *    see the retention command) is dropped with 200, as VictoriaLogs' too_small / too_big
 *    timestamp (counted: dropped_time). _stream from the stream fields.
 * Elasticsearch bulk API (what stock omelasticsearch and Vector's
 * elasticsearch sink speak): POST /insert/elasticsearch/_bulk, also taken
 * at /_bulk and with an index segment (/insert/elasticsearch/<index>/_bulk,
 * /<index>/_bulk), which real VictoriaLogs routes only at the first path.
 * The body is NDJSON pairs: an action line naming "create" or "index",
 * then the document, resolved and stored like a jsonline line (same args,
 * headers, tenant, encodings, row output). Answer: 200 with
 *   {"took":0,"errors":false,"items":[{"create":{"status":201}},...]}
 * one item per document, which omelasticsearch (bulkmode) takes as
 * success. As VictoriaLogs, a bad action or document line ends the
 * request: the documents before it stay stored (the bad one counted in
 * bad_lines) and the answer is 200 with an empty body. A too-long line
 * ends it too (same line reader; from the source, not checked by hand):
 * as a document line it leaves the document missing (empty 200).
 * Stored rows go to the rows file (-o) as JSON lines:
 *   {"_msg":..,"_time":"<unix ns>","_stream":"{k=\"v\"}","tenant":"A:P",<fields>}
 * Commands on stdin, answered with one "ok ..." line on stdout:
 *   fail <status> <count>   answer the next <count> inserts with <status>
 *   stall <count>           read the next <count> inserts, never answer
 *   retention <days>        drop rows older than this (default 36500: the
 *                           tests' events have fixed dates; VictoriaLogs'
 *                           own default is 7)
 *   reject <status> <text>  from now on, answer every insert whose
 *                           (decompressed) body holds the bytes <text> (the
 *                           rest of the line) with <status> and
 *                           'line rejected: contains "<text>"', storing
 *                           nothing of it, as a server refusing a bad line
 *   reject off              stop rejecting
 *   stats                   ok requests=.. rows=.. bad_lines=.. too_long=..
 *                           form_dropped=.. failed=.. stalled=.. rejected=..
 *                           lost_after_long=.. undecodable=.. dropped_time=..
 * fail and stall take precedence over reject; all three apply to jsonline
 * and bulk inserts alike.
 * usage: vl-server -p PORTFILE [-o ROWSFILE] [-m MAXLINE]
 *   (without -o rows are parsed and counted, not written: for benchmarks;
 *   MAXLINE: the read buffer, 262144; a line needs MAXLINE - 1 or fewer)
 * Threads: one per connection; counters, the fault settings and the rows
 * file under one mutex.
 */
#define _GNU_SOURCE 1
#include "rkv_config.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <json.h>
#include <zlib.h>
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif
#include "vl_server.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *rows;
static size_t max_line = 256 * 1024;
static struct {
	unsigned long requests, rows, bad_lines, too_long, form_dropped, failed, stalled,
		rejected, lost_after_long, undecodable, dropped_time;
} st;
static int fail_status, fail_count, stall_count;
static int reject_status;	/* 0: off */
static char reject_text[200];

/* ---- request reading ------------------------------------------------------ */

typedef struct req {
	char method[8], path[256], query[2048];
	char ctype[128], cenc[32], expect[32], conn[32];
	char hmsg[256], htime[256], hstream[512], account[32], project[32];
	long clen;
} req_t;

static int
read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		if ((r = read(fd, buf + got, n - got)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

static void
header(req_t *q, const char *name, const char *val)
{
	struct { const char *n; char *dst; size_t sz; } h[] = {
		{ "content-type", q->ctype, sizeof(q->ctype) },
		{ "content-encoding", q->cenc, sizeof(q->cenc) },
		{ "expect", q->expect, sizeof(q->expect) },
		{ "connection", q->conn, sizeof(q->conn) },
		{ "vl-msg-field", q->hmsg, sizeof(q->hmsg) },
		{ "vl-time-field", q->htime, sizeof(q->htime) },
		{ "vl-stream-fields", q->hstream, sizeof(q->hstream) },
		{ "accountid", q->account, sizeof(q->account) },
		{ "projectid", q->project, sizeof(q->project) },
	};
	size_t i;

	if (!strcasecmp(name, "content-length")) {
		q->clen = strtol(val, NULL, 10);
		return;
	}
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		if (!strcasecmp(name, h[i].n))
			snprintf(h[i].dst, h[i].sz, "%s", val);
}

/* Reads the head of one request; carries bytes read past it in *pend. */
static int
read_head(int fd, req_t *q, char *buf, size_t cap, size_t *have)
{
	char *end = NULL, *line, *save, *sp;
	ssize_t r;

	while ((end = memmem(buf, *have, "\r\n\r\n", 4)) == NULL) {
		if (*have >= cap - 1)
			return -1;
		if ((r = read(fd, buf + *have, cap - 1 - *have)) <= 0)
			return -1;
		*have += (size_t)r;
	}
	*end = '\0';
	memset(q, 0, sizeof(*q));
	q->clen = -1;
	line = strtok_r(buf, "\r\n", &save);
	if (line == NULL || sscanf(line, "%7s %255s", q->method, q->path) != 2)
		return -1;
	if ((sp = strchr(q->path, '?')) != NULL) {
		snprintf(q->query, sizeof(q->query), "%s", sp + 1);
		*sp = '\0';
	}
	while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
		char *c = strchr(line, ':');
		if (c == NULL)
			continue;
		*c++ = '\0';
		while (*c == ' ' || *c == '\t')
			c++;
		header(q, line, c);
	}
	return (int)(end + 4 - buf);
}

static void
reply_ct(int fd, int status, const char *ctype, const char *body, size_t len)
{
	char h[256];
	struct iovec iov[2];
	int n = snprintf(h, sizeof(h), "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
		"Content-Length: %zu\r\n\r\n", status, status == 200 ? "OK" : "Error",
		ctype, len);

	iov[0].iov_base = h;
	iov[0].iov_len = (size_t)n;
	iov[1].iov_base = (void *)body;
	iov[1].iov_len = len;
	if (writev(fd, iov, 2) < 0)
		return;
}

static void
reply(int fd, int status, const char *text)
{
	reply_ct(fd, status, "text/plain", text, strlen(text));
}

/* ---- decompression -------------------------------------------------------- */

static char *
inflate_all(const char *in, size_t n, size_t *outlen, int wbits)
{
	z_stream z;
	size_t cap = n * 4 + 4096;
	char *out = malloc(cap);
	int r;

	memset(&z, 0, sizeof(z));
	if (out == NULL || inflateInit2(&z, wbits) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	do {
		if (z.total_out == cap) {
			char *o = realloc(out, cap *= 2);
			if (o == NULL)
				break;
			out = o;
		}
		z.next_out = (Bytef *)out + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		r = inflate(&z, Z_NO_FLUSH);
	} while (r == Z_OK || (r == Z_BUF_ERROR && z.avail_out == 0));
	*outlen = z.total_out;
	inflateEnd(&z);
	if (r != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

#ifdef HAVE_LIBZSTD
static char *
unzstd_all(const char *in, size_t n, size_t *outlen)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { in, n, 0 };
	size_t cap = n * 4 + 4096, r = 1;
	char *out = malloc(cap);
	ZSTD_outBuffer ob = { out, cap, 0 };

	while (out != NULL && d != NULL && ib.pos < ib.size) {
		if (ob.pos == ob.size) {
			char *o = realloc(out, cap *= 2);
			if (o == NULL)
				break;
			ob.dst = out = o;
			ob.size = cap;
		}
		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r))
			break;
	}
	ZSTD_freeDCtx(d);
	if (out == NULL || ib.pos < ib.size || r != 0) {
		free(out);
		return NULL;
	}
	*outlen = ob.pos;
	return out;
}
#else
/* a build without libzstd (the tests need it: contrib/setup-deps.sh) */
static char *
unzstd_all(const char *in, size_t n, size_t *outlen)
{
	(void)in; (void)n; (void)outlen;
	return NULL;
}
#endif

/* ---- one connection --------------------------------------------------------- */

/* the request body, decompressed (may be body itself); NULL: answered.
 * VictoriaLogs matches the encoding exactly (Go switch); an unknown one or
 * a body that does not decode with it is logged there and answered 200
 * with nothing stored. */
static char *
decode_body(int fd, const req_t *q, char *body, size_t n, size_t *plen)
{
	char *plain = body;

	*plen = n;
	if (!strcmp(q->cenc, "gzip"))
		plain = inflate_all(body, n, plen, 15 + 16);
	else if (!strcmp(q->cenc, "deflate"))
		plain = inflate_all(body, n, plen, 15);
	else if (!strcmp(q->cenc, "zstd"))
		plain = unzstd_all(body, n, plen);
	else if (!strcmp(q->cenc, "snappy")) {	/* real: stored; here: refused */
		reply(fd, 415, "vl-server does not implement Content-Encoding: snappy");
		return NULL;
	} else if (q->cenc[0] && strcmp(q->cenc, "identity") && strcmp(q->cenc, "none"))
		plain = NULL;
	if (plain == NULL) {	/* "cannot decode jsonline request" in its log */
		pthread_mutex_lock(&mu);
		st.undecodable++;
		pthread_mutex_unlock(&mu);
		reply(fd, 200, "");
	}
	return plain;
}

/* 1 when the "reject" command refuses this body (answered) */
static int
rejected(int fd, const char *plain, size_t plen)
{
	char text[sizeof(reject_text)], msg[sizeof(reject_text) + 64];
	int status;

	pthread_mutex_lock(&mu);
	status = reject_status;
	snprintf(text, sizeof(text), "%s", reject_text);
	pthread_mutex_unlock(&mu);
	if (status == 0 || memmem(plain, plen, text, strlen(text)) == NULL)
		return 0;
	pthread_mutex_lock(&mu);
	st.rejected++;
	pthread_mutex_unlock(&mu);
	snprintf(msg, sizeof(msg), "line rejected: contains \"%s\"", text);
	reply(fd, status, msg);
	return 1;
}

/* the bulk answer: one created item per document */
static void
reply_bulk(int fd, const vl_result_t *res)
{
	static const char head[] = "{\"took\":0,\"errors\":false,\"items\":[";
	static const char item[] = "{\"create\":{\"status\":201}}";
	size_t cap = sizeof(head) + res->items * sizeof(item) + 4, len;
	char *b = malloc(cap);
	unsigned long i;

	if (b == NULL || res->err[0]) {	/* cut short: VictoriaLogs only logs it */
		reply_ct(fd, 200, "application/json", "", 0);
		free(b);
		return;
	}
	memcpy(b, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	for (i = 0; i < res->items; i++) {
		if (i > 0)
			b[len++] = ',';
		memcpy(b + len, item, sizeof(item) - 1);
		len += sizeof(item) - 1;
	}
	memcpy(b + len, "]}", 2);
	reply_ct(fd, 200, "application/json", b, len + 2);
	free(b);
}

static void
handle_insert(int fd, req_t *q, int bulk, char *body, size_t n)
{
	vl_params_t prm = { q->query, q->hmsg, q->htime, q->hstream, q->account,
		q->project, max_line, NULL };
	vl_result_t res;
	size_t plen;
	char *plain;
	int status;

	if (q->ctype[0] && (strcasestr(q->ctype, "x-www-form-urlencoded") ||
	    strcasestr(q->ctype, "multipart/form-data"))) {
		pthread_mutex_lock(&mu);
		st.form_dropped++;
		pthread_mutex_unlock(&mu);
		reply(fd, 200, "");	/* VictoriaLogs stores nothing here */
		return;
	}
	if ((plain = decode_body(fd, q, body, n, &plen)) == NULL)
		return;
	if (!rejected(fd, plain, plen)) {
		pthread_mutex_lock(&mu);
		prm.out = rows;
		status = (bulk ? vl_ingest_bulk : vl_ingest)(plain, plen, &prm, &res);
		st.rows += res.rows;
		st.bad_lines += res.bad;
		st.too_long += res.too_long;
		st.lost_after_long += res.lost_after_long;
		st.dropped_time += res.dropped_time;
		pthread_mutex_unlock(&mu);
		if (bulk)
			reply_bulk(fd, &res);
		else
			reply(fd, status, status == 200 ? "" : res.err);
	}
	if (plain != body)
		free(plain);
}

/* 0: answered, 1: stalled (keep the connection, never answer) */
static int
take_fault(int fd)
{
	int status = 0, stall = 0;

	pthread_mutex_lock(&mu);
	st.requests++;
	if (stall_count > 0) {
		stall_count--;
		st.stalled++;
		stall = 1;
	} else if (fail_count > 0) {
		fail_count--;
		st.failed++;
		status = fail_status;
	}
	pthread_mutex_unlock(&mu);
	if (status)
		reply(fd, status, "injected failure");
	return stall ? 1 : status ? 0 : -1;
}

enum { R_NONE, R_HEALTH, R_ES_ROOT, R_JSONLINE, R_BULK };

/* which handler a request goes to; VictoriaLogs collapses "//" first */
static int
route(req_t *q)
{
	char *p = q->path, *d;
	size_t l;

	while ((d = strstr(p, "//")) != NULL)
		memmove(d, d + 1, strlen(d));
	if (!strcmp(p, "/health"))
		return R_HEALTH;
	if (!strcmp(q->method, "GET"))
		return !strcmp(p, "/insert/elasticsearch/") || !strcmp(p, "/insert/elasticsearch")
			? R_ES_ROOT : R_NONE;
	if (strcmp(q->method, "POST"))
		return R_NONE;
	if (!strcmp(p, "/insert/jsonline"))
		return R_JSONLINE;
	if (!strncmp(p, "/insert/elasticsearch/", 22))
		p += 21;
	l = strlen(p);
	if (l < 6 || strcmp(p + l - 6, "/_bulk"))
		return R_NONE;
	/* "/_bulk" or "/<index>/_bulk" */
	return l == 6 || memchr(p + 1, '/', l - 7) == NULL ? R_BULK : R_NONE;
}

static void
answer_get(int fd, int r)
{
	static const char es_root[] = "{\"version\":{\"number\":\"8.9.0\"}}";

	if (r == R_HEALTH)
		reply(fd, 200, "OK");
	else if (r == R_ES_ROOT)	/* the ping of Elasticsearch clients */
		reply_ct(fd, 200, "application/json", es_root, sizeof(es_root) - 1);
	else
		reply(fd, 404, "not found");
}

static void *
conn_run(void *arg)
{
	int fd = (int)(intptr_t)arg;
	size_t cap = 65536, have = 0;
	char *buf = malloc(cap), *body;
	req_t q;
	int hl, r;

	while (buf != NULL && (hl = read_head(fd, &q, buf, cap, &have)) > 0) {
		size_t extra = have - (size_t)hl;
		if ((r = route(&q)) < R_JSONLINE) {
			answer_get(fd, r);
		} else if (q.clen < 0 || q.clen > (1L << 30)) {
			reply(fd, 411, "Content-Length required");
			break;
		} else {
			if (!strcasecmp(q.expect, "100-continue") && extra == 0 &&
			    write(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
				break;
			if ((body = malloc((size_t)q.clen + 1)) == NULL)
				break;
			memcpy(body, buf + hl, extra < (size_t)q.clen ? extra : (size_t)q.clen);
			if (extra < (size_t)q.clen &&
			    read_full(fd, body + extra, (size_t)q.clen - extra) != 0) {
				free(body);
				break;
			}
			{	/* bytes of the next request read along with the body */
				size_t used = extra < (size_t)q.clen ? extra : (size_t)q.clen;
				hl += (int)used;
				extra -= used;
			}
			switch (take_fault(fd)) {
			case 1:	/* stall: wait for the client to give up */
				while (read(fd, buf, cap) > 0)
					;
				free(body);
				goto out;
			case 0:
				break;
			default:
				handle_insert(fd, &q, r == R_BULK, body, (size_t)q.clen);
			}
			free(body);
		}
		memmove(buf, buf + hl, extra);
		have = extra;
		if (!strcasecmp(q.conn, "close"))
			break;
	}
out:
	free(buf);
	close(fd);
	return NULL;
}

/* ---- main: listener thread + commands on stdin ------------------------------ */

static void *
accept_run(void *arg)
{
	int lfd = (int)(intptr_t)arg, fd;
	pthread_t t;

	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		if (pthread_create(&t, NULL, conn_run, (void *)(intptr_t)fd) == 0)
			pthread_detach(t);
		else
			close(fd);
	}
	return NULL;
}

/* "reject <status> <text>" (the text: the rest of the line) or "reject off";
 * called under mu */
static void
reject_cmd(const char *arg)
{
	char *end;
	long status;
	size_t l;

	if (!strncmp(arg, "off", 3) && (arg[3] == '\n' || arg[3] == '\0')) {
		reject_status = 0;
		reject_text[0] = '\0';
		printf("ok reject off\n");
		return;
	}
	status = strtol(arg, &end, 10);
	l = end[0] == ' ' ? strcspn(end + 1, "\n") : 0;
	if (status < 100 || status > 599 || l == 0 || l >= sizeof(reject_text)) {
		printf("error: usage: reject <status> <text> | reject off\n");
		return;
	}
	memcpy(reject_text, end + 1, l);
	reject_text[l] = '\0';
	reject_status = (int)status;
	printf("ok reject %d \"%s\"\n", reject_status, reject_text);
}

static void
command(const char *line)
{
	int a = 0, b = 0;

	pthread_mutex_lock(&mu);
	if (sscanf(line, "fail %d %d", &a, &b) == 2) {
		fail_status = a;
		fail_count = b;
		printf("ok fail %d %d\n", a, b);
	} else if (sscanf(line, "stall %d", &a) == 1) {
		stall_count = a;
		printf("ok stall %d\n", a);
	} else if (sscanf(line, "retention %d", &a) == 1 && a > 0) {
		vl_set_retention_days(a);
		printf("ok retention %d\n", a);
	} else if (!strncmp(line, "reject ", 7)) {
		reject_cmd(line + 7);
	} else if (!strncmp(line, "stats", 5)) {
		if (rows != NULL)
			fflush(rows);
		printf("ok requests=%lu rows=%lu bad_lines=%lu too_long=%lu form_dropped=%lu "
			"failed=%lu stalled=%lu rejected=%lu lost_after_long=%lu undecodable=%lu "
			"dropped_time=%lu\n", st.requests, st.rows, st.bad_lines, st.too_long,
			st.form_dropped, st.failed, st.stalled, st.rejected, st.lost_after_long,
			st.undecodable, st.dropped_time);
	} else {
		printf("error: unknown command\n");
	}
	fflush(stdout);
	pthread_mutex_unlock(&mu);
}

int
main(int argc, char **argv)
{
	const char *portfile = NULL, *rowsfile = NULL;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char line[256];
	pthread_t t;
	FILE *pf;
	int c, lfd, one = 1;

	while ((c = getopt(argc, argv, "p:o:m:")) != -1) {
		if (c == 'p') portfile = optarg;
		else if (c == 'o') rowsfile = optarg;
		else if (c == 'm') max_line = (size_t)strtoul(optarg, NULL, 10);
		else return 2;
	}
	if (portfile == NULL) {
		fprintf(stderr, "usage: vl-server -p PORTFILE [-o ROWSFILE] [-m MAXLINE]\n");
		return 2;
	}
	if (rowsfile != NULL && (rows = fopen(rowsfile, "a")) == NULL)
		return perror(rowsfile), 1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 128) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0)
		return perror("listen"), 1;
	if ((pf = fopen(portfile, "w")) == NULL)
		return perror(portfile), 1;
	fprintf(pf, "%d\n", ntohs(sa.sin_port));
	fclose(pf);
	printf("listening on 127.0.0.1:%d\n", ntohs(sa.sin_port));
	fflush(stdout);
	pthread_create(&t, NULL, accept_run, (void *)(intptr_t)lfd);
	while (fgets(line, sizeof(line), stdin) != NULL)
		command(line);
	pthread_mutex_lock(&mu);
	if (rows != NULL)
		fclose(rows);
	rows = NULL;
	return 0;
}
