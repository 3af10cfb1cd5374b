/* consumer.c: group consumer with offsets only for finished messages
 * (consumer.h). Thread use: one thread runs, polls (serving librdkafka's
 * callbacks: rebalance, commit results, errors) and closes; counters are
 * plain words written by that thread only.
 */
#include "rkv_config.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include "consumer.h"
#include "rkv_util.h"

#define ADVANCE_MS 10		/* release finished messages, store offsets */
#define LAG_MS 1000		/* refresh partition lag this often */
#define POLL_MS 100
#define REVOKE_WAIT_MS 2000	/* revoke: time given to unfinished messages */
#define PAUSE_AFTER_MS 2000	/* at max_inflight: wait this long, then pause */

typedef struct cons_part {
	char *topic;
	int32_t part;
	rdk_part_stats_t *st;
} cons_part_t;

struct rdk_consumer {
	rdk_client_t *cl;
	rdk_offtrack_t *ot;
	rd_kafka_queue_t *q;	/* the consumer queue (rd_kafka_poll_set_consumer) */
	rdk_consumer_opts_t o;
	rdk_consumer_ops_t ops;
	rdk_consumer_counters_t k;
	rd_kafka_message_t **msgs;
	void **toks;
	cons_part_t *parts;
	size_t nparts, capparts;
	int paused;
	int stopped;		/* shutdown began: nothing advances any more */
	int broken;		/* tracking failed (no memory): nothing advances */
	int64_t last_advance, last_lag;
};

/* ---- configuration -------------------------------------------------------- */

rdk_res_t
rdk_consumer_props(const rdk_consumer_conf_opts_t *o, rdk_kvlist_t *props,
	int *weak_verify, char *errstr, size_t errlen)
{
	static const char *const dflt[][2] = {
		{ "enable.auto.commit", "true" },
		/* finished offsets reach Kafka within a second */
		{ "auto.commit.interval.ms", "1000" },
		/* bounded prefetch: 64 MB per consumer (librdkafka 2.x default; 1 GB
		 * in 0.11); 16 MB halved the throughput over 32 partitions */
		{ "queued.max.messages.kbytes", "65536" },
		{ "enable.partition.eof", "false" },
		{ "socket.keepalive.enable", "true" },
		{ "statistics.interval.ms", "0" },
	};
	rdk_res_t r = RDK_OK;
	size_t i;

	for (i = 0; r == RDK_OK && i < sizeof(dflt) / sizeof(dflt[0]); i++)
		r = rdk_kvlist_add(props, dflt[i][0], dflt[i][1], "default");
	if (r == RDK_OK)
		r = rdk_kvlist_add(props, "group.id", o->group ? o->group : "rsyslog",
			o->group ? "consumerGroup" : "default");
	if (r == RDK_OK && o->start != NULL)
		r = rdk_kvlist_add(props, "auto.offset.reset", o->start, "startOffset");
	if (r != RDK_OK) {
		snprintf(errstr, errlen, "out of memory");
		return r;
	}
	return rdk_conn_opts_to_kv(&o->conn, props, weak_verify, errstr, errlen);
}

rd_kafka_conf_t *
rdk_consumer_conf(const rdk_kvlist_t *props, char *errstr, size_t errlen)
{
	const char *v = rdk_kvlist_get(props, "enable.auto.offset.store");
	rd_kafka_conf_t *conf;

	if (v != NULL && strcmp(v, "false") != 0) {
		snprintf(errstr, errlen, "confParam: enable.auto.offset.store=%s "
			"would commit offsets of messages rsyslog has not finished; "
			"imrdkafka stores them itself", v);
		return NULL;
	}
	v = rdk_kvlist_get(props, "enable.auto.commit");
	if (v != NULL && strcmp(v, "true") != 0) {
		snprintf(errstr, errlen, "confParam: enable.auto.commit=%s: "
			"imrdkafka commits the offsets of finished messages through "
			"librdkafka's auto commit; tune auto.commit.interval.ms instead", v);
		return NULL;
	}
	if ((conf = rdk_conf_build(props, NULL, NULL, errstr, errlen)) == NULL)
		return NULL;
	if (rd_kafka_conf_set(conf, "enable.auto.offset.store", "false",
	    errstr, errlen) != RD_KAFKA_CONF_OK) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}

