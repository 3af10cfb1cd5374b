/* producer.c: shared batch-as-transaction producer (producer.h).
 * Thread use: any worker thread. Delivery reports (dr_cb) run in whichever
 * thread polls the handle; they find their batch through the message's
 * sequence number (opaque) in the registry of running batches, under
 * p->lock. A round holds p->hlock for reading; recreating the handle after
 * a fatal error takes it for writing. Log callbacks: librdkafka threads.
 * A poller thread serves the handle's events once a second, so that
 * statistics (impstats gauges) and late reports arrive while the action
 * is idle.
 */
#include "rkv_config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "producer.h"

struct rdk_producer {
	rdk_client_t *cl;
	rd_kafka_conf_t *conf;		/* validated configuration (copy) */
	rd_kafka_topic_t *rkt;		/* default topic handle (may be NULL) */
	char *default_topic;
	pthread_mutex_t lock;		/* registry, batch slots, seq, late */
	pthread_rwlock_t hlock;		/* the handle (see file head) */
	rdk_batch_t **run;		/* running batches */
	size_t nrun, caprun;
	pthread_t poller;		/* serves events while no worker waits */
	int has_poller;
	volatile int stopping;
	uintptr_t next_seq;
	uint64_t late_acks;
};

struct rdk_batch {
	rdk_producer_t *p;
	rkv_txn_t txn;
	const rdk_msg_t *msgs;
	uintptr_t base;			/* sequence number of slot 0, this round */
	int registered;
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

rkv_outcome_t
rdk_classify(rd_kafka_resp_err_t err)
{
	size_t i;

	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return RKV_ACKED;
	for (i = 0; i < sizeof(permanent_errs) / sizeof(permanent_errs[0]); i++)
		if (err == permanent_errs[i])
			return RKV_FAILED;
	/* everything else (timeouts, transport, leadership, not enough
	 * replicas, queue full, fatal idempotence errors, auth on the
	 * connection) is retried inside the commit */
	return RKV_RETRY;
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
#ifdef RDK_HAVE_FATAL
	case RD_KAFKA_RESP_ERR__FATAL: return "fatal";
#endif
	default: return rdk_classify(err) == RKV_FAILED ? "rejected" : "other";
	}
}

/* Could the failed attempt have been stored by Kafka anyway? */
static int
maybe_stored(const rd_kafka_message_t *m)
{
#ifdef RDK_HAVE_MSG_STATUS
	return rd_kafka_message_status(m) != RD_KAFKA_MSG_STATUS_NOT_PERSISTED;
#else
	return m->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT ||
		m->err == RD_KAFKA_RESP_ERR__TRANSPORT;
#endif
}

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	rdk_client_t *c = opaque;
	rdk_producer_t *p = c->owner;
	uintptr_t seq = (uintptr_t)m->_private;
	int done = 0;
	size_t i;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		c->brokers_down = 0;
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nrun && !done; i++) {
		rdk_batch_t *b = p->run[i];
		if (seq - b->base < b->txn.n) {
			rkv_txn_set(&b->txn, seq - b->base, rdk_classify(m->err),
				(int)m->err, m->err ? maybe_stored(m) : 0);
			done = 1;
		}
	}
	/* a report for an attempt already given up (re-sent or spilled) */
	if (!done && m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		p->late_acks++;
	pthread_mutex_unlock(&p->lock);
}

static void
setup_conf(rd_kafka_conf_t *conf)
{
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
}

static int
open_topic(rdk_producer_t *p, char *errstr, size_t errlen)
{
	if (p->default_topic == NULL)
		return 0;
	p->rkt = rd_kafka_topic_new(p->cl->rk, p->default_topic, NULL);
	if (p->rkt != NULL)
		return 0;
	snprintf(errstr, errlen, "topic \"%s\": %s", p->default_topic,
		rd_kafka_err2str(rd_kafka_last_error()));
	return -1;
}

