/* producer.c: batch-as-transaction producer over librdkafka (producer.h).
 * Thread use: one owning thread per producer (rsyslog action worker). The
 * delivery-report, error and stats callbacks run inside rd_kafka_poll() in
 * that thread; only the log callback runs on librdkafka threads and touches
 * nothing here but the user's log function. No locks.
 *
 * Delivery reports are matched to batch slots by a per-producer sequence
 * number carried as the message opaque: reports for an abandoned batch (one
 * rsyslog will retry) fall outside the current range and are only counted.
 */
#include "rkv_config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "producer.h"
#include "rdk_util.h"

struct rdk_producer {
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;		/* default topic handle (may be NULL) */
	rdk_kvlist_t props, tprops;
	char *default_topic;
	rdk_producer_cb_t cb;
	/* current batch */
	rdk_msg_state_t *st;
	size_t n, cap, pending;
	uintptr_t base;			/* sequence number of slot 0 */
	uintptr_t next_seq;
	int64_t start_ms;		/* when the batch began */
	int64_t last_progress;
	/* health */
	int brokers_down;
	int fatal;
	uint64_t late_acks;
	rd_kafka_resp_err_t last_logged_err;
	int64_t last_logged_ms;
};

static const rd_kafka_resp_err_t permanent_errs[] = {
	RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
	RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE,
	RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE,
	RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
	RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION,
	RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
	RD_KAFKA_RESP_ERR_INVALID_MSG,
	RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS,
	RD_KAFKA_RESP_ERR__INVALID_ARG,
	RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION,
	RD_KAFKA_RESP_ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT,
};

rdk_outcome_t
rdk_classify(rd_kafka_resp_err_t err)
{
	size_t i;

	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return RDK_MSG_ACKED;
	for (i = 0; i < sizeof(permanent_errs) / sizeof(permanent_errs[0]); i++)
		if (err == permanent_errs[i])
			return RDK_MSG_FAILED;
	/* everything else (timeouts, transport, leadership, not enough
	 * replicas, queue full, fatal idempotence errors, auth on the
	 * connection) is worth retrying: rsyslog keeps the batch queued */
	return RDK_MSG_RETRY;
}

const char *
rdk_reason(rd_kafka_resp_err_t err)
{
	switch (err) {
	case RD_KAFKA_RESP_ERR_NO_ERROR: return "ok";
	case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
	case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
	case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE: return "msg_too_large";
	case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
	case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
	case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION: return "unknown_topic";
	case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED: return "authorization";
	case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT: return "timed_out";
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
	case RD_KAFKA_RESP_ERR__TRANSPORT: return "brokers_down";
	case RD_KAFKA_RESP_ERR__QUEUE_FULL: return "queue_full";
	case RD_KAFKA_RESP_ERR__FATAL: return "fatal";
	default: return rdk_classify(err) == RDK_MSG_FAILED ? "rejected" : "other";
	}
}

static void
plog(rdk_producer_t *p, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
plog(rdk_producer_t *p, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (p->cb.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->cb.log(p->cb.opaque, level, msg);
}

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	rdk_producer_t *p = opaque;
	uintptr_t seq = (uintptr_t)m->_private;
	rdk_msg_state_t *s;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		p->brokers_down = 0;
	if (seq - p->base >= p->n) {
		/* report for an abandoned batch that rsyslog retried */
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			p->late_acks++;
		return;
	}
	s = &p->st[seq - p->base];
	if (s->outcome != RDK_MSG_PENDING)
		return;
	s->err = m->err;
	s->outcome = rdk_classify(m->err);
	p->pending--;
	p->last_progress = rdk_now_ms();
}

static void
error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	rdk_producer_t *p = opaque;
	const int64_t now = rdk_now_ms();
	char fbuf[256];

	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		p->brokers_down = 1;
#ifdef RDK_HAVE_FATAL
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		p->fatal = 1;
		rd_kafka_fatal_error(rk, fbuf, sizeof(fbuf));
		plog(p, LOG_ERR, "fatal producer error, recreating producer: %s", fbuf);
		return;
	}
#else
	(void)rk;
	(void)fbuf;
#endif
	/* the same error repeats on every reconnect: log it once per minute */
	if (err == (int)p->last_logged_err && now - p->last_logged_ms < 60000)
		return;
	p->last_logged_err = (rd_kafka_resp_err_t)err;
	p->last_logged_ms = now;
	plog(p, LOG_WARNING, "kafka error: %s: %s", rd_kafka_err2str(err), reason);
}