/* ---- partitions and their figures ----------------------------------------- */

static void
part_new(void *opaque, const char *topic, int32_t part, rdk_part_stats_t *st)
{
	rdk_consumer_t *c = opaque;

	if (c->nparts == c->capparts) {
		size_t nc = c->capparts ? c->capparts * 2 : 16;
		cons_part_t *np = realloc(c->parts, nc * sizeof(*np));
		if (np == NULL)
			return;		/* lag of this partition stays unknown */
		c->parts = np;
		c->capparts = nc;
	}
	if ((c->parts[c->nparts].topic = strdup(topic)) == NULL)
		return;
	c->parts[c->nparts].part = part;
	c->parts[c->nparts].st = st;
	c->nparts++;
	if (c->ops.part_new != NULL)
		c->ops.part_new(c->ops.opaque, topic, part, st);
}

/* Kafka's LAG: log end offset minus the group's committed offset. */
static void
refresh_lag(rdk_consumer_t *c)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < c->nparts; i++) {
		int64_t lo = 0, hi = -1;
		rdk_part_stats_t *st = c->parts[i].st;
		if (rd_kafka_get_watermark_offsets(c->cl->rk, c->parts[i].topic,
		    c->parts[i].part, &lo, &hi) == RD_KAFKA_RESP_ERR_NO_ERROR && hi >= 0)
			st->high = (uint64_t)hi;
		st->lag = st->high > st->committed ? st->high - st->committed : 0;
		sum += st->lag;
	}
	c->k.lag = sum;
}

static void
commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
	rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
	rdk_consumer_t *c = ((rdk_client_t *)opaque)->owner;
	int i;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
		return;		/* nothing new to commit */
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		c->k.commit_failures++;
		rdk_client_log(c->cl, LOG_WARNING, "offset commit failed (retried "
			"with the next commit): %s", rd_kafka_err2str(err));
		return;
	}
	c->k.commits++;
	for (i = 0; offsets != NULL && i < offsets->cnt; i++) {
		rd_kafka_topic_partition_t *e = &offsets->elems[i];
		rdk_part_stats_t *st;
		if (e->err || e->offset < 0)
			continue;
		if ((st = rdk_offtrack_stats(c->ot, e->topic, e->partition)) != NULL)
			st->committed = (uint64_t)e->offset;
	}
}

/* ---- storing finished offsets --------------------------------------------- */

static void
store_finished(rdk_consumer_t *c)
{
	rd_kafka_topic_partition_list_t *moved;

	c->last_advance = rkv_now_ms();
	if (c->stopped)
		return;
	moved = rd_kafka_topic_partition_list_new(16);
	/* finished messages are released even when tracking broke (so memory
	 * does not pile up); only their offsets are not stored then */
	if (rdk_offtrack_advance(c->ot, moved) > 0 && !c->broken) {
		/* partitions no longer assigned fail individually: fine,
		 * their new owner reads from the last commit */
		rd_kafka_offsets_store(c->cl->rk, moved);
		c->k.stored++;
	}
	rd_kafka_topic_partition_list_destroy(moved);
	c->k.inflight = rdk_offtrack_inflight(c->ot);
}

/* ---- rebalance ------------------------------------------------------------- */

static int
cooperative(rd_kafka_t *rk)
{
#ifdef RDK_HAVE_INCREMENTAL
	return !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
#else
	(void)rk;
	return 0;
#endif
}

/* Before another consumer takes the partitions: give the messages still
 * in rsyslog's hands a moment to finish (each one that does not is read
 * again by the new owner), then commit what is finished synchronously, so
 * the new owner reads on from there. At close nothing advances: librdkafka
 * commits what was stored, without waiting for a broker that is gone.
 * parts is not const: rd_kafka_topic_partition_list_find() takes a const
 * list only since librdkafka 1.6.0. */
