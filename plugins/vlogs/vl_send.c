/* vl_send.c: one transaction's lines to VictoriaLogs (vl_send.h).
 * Thread use: a sender per thread; the shared cursor is __sync.
 */
#include "rkv_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vl_send.h"
#include "vl_line.h"

#define VL_ANSWER_MAX 256

typedef struct vl_rej {
	size_t slot;
	char answer[VL_ANSWER_MAX];
} vl_rej_t;

struct vl_sender {
	vl_http_t **h;
	size_t nh;
	unsigned own_cursor, *cursor;
	vl_body_t body;
	size_t max_events, max_bytes, max_line;
	size_t *idx;		/* pending slots of a round */
	size_t idxcap;
	vl_rej_t *rej;		/* answers of rejected slots */
	size_t nrej, rejcap;
	int (*cancel)(void *opaque);
	void *cancel_opaque;
	char answer[VL_ANSWER_MAX], last_err[VL_ANSWER_MAX];
	long last_status;
	int unsent;		/* the last POST failed before sending a byte */
	vl_send_stats_t st;
};

vl_sender_t *
vl_send_new(const vl_send_opts_t *o, char *errstr, size_t errlen)
{
	vl_sender_t *s = calloc(1, sizeof(*s));
	vl_http_opts_t ho;
	size_t i;

	if (s == NULL || o->nurls == 0 || (s->h = calloc(o->nurls, sizeof(*s->h))) == NULL) {
		snprintf(errstr, errlen, "no memory or no endpoint");
		free(s);
		return NULL;
	}
	vl_body_init(&s->body, o->codec, o->level);
	s->cursor = o->cursor != NULL ? o->cursor : &s->own_cursor;
	s->max_events = o->max_events ? o->max_events : 1;
	s->max_bytes = o->max_bytes;
	s->max_line = o->max_line;
	s->cancel = o->http.cancel;
	s->cancel_opaque = o->http.cancel_opaque;
	for (i = 0; i < o->nurls; i++) {
		ho = o->http;
		ho.url = o->urls[i];
		ho.encoding = vl_codec_encoding(o->codec);
		if ((s->h[i] = vl_http_new(&ho, errstr, errlen)) == NULL) {
			s->nh = i;
			vl_send_free(s);
			return NULL;
		}
	}
	s->nh = o->nurls;
	return s;
}

void
vl_send_free(vl_sender_t *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nh; i++)
		vl_http_free(s->h[i]);
	free(s->h);
	vl_body_free(&s->body);
	free(s->idx);
	free(s->rej);
	free(s);
}

long
vl_send_begin(vl_sender_t *s, const rkv_blob_t *lines, size_t n, rkv_txn_t *t)
{
	size_t i;
	long bad = 0;
	vl_line_res_t r;

	s->nrej = 0;
	if (rkv_txn_begin(t, n) != 0)
		return -1;
	if (n > s->idxcap) {
		size_t *ni = realloc(s->idx, n * sizeof(*ni));
		if (ni == NULL)
			return -1;
		s->idx = ni;
		s->idxcap = n;
	}
	for (i = 0; i < n; i++) {
		/* VictoriaLogs reads a line and its '\n' into a buffer of
		 * max_line bytes: a line of max_line bytes is already skipped
		 * (measured, v1.26.0), and so is the rest of that POST */
		r = vl_line_check(lines[i].data, lines[i].len, s->max_line ? s->max_line - 1 : 0, NULL);
		if (r != VL_LINE_OK) {
			rkv_txn_set(t, i, RKV_FAILED, -(int)r, 0);
			bad++;
		}
	}
	return bad;
}

static void
count_answer(vl_sender_t *s, long status)
{
	if (status == 0)
		s->st.transport++;
	else if (status >= 200 && status < 300)
		s->st.s2xx++;
	else if (status == 429)
		s->st.s429++;
	else if (status >= 500)
		s->st.s5xx++;
	else
		s->st.s4xx++;
}

/* One body, to the next endpoint; a retriable failure moves on to the
 * next endpoint, each tried once. */