/* Readers (rounds, pauses, the poller) overlap all the time; a writer
 * (recreating the handle) must not starve behind them. */
static void
init_hlock(rdk_producer_t *p)
{
	pthread_rwlockattr_t a;

	pthread_rwlockattr_init(&a);
#ifdef __GLIBC__
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
	pthread_rwlock_init(&p->hlock, &a);
	pthread_rwlockattr_destroy(&a);
}

static void *
poller(void *arg)
{
	rdk_producer_t *p = arg;

	while (!p->stopping) {
		pthread_rwlock_rdlock(&p->hlock);
		rd_kafka_poll(p->cl->rk, 1000);
		pthread_rwlock_unlock(&p->hlock);
	}
	return NULL;
}

rdk_producer_t *
rdk_producer_new(const rd_kafka_conf_t *conf, const char *default_topic,
	const rdk_client_cb_t *cb, char *errstr, size_t errlen)
{
	rdk_producer_t *p = calloc(1, sizeof(*p));

	if (p == NULL || (default_topic && (p->default_topic = strdup(default_topic)) == NULL)) {
		snprintf(errstr, errlen, "out of memory");
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	init_hlock(p);
	p->next_seq = 1;
	p->conf = rd_kafka_conf_dup(conf);
	p->cl = rdk_client_new(RD_KAFKA_PRODUCER, conf, cb, p, setup_conf, errstr, errlen);
	if (p->cl == NULL || open_topic(p, errstr, errlen) != 0) {
		rdk_producer_destroy(p, 0);
		return NULL;
	}
	p->has_poller = pthread_create(&p->poller, NULL, poller, p) == 0;
	return p;
}

static void
close_handle(rdk_producer_t *p)
{
	if (p->cl == NULL || p->cl->rk == NULL)
		return;
#ifdef RDK_HAVE_PURGE
	/* what Kafka has not acknowledged was spilled or never committed */
	rd_kafka_purge(p->cl->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	rd_kafka_poll(p->cl->rk, 0);
#endif
	if (p->rkt != NULL)
		rd_kafka_topic_destroy(p->rkt);
	p->rkt = NULL;
}

void
rdk_producer_destroy(rdk_producer_t *p, int timeout_ms)
{
	if (p == NULL)
		return;
	p->stopping = 1;
	if (p->has_poller)
		pthread_join(p->poller, NULL);
	if (p->cl != NULL && timeout_ms > 0)
		rd_kafka_flush(p->cl->rk, 0);	/* serve reports already in */
	close_handle(p);
	rdk_client_destroy(p->cl);
	if (p->conf != NULL)
		rd_kafka_conf_destroy(p->conf);
	pthread_rwlock_destroy(&p->hlock);
	pthread_mutex_destroy(&p->lock);
	free(p->run);
	free(p->default_topic);
	free(p);
}

uint64_t
rdk_producer_late_acks(rdk_producer_t *p)
{
	uint64_t v;

	pthread_mutex_lock(&p->lock);
	v = p->late_acks;
	pthread_mutex_unlock(&p->lock);
	return v;
}

rdk_batch_t *
rdk_batch_new(rdk_producer_t *p)
{
	rdk_batch_t *b = calloc(1, sizeof(*b));

	if (b != NULL) {
		b->p = p;
		rkv_txn_init(&b->txn);
	}
	return b;
}

void
rdk_batch_free(rdk_batch_t *b)
{
	if (b == NULL)
		return;
	rdk_batch_end(b);
	rkv_txn_free(&b->txn);
	free(b);
}

rkv_txn_t *
rdk_batch_txn(rdk_batch_t *b)
{
	return &b->txn;
}

int
rdk_batch_begin(rdk_batch_t *b, const rdk_msg_t *msgs, size_t n)
{
	int rc;

	/* not registered until its first round has numbers: a late report
	 * must never match a slot of this transaction */
	pthread_mutex_lock(&b->p->lock);
	rc = rkv_txn_begin(&b->txn, n);
	b->msgs = msgs;
	pthread_mutex_unlock(&b->p->lock);
	return rc;
}

/* Under p->lock: the batch takes fresh sequence numbers for a round and is
 * in the registry that delivery reports search. */
static int
register_round(rdk_batch_t *b)
{
	rdk_producer_t *p = b->p;

	if (!b->registered && p->nrun == p->caprun) {
		size_t nc = p->caprun ? p->caprun * 2 : 4;
		rdk_batch_t **nr = realloc(p->run, nc * sizeof(*nr));
		if (nr == NULL)
			return -1;
		p->run = nr;
		p->caprun = nc;
	}
	if (!b->registered)
		p->run[p->nrun++] = b;
	b->registered = 1;
	if (b->txn.retry > 0)
		rkv_txn_rearm(&b->txn);
	b->base = p->next_seq;		/* reports of earlier rounds are late */
	p->next_seq += b->txn.n;
	return 0;
}

void
rdk_batch_end(rdk_batch_t *b)
{
	rdk_producer_t *p = b->p;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; b->registered && i < p->nrun; i++) {
		if (p->run[i] == b) {
			p->run[i] = p->run[--p->nrun];
			b->registered = 0;
		}
	}
	pthread_mutex_unlock(&p->lock);
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
produce_once(rdk_producer_t *p, uintptr_t seq, const rdk_msg_t *m)
{
	rd_kafka_headers_t *h = make_headers(m);
	rd_kafka_t *rk = p->cl->rk;
	/* per-message topics: librdkafka looks the handle up in its cache */
	rd_kafka_topic_t *rkt = m->topic ? rd_kafka_topic_new(rk, m->topic, NULL) : p->rkt;
	rd_kafka_resp_err_t err;

	if (rkt == NULL)
		err = m->topic ? rd_kafka_last_error() : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
	else
		err = rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt),
			RD_KAFKA_V_PARTITION(m->partition),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_VALUE((void *)m->payload, m->len),
			RD_KAFKA_V_KEY(m->key, m->keylen),
			RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_OPAQUE((void *)seq),
			RD_KAFKA_V_END);
	if (m->topic != NULL && rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR && h != NULL)
		rd_kafka_headers_destroy(h);	/* ours unless accepted */
	return err;
}