static void
commit_revoked(rdk_consumer_t *c, rd_kafka_topic_partition_list_t *parts)
{
	const int64_t end = rkv_now_ms() + REVOKE_WAIT_MS;
	rd_kafka_topic_partition_list_t *all, *mine;
	int i;

	if (c->stopped || c->broken)
		return;
	store_finished(c);
	while (rdk_offtrack_inflight_in(c->ot, parts) > 0 && rkv_now_ms() < end &&
	       !c->ops.stopping(c->ops.opaque)) {
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
		store_finished(c);
	}
	all = rd_kafka_topic_partition_list_new(16);
	mine = rd_kafka_topic_partition_list_new(parts->cnt > 0 ? parts->cnt : 1);
	rdk_offtrack_committable(c->ot, all);
	for (i = 0; i < all->cnt; i++) {
		if (rd_kafka_topic_partition_list_find(parts, all->elems[i].topic,
		    all->elems[i].partition) != NULL)
			rd_kafka_topic_partition_list_add(mine, all->elems[i].topic,
				all->elems[i].partition)->offset = all->elems[i].offset;
	}
	if (mine->cnt > 0)
		commit_cb(c->cl->rk, rd_kafka_commit(c->cl->rk, mine, 0), mine, c->cl);
	rd_kafka_topic_partition_list_destroy(mine);
	rd_kafka_topic_partition_list_destroy(all);
}

static void
rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
	rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	rdk_consumer_t *c = ((rdk_client_t *)opaque)->owner;
	const int coop = cooperative(rk);

	(void)coop; /* only read with RDK_HAVE_INCREMENTAL */
	c->k.rebalances++;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
#ifdef RDK_HAVE_INCREMENTAL
		if (coop)
			rd_kafka_incremental_assign(rk, parts);
		else
#endif
			rd_kafka_assign(rk, parts);
		if (c->paused)
			rd_kafka_pause_partitions(rk, parts);
		rdk_client_log(c->cl, LOG_INFO, "assigned %d partition(s)", parts->cnt);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
		commit_revoked(c, parts);
	else
		rdk_client_log(c->cl, LOG_WARNING, "rebalance error: %s",
			rd_kafka_err2str(err));
#ifdef RDK_HAVE_INCREMENTAL
	if (coop) {
		rd_kafka_incremental_unassign(rk, parts);
		rdk_offtrack_forget(c->ot, parts);
	} else
#endif
	{
		rd_kafka_assign(rk, NULL);
		rdk_offtrack_forget(c->ot, NULL);
	}
	c->k.inflight = rdk_offtrack_inflight(c->ot);
	rdk_client_log(c->cl, LOG_INFO, "revoked %d partition(s)", parts->cnt);
}

/* ---- the consume loop ------------------------------------------------------ */

static void
set_paused(rdk_consumer_t *c, int pause)
{
	rd_kafka_topic_partition_list_t *a = NULL;

	if (rd_kafka_assignment(c->cl->rk, &a) != RD_KAFKA_RESP_ERR_NO_ERROR || a == NULL)
		return;
	if (pause)
		rd_kafka_pause_partitions(c->cl->rk, a);
	else
		rd_kafka_resume_partitions(c->cl->rk, a);
	rd_kafka_topic_partition_list_destroy(a);
	c->paused = pause;
	if (pause)
		c->k.pauses++;
}

/* At max_inflight: a short wait for rsyslog to catch up keeps what
 * librdkafka prefetched (pausing drops it and fetches it again). Only a
 * longer stall pauses the partitions; then the thread keeps polling, which
 * serves the group's callbacks and keeps the membership alive. 1 when
 * below the limit again. */
static int
wait_below_limit(rdk_consumer_t *c)
{
	const int64_t end = rkv_now_ms() + PAUSE_AFTER_MS;
	struct timespec ts = { 0, 2 * 1000000L };

	while (rdk_offtrack_inflight(c->ot) >= c->o.max_inflight) {
		if (rkv_now_ms() >= end || c->ops.stopping(c->ops.opaque))
			return 0;
		nanosleep(&ts, NULL);
		store_finished(c);
	}
	return 1;
}

