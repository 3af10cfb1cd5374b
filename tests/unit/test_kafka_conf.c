/* Unit tests of kafka_conf: key=value parsing, validation through
 * librdkafka (unknown property, bad value, topic property), redaction of
 * secrets in every error message, first-class option translation. */
#include "rkv_config.h"
#include <stdlib.h>
#include "kafka_conf.h"
#include "producer.h"
#include "unit.h"

static rdk_res_t
apply_one(const char *kv, char *err, size_t errlen)
{
	rdk_kvlist_t l;
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	rd_kafka_topic_conf_t *t = rd_kafka_topic_conf_new();
	rdk_res_t r;

	rdk_kvlist_init(&l);
	r = rdk_kvlist_add_kv(&l, kv, "confParam", err, errlen);
	if (r == RDK_OK)
		r = rdk_conf_apply(c, t, &l, err, errlen);
	rdk_kvlist_free(&l);
	rd_kafka_conf_destroy(c);
	rd_kafka_topic_conf_destroy(t);
	return r;
}

static void
test_parse(void)
{
	rdk_kvlist_t l;
	char err[256];

	rdk_kvlist_init(&l);
	CHECK(rdk_kvlist_add_kv(&l, " linger.ms = 5 ", "confParam", err, sizeof(err)) == RDK_OK);
	CHECK(rdk_kvlist_add_kv(&l, "sasl.jaas=a=b=c", "confParam", err, sizeof(err)) == RDK_OK);
	CHECK_STR(rdk_kvlist_get(&l, "linger.ms"), "5");
	CHECK_STR(rdk_kvlist_get(&l, "sasl.jaas"), "a=b=c");
	CHECK(rdk_kvlist_add_kv(&l, "linger.ms=7", "confParam", err, sizeof(err)) == RDK_OK);
	CHECK_STR(rdk_kvlist_get(&l, "linger.ms"), "7");	/* last wins */
	CHECK(rdk_kvlist_add_kv(&l, "novalue", "confParam", err, sizeof(err)) == RDK_ERR_SYNTAX);
	CHECK(strstr(err, "confParam") != NULL && strstr(err, "novalue") != NULL);
	CHECK(rdk_kvlist_add_kv(&l, " =x", "confParam", err, sizeof(err)) == RDK_ERR_SYNTAX);
	/* a secret without '=' is not echoed */
	CHECK(rdk_kvlist_add_kv(&l, "sasl.passwordHunter2", "confParam", err, sizeof(err)) == RDK_ERR_SYNTAX);
	CHECK(strstr(err, "Hunter2") == NULL);
	rdk_kvlist_free(&l);
}

static void
test_validate(void)
{
	char err[512];

	CHECK(apply_one("linger.ms=5", err, sizeof(err)) == RDK_OK);
	CHECK(apply_one("lingr.ms=5", err, sizeof(err)) == RDK_ERR_UNKNOWN);
	CHECK(strstr(err, "lingr.ms") != NULL && strstr(err, "confParam") != NULL);
	CHECK(apply_one("linger.ms=soon", err, sizeof(err)) == RDK_ERR_INVALID);
	CHECK(strstr(err, "linger.ms") != NULL && strstr(err, "soon") != NULL);
	CHECK(apply_one("compression.codec=bogus", err, sizeof(err)) == RDK_ERR_INVALID);
	/* topic-level property on the global list lands in the topic conf */
	CHECK(apply_one("request.required.acks=-1", err, sizeof(err)) == RDK_OK);
	/* secrets never appear in errors, even when librdkafka quotes them */
	CHECK(apply_one("ssl.key.password=", err, sizeof(err)) == RDK_OK ||
	      strstr(err, "ssl.key.password") != NULL);
	CHECK(rdk_conf_is_secret("sasl.password"));
	CHECK(rdk_conf_is_secret("ssl.key.password"));
	CHECK(rdk_conf_is_secret("ssl.key.pem"));
	CHECK(rdk_conf_is_secret("sasl.oauthbearer.client.secret"));
	CHECK(!rdk_conf_is_secret("bootstrap.servers"));
}

static void
test_conn(void)
{
	rdk_conn_opts_t o;
	rdk_kvlist_t l;
	char err[256];
	int weak = 0;

	memset(&o, 0, sizeof(o));
	o.brokers = "a:1,b:2";
	o.tls = -1;
	o.tls_verify = 1;
	o.tls_cafile = "/etc/ca.crt";
	o.sasl_username = "u";
	o.sasl_password = "Hunter2";
	rdk_kvlist_init(&l);
	CHECK(rdk_conn_opts_to_kv(&o, &l, &weak, err, sizeof(err)) == RDK_OK);
	CHECK_STR(rdk_kvlist_get(&l, "bootstrap.servers"), "a:1,b:2");
	CHECK_STR(rdk_kvlist_get(&l, "security.protocol"), "sasl_ssl");
	CHECK_STR(rdk_kvlist_get(&l, "ssl.ca.location"), "/etc/ca.crt");
	CHECK_STR(rdk_kvlist_get(&l, "sasl.mechanisms"), "PLAIN");
#ifdef RDK_HAVE_SSL_VERIFY_PROPS
	CHECK_STR(rdk_kvlist_get(&l, "ssl.endpoint.identification.algorithm"), "https");
	CHECK(weak == 0);
#endif
	rdk_kvlist_free(&l);

	/* no TLS file, no SASL: plaintext, nothing added */
	memset(&o, 0, sizeof(o));
	o.brokers = "a:1";
	o.tls = -1;
	rdk_kvlist_init(&l);
	CHECK(rdk_conn_opts_to_kv(&o, &l, &weak, err, sizeof(err)) == RDK_OK);
	CHECK(rdk_kvlist_get(&l, "security.protocol") == NULL);
	rdk_kvlist_free(&l);

	/* SASL user without password is a config error that names both */
	o.sasl_username = "u";
	rdk_kvlist_init(&l);
	CHECK(rdk_conn_opts_to_kv(&o, &l, &weak, err, sizeof(err)) == RDK_ERR_INVALID);
	CHECK(strstr(err, "sasl.password") != NULL);
	rdk_kvlist_free(&l);
}