static void
settle(rdk_batch_t *b, size_t i, rd_kafka_resp_err_t err, int maybe)
{
	pthread_mutex_lock(&b->p->lock);
	rkv_txn_set(&b->txn, i, rdk_classify(err), (int)err, maybe);
	pthread_mutex_unlock(&b->p->lock);
}

static size_t
pending(rdk_batch_t *b)
{
	size_t n;

	pthread_mutex_lock(&b->p->lock);
	n = b->txn.pending;
	pthread_mutex_unlock(&b->p->lock);
	return n;
}

/* Round deadline bookkeeping: 0 to go on, else why to stop waiting. */
typedef struct round_clock {
	int64_t start, stop_at;
} round_clock_t;

static rd_kafka_resp_err_t
round_limit(rdk_batch_t *b, const rdk_wait_t *w, round_clock_t *rc)
{
	const int64_t now = rkv_now_ms();

	if (b->p->cl->fatal)
#ifdef RDK_HAVE_FATAL
		return RD_KAFKA_RESP_ERR__FATAL;
#else
		return RD_KAFKA_RESP_ERR__FAIL;
#endif
	if (now - rc->start >= w->max_ms)
		return RD_KAFKA_RESP_ERR__MSG_TIMED_OUT;
	if (w->stop != NULL && w->stop(w->opaque)) {
		if (rc->stop_at == 0)
			rc->stop_at = now + w->close_ms;
		if (now >= rc->stop_at)
			return RD_KAFKA_RESP_ERR__TIMED_OUT;
	}
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* Produces slot i; librdkafka's queue full: serves reports to make room,
 * for at most w->queue_ms of this round, or until shutdown's deadline. */
static void
produce_slot(rdk_batch_t *b, size_t i, const rdk_wait_t *w, round_clock_t *rc)
{
	const rdk_msg_t *m = &b->msgs[i];
	rd_kafka_resp_err_t err;

	if (m->topic == NULL && b->p->default_topic == NULL) {
		settle(b, i, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, 0);
		return;
	}
	for (;;) {
		err = produce_once(b->p, b->base + i, m);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		if (rkv_now_ms() - rc->start >= w->queue_ms || round_limit(b, w, rc) != 0)
			break;
		rd_kafka_poll(b->p->cl->rk, 10);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		settle(b, i, err, 0);
}

static void
recreate_if_fatal(rdk_producer_t *p)
{
	char errstr[512];

	if (!p->cl->fatal)
		return;
	pthread_rwlock_wrlock(&p->hlock);
	if (p->cl->fatal) {
		close_handle(p);
		if (rdk_client_reopen(p->cl, RD_KAFKA_PRODUCER, p->conf, setup_conf,
				errstr, sizeof(errstr)) != 0 ||
		    open_topic(p, errstr, sizeof(errstr)) != 0)
			rdk_client_log(p->cl, LOG_ERR, "cannot recreate producer: %s", errstr);
	}
	pthread_rwlock_unlock(&p->hlock);
}

void
rdk_batch_round(rdk_batch_t *b, const rdk_wait_t *w)
{
	rdk_producer_t *p = b->p;
	round_clock_t rc;
	rd_kafka_resp_err_t why = RD_KAFKA_RESP_ERR_NO_ERROR;
	size_t i, due;
	int stalled = 0;

	recreate_if_fatal(p);
	pthread_rwlock_rdlock(&p->hlock);
	rc.start = rkv_now_ms();
	rc.stop_at = 0;
	pthread_mutex_lock(&p->lock);
	if (register_round(b) != 0) {	/* no memory: nothing sent this round */
		rkv_txn_abandon(&b->txn, RD_KAFKA_RESP_ERR__FAIL);
		pthread_mutex_unlock(&p->lock);
		pthread_rwlock_unlock(&p->hlock);
		return;
	}
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < b->txn.n; i++)
		if (b->txn.slot[i].outcome == RKV_PENDING)
			produce_slot(b, i, w, &rc);
	while ((due = pending(b)) > 0) {
		/* flush, not poll: besides serving reports it makes librdkafka
		 * (>= 1.5) send at once instead of waiting linger.ms, as
		 * nothing more will be added to this batch */
		rd_kafka_flush(p->cl->rk, 1);
		if (pending(b) == 0 || (why = round_limit(b, w, &rc)) != 0)
			break;
		if (!stalled && w->stalled && rkv_now_ms() - rc.start >= w->stall_ms) {
			stalled = 1;
			w->stalled(w->opaque, due, b->txn.n, p->cl->brokers_down);
		}
	}
	if (why != 0) {
		pthread_mutex_lock(&p->lock);
		rkv_txn_abandon(&b->txn, (int)why);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_rwlock_unlock(&p->hlock);
}

void
rdk_batch_pause(rdk_batch_t *b, int64_t ms, const rdk_wait_t *w)
{
	const int64_t end = rkv_now_ms() + ms;
	int64_t left;

	pthread_rwlock_rdlock(&b->p->hlock);
	while ((left = end - rkv_now_ms()) > 0 && !(w->stop && w->stop(w->opaque)))
		rd_kafka_poll(b->p->cl->rk, (int)(left < 100 ? left : 100));
	pthread_rwlock_unlock(&b->p->hlock);
}

/* ---- configuration ---------------------------------------------------- */

int
rdk_producer_has_idempotence(void)
{
#ifdef RDK_HAVE_IDEMPOTENCE
	return 1;
#else
	return 0;
#endif
}

rdk_res_t
rdk_producer_props(const rdk_producer_opts_t *o, rdk_kvlist_t *props,
	int *weak_verify, char *errstr, size_t errlen)
{
	const char *acks = o->acks ? o->acks : "all";
	rdk_res_t r;

	/* a round's reports are due within this; then the module retries
	 * the unacknowledged messages itself (instead of librdkafka's 300 s) */
	r = rdk_kvlist_add(props, "message.timeout.ms", "30000", "default");
	if (r == RDK_OK)
		r = rdk_kvlist_add(props, "socket.keepalive.enable", "true", "default");
	/* feeds the kafka.* impstats gauges */
	if (r == RDK_OK)
		r = rdk_kvlist_add(props, "statistics.interval.ms", "60000", "default");
	/* in the same list as confParam (appended later), so that
	 * confParam=["acks=1"] wins over the first-class default */
	if (r == RDK_OK)
		r = rdk_kvlist_add(props, "request.required.acks",
			!strcmp(acks, "all") ? "-1" : acks, o->acks ? "acks" : "default");
	if (r == RDK_OK && o->compression)
		r = rdk_kvlist_add(props, "compression.codec", o->compression, "compression");
	if (r != RDK_OK) {
		snprintf(errstr, errlen, "out of memory");
		return r;
	}
	return rdk_conn_opts_to_kv(&o->conn, props, weak_verify, errstr, errlen);
}

rd_kafka_conf_t *
rdk_producer_conf(const rdk_kvlist_t *props, const rdk_kvlist_t *tprops,
	rdk_conf_info_t *info, char *errstr, size_t errlen)
{
	rd_kafka_conf_t *conf = rdk_conf_build(props, tprops, info, errstr, errlen);

	if (conf == NULL)
		return NULL;
#ifdef RDK_HAVE_IDEMPOTENCE
	/* no duplicates from librdkafka's own retries, ordered per
	 * partition; only valid with acks=all, and only where the user
	 * did not decide about it */
	if (rdk_kvlist_get(props, "enable.idempotence") == NULL && info->acks == -1)
		rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, errlen);
#endif
	return conf;
}

/* ---- spill records ------------------------------------------------------ */

#define NOKEY 0xffffffffu

static int
put_u32(rkv_buf_t *b, uint32_t v)
{
	unsigned char c[4];

	rkv_put_u32le(c, v);
	return rkv_buf_append(b, c, 4);
}

int
rdk_msg_pack(rkv_buf_t *b, const rdk_msg_t *m, const char *default_topic)
{
	const char *topic = m->topic ? m->topic : (default_topic ? default_topic : "");
	size_t tl = strlen(topic);

	b->len = 0;
	if (tl > 0xffff || m->keylen >= NOKEY)
		return -1;
	return put_u32(b, (uint32_t)tl) | rkv_buf_append(b, topic, tl + 1) |
		put_u32(b, (uint32_t)m->partition) |
		put_u32(b, m->key ? (uint32_t)m->keylen : NOKEY) |
		(m->key ? rkv_buf_append(b, m->key, m->keylen) : 0) |
		rkv_buf_append(b, m->payload, m->len);
}

int
rdk_msg_unpack(const void *rec, size_t len, rdk_msg_t *m)
{
	const unsigned char *p = rec, *end = p + len;
	uint32_t tl, kl;

	memset(m, 0, sizeof(*m));
	if (len < 4 || (tl = rkv_get_u32le(p)) > len - 4 || (size_t)(end - p) < 4 + tl + 1 + 8 ||
	    p[4 + tl] != '\0')
		return -1;
	m->topic = (const char *)p + 4;
	p += 4 + tl + 1;
	m->partition = (int32_t)rkv_get_u32le(p);
	kl = rkv_get_u32le(p + 4);
	p += 8;
	if (kl != NOKEY) {
		if ((size_t)(end - p) < kl)
			return -1;
		m->key = p;
		m->keylen = kl;
		p += kl;
	}
	m->payload = p;
	m->len = (size_t)(end - p);
	return 0;
}