/* Up to o.batch messages, waiting POLL_MS at most: one queue lock per
 * batch (measured: 0.92x stock imkafka's CPU per message, instead of 1.00x
 * with one rd_kafka_consumer_poll() per message). Rebalance and commit
 * callbacks are served here too. */
static size_t
poll_batch(rdk_consumer_t *c)
{
	size_t n = 0, i;
	ssize_t got = rd_kafka_consume_batch_queue(c->q, POLL_MS, c->msgs, c->o.batch);

	for (i = 0; got > 0 && i < (size_t)got; i++) {
		rd_kafka_message_t *m = c->msgs[i];
		if (m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				c->k.errors++;
				rdk_client_log(c->cl, LOG_WARNING, "consumer: %s",
					rd_kafka_message_errstr(m));
			}
			rd_kafka_message_destroy(m);
			continue;
		}
		c->msgs[n++] = m;
	}
	return n;
}

/* The first k of the batch were handed on; the rest were not (shutdown,
 * or no memory): nothing may advance past them, so no offset advances any
 * more (stopped: at shutdown; broken: otherwise, finished messages are
 * still released). */
static void
track_batch(rdk_consumer_t *c, size_t n, size_t k)
{
	size_t i;

	for (i = 0; i < n; i++) {
		rd_kafka_message_t *m = c->msgs[i];
		if (i >= k) {
			if (c->ops.stopping(c->ops.opaque))
				c->stopped = 1;
			else
				c->broken = 1;
			if (c->toks[i] != NULL)
				c->ops.release(c->toks[i]);
		} else if (rdk_offtrack_add(c->ot, rd_kafka_topic_name(m->rkt),
		    m->partition, m->offset, c->toks[i]) != 0) {
			c->ops.release(c->toks[i]);
			if (!c->broken)
				rdk_client_log(c->cl, LOG_ERR, "out of memory tracking "
					"offsets: offsets no longer advance (messages "
					"are read again after a restart)");
			c->broken = 1;
		}
		rd_kafka_message_destroy(m);
	}
}

