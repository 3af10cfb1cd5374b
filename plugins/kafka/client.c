/* client.c: librdkafka handle + shared callbacks (client.h).
 * Thread use: see client.h; loglock guards the error rate limit only.
 */
#include "rkv_config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "client.h"
#include "kafka_conf.h"
#include "rkv_util.h"

void
rdk_client_log(rdk_client_t *c, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (c->cb.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->cb.log(c->cb.opaque, level, msg);
}

static void
error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	rdk_client_t *c = opaque;
	const int64_t now = rkv_now_ms();
	int quiet;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		c->brokers_down = 1;
#ifdef RDK_HAVE_FATAL
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		char fbuf[256];
		c->fatal = 1;
		rd_kafka_fatal_error(rk, fbuf, sizeof(fbuf));
		rdk_client_log(c, LOG_ERR, "fatal error, the handle is recreated: %s", fbuf);
		return;
	}
#endif
	/* the same error repeats on every reconnect: once per minute */
	pthread_mutex_lock(&c->loglock);
	quiet = err == c->last_err && now - c->last_err_ms < 60000;
	if (!quiet) {
		c->last_err = err;
		c->last_err_ms = now;
	}
	pthread_mutex_unlock(&c->loglock);
	if (!quiet)
		rdk_client_log(c, LOG_WARNING, "kafka error: %s: %s",
			rd_kafka_err2str((rd_kafka_resp_err_t)err), reason);
}

static void
log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	rdk_client_t *c = rd_kafka_opaque(rk);

	/* connection failures (facility FAIL) repeat on every reconnect and
	 * reach error_cb too, which logs them rate-limited */
	if (c != NULL && level <= LOG_WARNING && strcmp(fac, "FAIL") != 0)
		rdk_client_log(c, level, "librdkafka %s: %s", fac, buf);
}

static int
stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	rdk_client_t *c = opaque;

	(void)rk;
	if (c->cb.stats != NULL)
		c->cb.stats(c->cb.opaque, json, len);
	return 0;	/* librdkafka frees json */
}

static rd_kafka_t *
open_handle(rdk_client_t *c, rd_kafka_type_t type, const rd_kafka_conf_t *conf,
	void (*setup)(rd_kafka_conf_t *), char *errstr, size_t errlen)
{
	rd_kafka_conf_t *d = rd_kafka_conf_dup(conf);
	rd_kafka_t *rk;

	rd_kafka_conf_set_opaque(d, c);
	rd_kafka_conf_set_error_cb(d, error_cb);
	rd_kafka_conf_set_log_cb(d, log_cb);
	rd_kafka_conf_set_stats_cb(d, stats_cb);
	if (setup != NULL)
		setup(d);
	if ((rk = rd_kafka_new(type, d, errstr, errlen)) == NULL)
		rd_kafka_conf_destroy(d);	/* ours unless rd_kafka_new took it */
	return rk;
}

rdk_client_t *
rdk_client_new(rd_kafka_type_t type, const rd_kafka_conf_t *conf,
	const rdk_client_cb_t *cb, void *owner,
	void (*setup)(rd_kafka_conf_t *), char *errstr, size_t errlen)
{
	rdk_client_t *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		snprintf(errstr, errlen, "out of memory");
		return NULL;
	}
	if (cb != NULL)
		c->cb = *cb;
	c->owner = owner;
	pthread_mutex_init(&c->loglock, NULL);
	if ((c->rk = open_handle(c, type, conf, setup, errstr, errlen)) == NULL) {
		pthread_mutex_destroy(&c->loglock);
		free(c);
		return NULL;
	}
	return c;
}

int
rdk_client_reopen(rdk_client_t *c, rd_kafka_type_t type, const rd_kafka_conf_t *conf,
	void (*setup)(rd_kafka_conf_t *), char *errstr, size_t errlen)
{
	rd_kafka_t *rk = open_handle(c, type, conf, setup, errstr, errlen);

	if (rk == NULL)
		return -1;
	rd_kafka_destroy(c->rk);
	c->rk = rk;
	c->fatal = 0;
	c->brokers_down = 0;
	return 0;
}

void
rdk_client_destroy(rdk_client_t *c)
{
	if (c == NULL)
		return;
	if (c->rk != NULL)
		rd_kafka_destroy(c->rk);
	pthread_mutex_destroy(&c->loglock);
	free(c);
}

static long
topic_get(rd_kafka_topic_conf_t *tconf, const char *name, long dflt)
{
	char v[32];
	size_t sz = sizeof(v);
	long x = dflt;

	if (rd_kafka_topic_conf_get(tconf, name, v, &sz) == RD_KAFKA_CONF_OK)
		rkv_parse_long(v, -1, 0x7fffffff, &x);
	return x;
}

rd_kafka_conf_t *
rdk_conf_build(const struct rdk_kvlist *props, const struct rdk_kvlist *tprops,
	rdk_conf_info_t *info, char *errstr, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();

	if (rdk_conf_apply(conf, tconf, props, errstr, errlen) != RDK_OK ||
	    (tprops != NULL && rdk_topic_conf_apply(tconf, tprops, errstr, errlen) != RDK_OK)) {
		rd_kafka_topic_conf_destroy(tconf);
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	if (info != NULL) {
		info->msg_timeout_ms = topic_get(tconf, "message.timeout.ms", 300000);
		if (info->msg_timeout_ms <= 0)
			info->msg_timeout_ms = 0x7fffffff;
		info->acks = (int)topic_get(tconf, "request.required.acks", -1);
	}
	rd_kafka_conf_set_default_topic_conf(conf, tconf);
	return conf;
}