static void
log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	rdk_producer_t *p = rd_kafka_opaque(rk);

	/* connection failures (facility FAIL) repeat on every reconnect and
	 * reach error_cb too, which logs them rate-limited */
	if (p != NULL && p->cb.log != NULL && level <= LOG_WARNING &&
	    strcmp(fac, "FAIL") != 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "librdkafka %s: %s", fac, buf);
		p->cb.log(p->cb.opaque, level, msg);
	}
}

static int
stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	rdk_producer_t *p = opaque;

	(void)rk;
	if (p->cb.stats != NULL)
		p->cb.stats(p->cb.opaque, json, len);
	return 0;	/* librdkafka frees json */
}

static rd_kafka_conf_t *
build_conf(rdk_producer_t *p, char *errstr, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();

	if (rdk_conf_apply(conf, tconf, &p->props, errstr, errlen) != RDK_OK ||
	    rdk_topic_conf_apply(tconf, &p->tprops, errstr, errlen) != RDK_OK) {
		rd_kafka_topic_conf_destroy(tconf);
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_conf_set_default_topic_conf(conf, tconf);
	rd_kafka_conf_set_opaque(conf, p);
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	rd_kafka_conf_set_error_cb(conf, error_cb);
	rd_kafka_conf_set_log_cb(conf, log_cb);
	rd_kafka_conf_set_stats_cb(conf, stats_cb);
	return conf;
}

static int
open_handle(rdk_producer_t *p, char *errstr, size_t errlen)
{
	rd_kafka_conf_t *conf = build_conf(p, errstr, errlen);

	if (conf == NULL)
		return -1;
	p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, errlen);
	if (p->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	if (p->default_topic != NULL) {
		p->rkt = rd_kafka_topic_new(p->rk, p->default_topic, NULL);
		if (p->rkt == NULL) {
			snprintf(errstr, errlen, "topic \"%s\": %s", p->default_topic,
				rd_kafka_err2str(rd_kafka_last_error()));
			rd_kafka_destroy(p->rk);
			p->rk = NULL;
			return -1;
		}
	}
	p->fatal = 0;
	return 0;
}

static void
close_handle(rdk_producer_t *p)
{
	if (p->rk == NULL)
		return;
#ifdef RDK_HAVE_PURGE
	/* unacknowledged messages are still in rsyslog's queue */
	rd_kafka_purge(p->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_poll(p->rk, 0);
#endif
	if (p->rkt != NULL)
		rd_kafka_topic_destroy(p->rkt);
	p->rkt = NULL;
	rd_kafka_destroy(p->rk);
	p->rk = NULL;
}

rdk_producer_t *
rdk_producer_new(const rdk_kvlist_t *props, const rdk_kvlist_t *tprops,
	const char *default_topic, const rdk_producer_cb_t *cb,
	char *errstr, size_t errlen)
{
	rdk_producer_t *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		snprintf(errstr, errlen, "out of memory");
		return NULL;
	}
	rdk_kvlist_init(&p->props);
	rdk_kvlist_init(&p->tprops);
	p->next_seq = 1;
	if (cb != NULL)
		p->cb = *cb;
	if (rdk_kvlist_copy(&p->props, props) != RDK_OK ||
	    rdk_kvlist_copy(&p->tprops, tprops) != RDK_OK ||
	    (default_topic && (p->default_topic = strdup(default_topic)) == NULL)) {
		snprintf(errstr, errlen, "out of memory");
		rdk_producer_destroy(p, 0);
		return NULL;
	}
	if (open_handle(p, errstr, errlen) != 0) {
		rdk_producer_destroy(p, 0);
		return NULL;
	}
	return p;
}

void
rdk_producer_destroy(rdk_producer_t *p, int timeout_ms)
{
	if (p == NULL)
		return;
	if (p->rk != NULL && timeout_ms > 0)
		rd_kafka_flush(p->rk, 0);	/* serve pending reports */
	close_handle(p);
	rdk_kvlist_free(&p->props);
	rdk_kvlist_free(&p->tprops);
	free(p->default_topic);
	free(p->st);
	free(p);
}

rdk_res_t
rdk_batch_begin(rdk_producer_t *p, size_t n)
{
	char errstr[512];

	if (p->fatal || p->rk == NULL) {
		close_handle(p);
		if (open_handle(p, errstr, sizeof(errstr)) != 0) {
			plog(p, LOG_ERR, "cannot recreate producer: %s", errstr);
			return RDK_ERR_KAFKA;
		}
	}
	if (n > p->cap) {
		rdk_msg_state_t *nst = realloc(p->st, n * sizeof(*nst));	/* n > 0 */
		if (nst == NULL)
			return RDK_ERR_NOMEM;
		p->st = nst;
		p->cap = n;
	}
	if (n > 0)
		memset(p->st, 0, n * sizeof(*p->st));
	p->n = n;
	p->pending = n;
	p->base = p->next_seq;
	p->next_seq += n;
	p->start_ms = rdk_now_ms();
	p->last_progress = p->start_ms;
	return RDK_OK;
}

static void
set_outcome(rdk_producer_t *p, size_t idx, rd_kafka_resp_err_t err)
{
	rdk_msg_state_t *s = &p->st[idx];

	if (s->outcome != RDK_MSG_PENDING)
		return;
	s->err = err;
	s->outcome = rdk_classify(err);
	p->pending--;
}

static rd_kafka_headers_t *
make_headers(const rdk_msg_t *m)
{
	rd_kafka_headers_t *h;
	size_t i;

	if (m->nhdrs == 0)
		return NULL;
	h = rd_kafka_headers_new(m->nhdrs);
	for (i = 0; i < m->nhdrs; i++)
		rd_kafka_header_add(h, m->hdrs[i].name, -1, m->hdrs[i].value, -1);
	return h;
}

static rd_kafka_resp_err_t
produce_once(rdk_producer_t *p, size_t idx, const rdk_msg_t *m)
{
	rd_kafka_headers_t *h = make_headers(m);
	void *seq = (void *)(p->base + idx);
	/* per-message topics: librdkafka looks the handle up in its cache */
	rd_kafka_topic_t *rkt = m->topic ? rd_kafka_topic_new(p->rk, m->topic, NULL) : p->rkt;
	rd_kafka_resp_err_t err;

	if (rkt == NULL)
		err = m->topic ? rd_kafka_last_error() : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
	else
		err = rd_kafka_producev(p->rk, RD_KAFKA_V_RKT(rkt),
			RD_KAFKA_V_PARTITION(m->partition),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_VALUE((void *)m->payload, m->len),
			RD_KAFKA_V_KEY(m->key, m->keylen),
			RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_OPAQUE(seq),
			RD_KAFKA_V_END);
	if (m->topic != NULL && rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR && h != NULL)
		rd_kafka_headers_destroy(h);	/* ours unless accepted */
	return err;
}

void
rdk_batch_produce(rdk_producer_t *p, size_t idx, const rdk_msg_t *m,
	int64_t queue_wait_ms)
{
	int64_t deadline = 0;
	rd_kafka_resp_err_t err;

	if (m->topic == NULL && p->default_topic == NULL) {
		set_outcome(p, idx, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC);
		return;
	}
	for (;;) {
		err = produce_once(p, idx, m);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		/* librdkafka's queue is full: serve reports to make room */
		if (deadline == 0)
			deadline = rdk_now_ms() + queue_wait_ms;
		else if (rdk_now_ms() >= deadline)
			break;
		rd_kafka_poll(p->rk, 10);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		set_outcome(p, idx, err);
	else
		rd_kafka_poll(p->rk, 0);	/* cheap: keeps reports flowing */
}

/* Why the wait must end now, or 0 to go on. */
static rd_kafka_resp_err_t
wait_limit(rdk_producer_t *p, const rdk_wait_t *w, int64_t start,
	int64_t *stop_at)
{
	const int64_t now = rdk_now_ms();

	if (p->fatal)
		return RD_KAFKA_RESP_ERR__FATAL;
	if (p->brokers_down && now - p->last_progress >= w->down_grace_ms)
		return RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN;
	if (now - start >= w->max_ms)
		return RD_KAFKA_RESP_ERR__MSG_TIMED_OUT;
	if (w->stop != NULL && w->stop(w->opaque)) {
		if (*stop_at == 0)
			*stop_at = now + w->close_ms;
		if (now >= *stop_at)
			return RD_KAFKA_RESP_ERR__TIMED_OUT;
	}
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static void
abandon_pending(rdk_producer_t *p, rd_kafka_resp_err_t why)
{
	size_t i;

	for (i = 0; i < p->n && p->pending > 0; i++)
		set_outcome(p, i, why);
#ifdef RDK_HAVE_PURGE
	/* not yet sent: drop from librdkafka, rsyslog retries the batch.
	 * In flight: left alone; a late ack is a counted duplicate. */
	rd_kafka_purge(p->rk, RD_KAFKA_PURGE_F_QUEUE);
#endif
}

void
rdk_batch_wait(rdk_producer_t *p, const rdk_wait_t *w, rdk_batch_res_t *res)
{
	const int64_t start = p->start_ms;
	int64_t stop_at = 0;
	rd_kafka_resp_err_t why;
	size_t i;

	while (p->pending > 0) {
		/* flush, not poll: besides serving reports it makes librdkafka
		 * (>= 1.5) send at once instead of waiting linger.ms, as
		 * nothing more will be added to this batch */
		rd_kafka_flush(p->rk, 20);
		if (p->pending == 0)
			break;
		if ((why = wait_limit(p, w, start, &stop_at)) != 0) {
			abandon_pending(p, why);
			break;
		}
	}
	memset(res, 0, sizeof(*res));
	for (i = 0; i < p->n; i++) {
		switch (p->st[i].outcome) {
		case RDK_MSG_ACKED: res->acked++; break;
		case RDK_MSG_FAILED: res->failed++; break;
		default:
			if (res->retry++ == 0)
				res->retry_err = p->st[i].err;
		}
	}
	res->elapsed_ms = rdk_now_ms() - start;
	p->n = 0;	/* later reports for this batch are late */
}

const rdk_msg_state_t *
rdk_batch_state(const rdk_producer_t *p, size_t idx)
{
	return &p->st[idx];
}

int
rdk_producer_probe(rdk_producer_t *p, const char *topic, int timeout_ms,
	char *errstr, size_t errlen)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *rkt = NULL;
	rd_kafka_resp_err_t err;

	if (p->fatal || p->rk == NULL) {
		close_handle(p);
		if (open_handle(p, errstr, errlen) != 0)
			return -1;
	}
	rd_kafka_poll(p->rk, 0);
	if (topic != NULL)
		rkt = rd_kafka_topic_new(p->rk, topic, NULL);
	err = rd_kafka_metadata(p->rk, rkt == NULL, rkt, &md, timeout_ms);
	if (rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(errstr, errlen, "cluster not reachable: %s", rd_kafka_err2str(err));
		return -1;
	}
	rd_kafka_metadata_destroy(md);
	p->brokers_down = 0;
	return 0;
}

uint64_t
rdk_producer_late_acks(const rdk_producer_t *p)
{
	return p->late_acks;
}

rdk_res_t
rdk_producer_props(const rdk_producer_opts_t *o, rdk_kvlist_t *props,
	rdk_kvlist_t *tprops, int *weak_verify, char *errstr, size_t errlen)
{
	const char *acks = o->acks ? o->acks : "all";
	const int all = !strcmp(acks, "all") || !strcmp(acks, "-1");
	rdk_res_t r;

	/* every report is due within this; rsyslog suspends and retries
	 * after it instead of librdkafka's 300 s */
	r = rdk_kvlist_add(props, "message.timeout.ms", "30000", "default");
	if (r == RDK_OK)
		r = rdk_kvlist_add(props, "socket.keepalive.enable", "true", "default");
	/* feeds the kafka.* impstats gauges */
	if (r == RDK_OK)
		r = rdk_kvlist_add(props, "statistics.interval.ms", "60000", "default");
#ifdef RDK_HAVE_IDEMPOTENCE
	/* no duplicates from librdkafka's own retries, ordered per partition */
	if (r == RDK_OK && all)
		r = rdk_kvlist_add(props, "enable.idempotence", "true", "default");
#endif
	if (r == RDK_OK)
		r = rdk_kvlist_add(tprops, "request.required.acks", all ? "-1" : acks, "acks");
	if (r == RDK_OK && o->compression)
		r = rdk_kvlist_add(props, "compression.codec", o->compression, "compression");
	if (r != RDK_OK) {
		snprintf(errstr, errlen, "out of memory");
		return r;
	}
	return rdk_conn_opts_to_kv(&o->conn, props, weak_verify, errstr, errlen);
}

static void
find_timeout(const rdk_kvlist_t *l, long *v)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->kv[i].key, "message.timeout.ms") ||
		    !strcmp(l->kv[i].key, "delivery.timeout.ms"))
			rdk_parse_long(l->kv[i].val, 0, 0x7fffffff, v);
}

int64_t
rdk_props_msg_timeout(const rdk_kvlist_t *props, const rdk_kvlist_t *tprops)
{
	long v = 300000;	/* librdkafka's default */

	find_timeout(props, &v);
	find_timeout(tprops, &v);
	return v == 0 ? 0x7fffffff : v;
}