static rd_kafka_resp_err_t
subscribe(rdk_consumer_t *c)
{
	rd_kafka_topic_partition_list_t *l =
		rd_kafka_topic_partition_list_new((int)c->o.ntopics);
	rd_kafka_resp_err_t err;
	size_t i;

	for (i = 0; i < c->o.ntopics; i++)
		rd_kafka_topic_partition_list_add(l, c->o.topics[i], RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(c->cl->rk, l);
	rd_kafka_topic_partition_list_destroy(l);
	return err;
}

void
rdk_consumer_run(rdk_consumer_t *c)
{
	rd_kafka_resp_err_t err = subscribe(c);

	if (err) {
		rdk_client_log(c->cl, LOG_ERR, "subscribe failed: %s", rd_kafka_err2str(err));
		return;
	}
	while (!c->ops.stopping(c->ops.opaque)) {
		size_t n, inflight = rdk_offtrack_inflight(c->ot);
		int64_t now;

		if (!c->paused && inflight >= c->o.max_inflight && !wait_below_limit(c))
			set_paused(c, 1);
		else if (c->paused && inflight <= c->o.max_inflight / 2)
			set_paused(c, 0);
		if ((n = poll_batch(c)) > 0) {
			c->k.received += n;
			memset(c->toks, 0, n * sizeof(*c->toks));
			track_batch(c, n, c->ops.submit(c->ops.opaque, c->msgs, n, c->toks));
		}
		now = rkv_now_ms();
		if (now - c->last_advance >= ADVANCE_MS || c->paused)
			store_finished(c);
		if (now - c->last_lag >= LAG_MS) {
			c->last_lag = now;
			refresh_lag(c);
		}
	}
	/* what is finished now is the last thing that advances */
	store_finished(c);
	c->stopped = 1;
}

/* ---- life cycle ------------------------------------------------------------- */

static void
setup_conf(rd_kafka_conf_t *conf)
{
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_offset_commit_cb(conf, commit_cb);
}

rdk_consumer_t *
rdk_consumer_new(const rd_kafka_conf_t *conf, const rdk_consumer_opts_t *o,
	const rdk_consumer_ops_t *ops, const rdk_client_cb_t *cb,
	char *errstr, size_t errlen)
{
	rdk_consumer_t *c = calloc(1, sizeof(*c));
	rdk_offtrack_ops_t tops;

	if (c == NULL)
		goto nomem;
	c->o = *o;
	c->ops = *ops;
	if (c->o.batch == 0)
		c->o.batch = 1024;
	if (c->o.max_inflight < c->o.batch)
		c->o.max_inflight = c->o.batch;
	tops.opaque = c;
	tops.done = ops->done;
	tops.release = ops->release;
	tops.part_new = part_new;
	if ((c->msgs = calloc(c->o.batch, sizeof(*c->msgs))) == NULL ||
	    (c->toks = calloc(c->o.batch, sizeof(*c->toks))) == NULL ||
	    (c->ot = rdk_offtrack_new(&tops)) == NULL)
		goto nomem;
	c->cl = rdk_client_new(RD_KAFKA_CONSUMER, conf, cb, c, setup_conf, errstr, errlen);
	if (c->cl == NULL)
		goto fail;
	rd_kafka_poll_set_consumer(c->cl->rk);
	c->q = rd_kafka_queue_get_consumer(c->cl->rk);
	return c;
nomem:
	snprintf(errstr, errlen, "out of memory");
fail:
	if (c != NULL) {
		rdk_offtrack_free(c->ot);
		free(c->msgs);
		free(c->toks);
		free(c);
	}
	return NULL;
}

/* rd_kafka_consumer_close() waits for the group coordinator; when no
 * broker answers that can take long, so it runs in a helper thread that
 * is given close_timeout_ms. */
typedef struct closer {
	rdk_consumer_t *c;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
} closer_t;

static void *
closer_run(void *arg)
{
	closer_t *x = arg;

	rd_kafka_consumer_close(x->c->cl->rk);
	pthread_mutex_lock(&x->mu);
	x->done = 1;
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

static int
close_bounded(rdk_consumer_t *c, closer_t *x)
{
	struct timespec ts;
	pthread_t tid;
	int done;

	x->c = c;
	x->done = 0;
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	if (pthread_create(&tid, NULL, closer_run, x) != 0) {
		closer_run(x);
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += c->o.close_timeout_ms / 1000;
	ts.tv_nsec += (long)(c->o.close_timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&x->mu);
	while (!x->done && pthread_cond_timedwait(&x->cv, &x->mu, &ts) == 0)
		;
	done = x->done;
	pthread_mutex_unlock(&x->mu);
	if (done)
		pthread_join(tid, NULL);
	else
		pthread_detach(tid);
	return done;
}

int
rdk_consumer_close(rdk_consumer_t *c)
{
	closer_t *x = calloc(1, sizeof(*x));
	size_t i;

	c->stopped = 1;
	if (x == NULL || !close_bounded(c, x)) {
		/* the helper still uses the handle, the tracker and x: they
		 * stay (the process is stopping); the offsets stored so far
		 * were committed by auto-commit, the rest is read again */
		rdk_client_log(c->cl, LOG_WARNING, "leaving the consumer group did "
			"not finish within closeTimeout (%d ms); offsets stored "
			"since the last commit are read again after the restart",
			c->o.close_timeout_ms);
		return 0;
	}
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	free(x);
	rd_kafka_queue_destroy(c->q);
	rdk_offtrack_free(c->ot);
	rdk_client_destroy(c->cl);
	for (i = 0; i < c->nparts; i++)
		free(c->parts[i].topic);
	free(c->parts);
	free(c->msgs);
	free(c->toks);
	free(c);
	return 1;
}

const rdk_consumer_counters_t *
rdk_consumer_counters(const rdk_consumer_t *c)
{
	return &c->k;
}
