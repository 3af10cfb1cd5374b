/* vl_http.c: libcurl POST of jsonline bodies (vl_http.h).
 * Thread use: a handle per thread; curl_global_init once (pthread_once).
 */
#include "rkv_config.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "curl_compat.h"
#include "vl_http.h"
#include "rkv_util.h"

struct vl_http {
	CURL *c;
	struct curl_slist *hdrs;
	char *url;
	char *answer;		/* the caller's buffer during a post */
	size_t anslen, ansused;
	int unsent;		/* the last post failed before the request went out */
	int (*cancel)(void *opaque);
	void *cancel_opaque;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_ok;

static void
global_init(void)
{
	init_ok = curl_global_init(CURL_GLOBAL_ALL) == CURLE_OK;
}

int
vl_http_global_init(void)
{
	pthread_once(&once, global_init);
	return init_ok ? 0 : -1;
}

int
vl_http_unsent(const vl_http_t *h)
{
	return h->unsent;
}

vl_outcome_t
vl_http_classify(long status)
{
	if (status >= 200 && status < 300)
		return VL_HTTP_OK;
	if (status == 0 || status == 408 || status == 429 || status >= 500)
		return VL_HTTP_RETRY;
	/* no line of the batch can succeed until the server or the
	 * configuration changes (credentials, path, proxy, media type):
	 * keep the events and retry, rather than split the batch down to
	 * single events and send every one to the error file */
	if (status == 401 || status == 403 || status == 404 || status == 405 ||
	    status == 407 || status == 415)
		return VL_HTTP_RETRY;
	return VL_HTTP_REJECT;
}

/* keeps the first anslen-1 bytes of the answer, drops the rest */
static size_t
on_answer(char *p, size_t sz, size_t nm, void *opaque)
{
	vl_http_t *h = opaque;
	size_t n = sz * nm, room = h->anslen > h->ansused + 1 ? h->anslen - h->ansused - 1 : 0;

	if (room > 0 && h->answer != NULL) {
		if (n < room)
			room = n;
		memcpy(h->answer + h->ansused, p, room);
		h->ansused += room;
		h->answer[h->ansused] = '\0';
	}
	return n;
}

/* libcurl's progress callback: nonzero aborts the transfer */
#ifdef VL_HAVE_XFERINFO
static int
on_progress(void *opaque, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
#else
static int
on_progress(void *opaque, double dt, double dn, double ut, double un)
#endif
{
	vl_http_t *h = opaque;

	(void)dt; (void)dn; (void)ut; (void)un;
	return h->cancel != NULL && h->cancel(h->cancel_opaque) ? 1 : 0;
}

static int
add_header(vl_http_t *h, const char *name, const char *val)
{
	rkv_buf_t b;
	struct curl_slist *l;

	if (val == NULL || *val == '\0')
		return 0;
	rkv_buf_init(&b);
	if (rkv_buf_printf(&b, "%s: %s", name, val) != 0)
		return -1;
	l = curl_slist_append(h->hdrs, b.data);
	memset(b.data, 0, b.len);	/* may hold a token */
	rkv_buf_free(&b);
	if (l == NULL)
		return -1;
	h->hdrs = l;
	return 0;
}

static int
set_headers(vl_http_t *h, const vl_http_opts_t *o)
{
	rkv_buf_t b;
	int r;

	/* a JSON type: a form type makes VictoriaLogs store nothing; no
	 * "Expect: 100-continue" round trip per batch */
	if (add_header(h, "Content-Type", "application/stream+json") != 0 ||
	    add_header(h, "Expect", "") != 0 ||
	    add_header(h, "Content-Encoding", o->encoding) != 0 ||
	    add_header(h, "AccountID", o->account) != 0 ||
	    add_header(h, "ProjectID", o->project) != 0)
		return -1;
	if (o->bearer == NULL || *o->bearer == '\0')
		return 0;
	rkv_buf_init(&b);
	r = rkv_buf_printf(&b, "Bearer %s", o->bearer) == 0 ?
		add_header(h, "Authorization", b.data) : -1;
	if (b.data != NULL)
		memset(b.data, 0, b.len);
	rkv_buf_free(&b);
	return r;
}

static int
set_options(vl_http_t *h, const vl_http_opts_t *o)
{
	CURL *c = h->c;
	int bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, h->url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdrs) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_POST, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;	/* threads */
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
		o->timeout_ms < 10000 ? o->timeout_ms : 10000L) != CURLE_OK;
#ifdef VL_HAVE_TCP_KEEPALIVE
	bad |= curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK;
#endif
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_answer) != CURLE_OK;
	if (o->cancel != NULL) {
		h->cancel = o->cancel;
		h->cancel_opaque = o->cancel_opaque;
		bad |= curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L) != CURLE_OK;