static vl_outcome_t
post(vl_sender_t *s, long *status)
{
	vl_outcome_t out = VL_HTTP_RETRY;
	size_t a, k;

	*status = 0;
	for (a = 0; a < s->nh; a++) {
		k = __sync_fetch_and_add(s->cursor, 1) % s->nh;
		if (a > 0)
			s->st.failovers++;
		out = vl_http_post(s->h[k], vl_body_data(&s->body), vl_body_len(&s->body),
			status, s->answer, sizeof(s->answer));
		s->st.posts++;
		s->st.bytes_plain += s->body.plain.len;
		s->st.bytes_sent += vl_body_len(&s->body);
		count_answer(s, *status);
		s->unsent = vl_http_unsent(s->h[k]);
		if (out != VL_HTTP_RETRY)
			return out;
		s->last_status = *status;
		snprintf(s->last_err, sizeof(s->last_err), "%s", s->answer);
		if (s->cancel != NULL && s->cancel(s->cancel_opaque))
			break;
	}
	return out;
}

static void
reject_one(vl_sender_t *s, rkv_txn_t *t, size_t slot, long status)
{
	rkv_txn_set(t, slot, RKV_FAILED, (int)status, 0);
	if (s->nrej == s->rejcap) {
		size_t nc = s->rejcap ? 2 * s->rejcap : 8;
		vl_rej_t *nr = realloc(s->rej, nc * sizeof(*nr));
		if (nr == NULL)
			return;	/* the answer is lost, the line is not */
		s->rej = nr;
		s->rejcap = nc;
	}
	s->rej[s->nrej].slot = slot;
	snprintf(s->rej[s->nrej].answer, VL_ANSWER_MAX, "%s", s->answer);
	s->nrej++;
}

/* Posts the lines of idx[0..k); a rejected body is split in halves until
 * the bad lines are alone. Returns 1 after a retriable failure. */
static int
post_lines(vl_sender_t *s, const rkv_blob_t *lines, rkv_txn_t *t, const size_t *idx, size_t k)
{
	vl_outcome_t out;
	long status;
	size_t i;
	int retry;

	vl_body_reset(&s->body);
	for (i = 0; i < k; i++)
		if (vl_body_add(&s->body, lines[idx[i]].data, lines[idx[i]].len) != 0)
			break;
	if (i < k || vl_body_finish(&s->body) != 0) {
		out = VL_HTTP_RETRY;	/* no memory: retried like an outage */
		status = 0;
		s->unsent = 1;
		snprintf(s->last_err, sizeof(s->last_err), "out of memory building the body");
	} else {
		out = post(s, &status);
	}
	if (out == VL_HTTP_REJECT && k > 1) {
		s->st.split++;
		retry = post_lines(s, lines, t, idx, k / 2);
		return post_lines(s, lines, t, idx + k / 2, k - k / 2) | retry;
	}
	for (i = 0; i < k; i++) {
		if (out == VL_HTTP_OK)
			rkv_txn_set(t, idx[i], RKV_ACKED, 0, 0);
		else if (out == VL_HTTP_REJECT)
			reject_one(s, t, idx[i], status);
		else	/* no answer after sending: the server may have stored it */
			rkv_txn_set(t, idx[i], RKV_RETRY, (int)status, status == 0 && !s->unsent);
	}
	return out == VL_HTTP_RETRY;
}

void
vl_send_round(vl_sender_t *s, const rkv_blob_t *lines, rkv_txn_t *t)
{
	size_t i, m = 0, start, bytes;
	int failed = 0;

	if (t->retry > 0)
		rkv_txn_rearm(t);
	for (i = 0; i < t->n; i++)
		if (t->slot[i].outcome == RKV_PENDING)
			s->idx[m++] = i;
	for (i = 0; i < m && !failed;) {
		start = i;
		bytes = 0;
		while (i < m && i - start < s->max_events &&
		       (i == start || s->max_bytes == 0 || bytes + lines[s->idx[i]].len + 1 <= s->max_bytes))
			bytes += lines[s->idx[i++]].len + 1;
		failed = post_lines(s, lines, t, s->idx + start, i - start);
	}
	/* after a retriable failure the rest waits for the next round */
	for (; i < m; i++)
		rkv_txn_set(t, s->idx[i], RKV_RETRY, (int)s->last_status, 0);
}

const char *
vl_send_answer(const vl_sender_t *s, size_t slot)
{
	size_t i;

	for (i = 0; i < s->nrej; i++)
		if (s->rej[i].slot == slot)
			return s->rej[i].answer;
	return NULL;
}

const char *
vl_send_last_error(const vl_sender_t *s, long *status)
{
	*status = s->last_status;
	return s->last_err;
}

void
vl_send_stats_take(vl_sender_t *s, vl_send_stats_t *out)
{
	*out = s->st;
	memset(&s->st, 0, sizeof(s->st));
}