/* What librdkafka itself says of the built configuration: acks, idempotence
 * and message.timeout.ms as the user's last word decides them. */
static rd_kafka_conf_t *
build(rdk_producer_opts_t *o, const char *conf_kv, const char *topic_kv,
	rdk_conf_info_t *info)
{
	rdk_kvlist_t p, t;
	rd_kafka_conf_t *c;
	char err[256];
	int weak;

	rdk_kvlist_init(&p);
	rdk_kvlist_init(&t);
	CHECK(rdk_producer_props(o, &p, &weak, err, sizeof(err)) == RDK_OK);
	if (conf_kv)
		CHECK(rdk_kvlist_add_kv(&p, conf_kv, "confParam", err, sizeof(err)) == RDK_OK);
	if (topic_kv)
		CHECK(rdk_kvlist_add_kv(&t, topic_kv, "topicConfParam", err, sizeof(err)) == RDK_OK);
	c = rdk_producer_conf(&p, &t, info, err, sizeof(err));
	CHECK(c != NULL);
	rdk_kvlist_free(&p);
	rdk_kvlist_free(&t);
	return c;
}

static int
idempotent(rd_kafka_conf_t *c)
{
	char v[16];
	size_t sz = sizeof(v);

	return rd_kafka_conf_get(c, "enable.idempotence", v, &sz) == RD_KAFKA_CONF_OK &&
		strcmp(v, "true") == 0;
}

static void
test_producer_props(void)
{
	rdk_producer_opts_t o;
	rdk_conf_info_t info;
	rd_kafka_conf_t *c;
	rdk_kvlist_t p;
	char err[256];
	int weak;
	size_t i;
	static const char *const tmo[] = { "message.timeout.ms=5000",
#ifdef RDK_HAVE_DELIVERY_TIMEOUT
		"delivery.timeout.ms=5000",
#endif
	};

	memset(&o, 0, sizeof(o));
	o.conn.brokers = "k:9092";
	o.conn.tls = -1;
	o.compression = "gzip";
	rdk_kvlist_init(&p);
	CHECK(rdk_producer_props(&o, &p, &weak, err, sizeof(err)) == RDK_OK);
	CHECK_STR(rdk_kvlist_get(&p, "compression.codec"), "gzip");
	CHECK_STR(rdk_kvlist_get(&p, "request.required.acks"), "-1");
	rdk_kvlist_free(&p);

	c = build(&o, NULL, NULL, &info);
	CHECK(info.acks == -1 && info.msg_timeout_ms == 30000);
#ifdef RDK_HAVE_IDEMPOTENCE
	CHECK(idempotent(c));
#endif
	rd_kafka_conf_destroy(c);
	/* confParam acks=1 wins over the first-class default (it used to be
	 * overridden silently by the topic default) and idempotence stays off */
	c = build(&o, "acks=1", NULL, &info);
	CHECK(info.acks == 1 && !idempotent(c));
	rd_kafka_conf_destroy(c);
	/* a topic property in confParam reaches the topic configuration, and
	 * so does its alias (delivery.timeout.ms: librdkafka 1.0.0) */
	for (i = 0; i < sizeof(tmo) / sizeof(tmo[0]); i++) {
		c = build(&o, tmo[i], NULL, &info);
		CHECK(info.msg_timeout_ms == 5000);
		rd_kafka_conf_destroy(c);
		c = build(&o, tmo[i], "message.timeout.ms=0", &info);
		CHECK(info.msg_timeout_ms == 0x7fffffff);
		rd_kafka_conf_destroy(c);
	}
#ifdef RDK_HAVE_IDEMPOTENCE
	/* the user decides about idempotence */
	c = build(&o, "enable.idempotence=false", NULL, &info);
	CHECK(info.acks == -1 && !idempotent(c));
	rd_kafka_conf_destroy(c);
#endif
	o.acks = "1";
	c = build(&o, NULL, NULL, &info);
	CHECK(info.acks == 1 && !idempotent(c));
	rd_kafka_conf_destroy(c);
}

int
main(void)
{
	test_producer_props();
	test_parse();
	test_validate();
	test_conn();
	return unit_done("test_kafka_conf");
}