#ifdef VL_HAVE_XFERINFO
		bad |= curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_XFERINFODATA, h) != CURLE_OK;
#else
		bad |= curl_easy_setopt(c, CURLOPT_PROGRESSFUNCTION, on_progress) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_PROGRESSDATA, h) != CURLE_OK;
#endif
	}
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, h) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, o->verify ? 1L : 0L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, o->verify ? 2L : 0L) != CURLE_OK;
	if (o->cafile != NULL)
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, o->cafile) != CURLE_OK;
	if (o->certfile != NULL)
		bad |= curl_easy_setopt(c, CURLOPT_SSLCERT, o->certfile) != CURLE_OK;
	if (o->keyfile != NULL)
		bad |= curl_easy_setopt(c, CURLOPT_SSLKEY, o->keyfile) != CURLE_OK;
	if (o->user != NULL) {
		bad |= curl_easy_setopt(c, CURLOPT_USERNAME, o->user) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "") != CURLE_OK;
	}
	return bad ? -1 : 0;
}

vl_http_t *
vl_http_new(const vl_http_opts_t *o, char *errstr, size_t errlen)
{
	vl_http_t *h = calloc(1, sizeof(*h));
	rkv_buf_t u;
	size_t l;

	rkv_buf_init(&u);
	if (h == NULL || vl_http_global_init() != 0 || (h->c = curl_easy_init()) == NULL)
		goto fail;
	l = strlen(o->url);
	while (l > 0 && o->url[l - 1] == '/')
		l--;
	if (rkv_buf_append(&u, o->url, l) != 0 || rkv_buf_puts(&u, "/insert/jsonline") != 0 ||
	    (o->query && *o->query && rkv_buf_printf(&u, "?%s", o->query) != 0) ||
	    rkv_buf_nul(&u) != 0)
		goto fail;
	h->url = u.data;
	u.data = NULL;
	if (set_headers(h, o) != 0 || set_options(h, o) != 0)
		goto fail;
	return h;
fail:
	snprintf(errstr, errlen, "cannot set up the HTTP client (libcurl)");
	rkv_buf_free(&u);
	vl_http_free(h);
	return NULL;
}

void
vl_http_free(vl_http_t *h)
{
	if (h == NULL)
		return;
	if (h->c != NULL)
		curl_easy_cleanup(h->c);
	curl_slist_free_all(h->hdrs);
	free(h->url);
	free(h);
}

vl_outcome_t
vl_http_post(vl_http_t *h, const char *body, size_t len, long *status,
	char *answer, size_t anslen)
{
	CURLcode r;

	h->answer = answer;
	h->anslen = anslen;
	h->ansused = 0;
	if (answer != NULL && anslen > 0)
		answer[0] = '\0';
	*status = 0;
	curl_easy_setopt(h->c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	r = curl_easy_perform(h->c);
	h->answer = NULL;
	/* no connection, no request: nothing can have been stored */
	h->unsent = r == CURLE_COULDNT_CONNECT || r == CURLE_COULDNT_RESOLVE_HOST ||
		r == CURLE_COULDNT_RESOLVE_PROXY;
	if (r != CURLE_OK) {
		if (answer != NULL && anslen > 0)
			snprintf(answer, anslen, "%s", curl_easy_strerror(r));
		return VL_HTTP_RETRY;
	}
	curl_easy_getinfo(h->c, CURLINFO_RESPONSE_CODE, status);
	return vl_http_classify(*status);
}

/* appends "&key=<URL-encoded value>" when value is set */
static int
query_arg(rkv_buf_t *b, const char *key, const char *val)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (val == NULL || *val == '\0')
		return 0;
	if (rkv_buf_printf(b, "%s%s=", b->len ? "&" : "", key) != 0)
		return -1;
	for (p = (const unsigned char *)val; *p; p++) {
		char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
		int keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
			*p == '~' || *p == ',';
		if (rkv_buf_append(b, keep ? (const char *)p : e, keep ? 1 : 3) != 0)
			return -1;
	}
	return 0;
}

char *
vl_query_build(const char *msg_field, const char *time_field,
	const char *stream_fields, const char *ignore_fields, const char *extra_fields)
{
	rkv_buf_t b;

	rkv_buf_init(&b);
	if (query_arg(&b, "_msg_field", msg_field) != 0 ||
	    query_arg(&b, "_time_field", time_field) != 0 ||
	    query_arg(&b, "_stream_fields", stream_fields) != 0 ||
	    query_arg(&b, "ignore_fields", ignore_fields) != 0 ||
	    query_arg(&b, "extra_fields", extra_fields) != 0 || rkv_buf_nul(&b) != 0) {
		rkv_buf_free(&b);
		return NULL;
	}
	if (b.data == NULL)
		return calloc(1, 1);
	return b.data;
}
