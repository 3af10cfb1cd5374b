/* kafka_conf.c: property lists, validation through librdkafka's own
 * rd_kafka_conf_set(), secret redaction (see kafka_conf.h).
 * Thread use: config-load thread; no locks, no global state.
 */
#include "rkv_config.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kafka_conf.h"
#include "rkv_util.h"

void
rdk_kvlist_init(rdk_kvlist_t *l)
{
	l->kv = NULL;
	l->n = 0;
	l->cap = 0;
}

void
rdk_kvlist_free(rdk_kvlist_t *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->kv[i].key);
		if (l->kv[i].val != NULL) {
			/* secrets should not linger in freed heap memory */
			memset(l->kv[i].val, 0, strlen(l->kv[i].val));
			free(l->kv[i].val);
		}
	}
	free(l->kv);
	rdk_kvlist_init(l);
}

rdk_res_t
rdk_kvlist_add(rdk_kvlist_t *l, const char *key, const char *val, const char *origin)
{
	rdk_kv_t *nkv;
	char *k, *v;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		if ((nkv = realloc(l->kv, ncap * sizeof(*nkv))) == NULL)
			return RDK_ERR_NOMEM;
		l->kv = nkv;
		l->cap = ncap;
	}
	k = strdup(key);
	v = strdup(val);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return RDK_ERR_NOMEM;
	}
	l->kv[l->n].key = k;
	l->kv[l->n].val = v;
	l->kv[l->n].origin = origin;
	l->n++;
	return RDK_OK;
}

/* Trims [*b, *e) of surrounding white space. */
static void
trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

rdk_res_t
rdk_kvlist_add_kv(rdk_kvlist_t *l, const char *kv, const char *origin,
	char *errstr, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	const char *kb = kv, *ke, *vb, *ve;
	char *key, *val;
	rdk_res_t r;

	if (eq == NULL) {
		snprintf(errstr, errlen, "%s: \"%.64s\" is not of the form key=value",
			origin, rdk_conf_is_secret(kv) ? "(redacted)" : kv);
		return RDK_ERR_SYNTAX;
	}
	ke = eq;
	vb = eq + 1;
	ve = eq + strlen(eq);
	trim(&kb, &ke);
	trim(&vb, &ve);
	if (kb == ke) {
		snprintf(errstr, errlen, "%s: empty property name in key=value", origin);
		return RDK_ERR_SYNTAX;
	}
	key = strndup(kb, (size_t)(ke - kb));
	val = strndup(vb, (size_t)(ve - vb));
	if (key == NULL || val == NULL) {
		free(key);
		free(val);
		return RDK_ERR_NOMEM;
	}
	r = rdk_kvlist_add(l, key, val, origin);
	memset(val, 0, strlen(val));
	free(key);
	free(val);
	return r;
}

const char *
rdk_kvlist_get(const rdk_kvlist_t *l, const char *key)
{
	size_t i = l->n;

	while (i-- > 0)
		if (strcmp(l->kv[i].key, key) == 0)
			return l->kv[i].val;
	return NULL;
}

rdk_res_t
rdk_kvlist_copy(rdk_kvlist_t *dst, const rdk_kvlist_t *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (rdk_kvlist_add(dst, src->kv[i].key, src->kv[i].val,
				   src->kv[i].origin) != RDK_OK)
			return RDK_ERR_NOMEM;
	return RDK_OK;
}

int
rdk_conf_is_secret(const char *key)
{
	static const char *const pat[] = {
		"password", "secret", "key.pem", "oauthbearer.config",
		"sasl.jaas", "keystore", "credential", NULL
	};
	int i;

	for (i = 0; pat[i] != NULL; i++)
		if (strstr(key, pat[i]) != NULL)
			return 1;
	return 0;
}

/* Reports a rd_kafka_conf_set() failure without ever echoing a secret:
 * librdkafka's own message quotes the value, so it is replaced for secrets. */
static rdk_res_t
conf_error(rd_kafka_conf_res_t res, const rdk_kv_t *kv, const char *kerr,
	char *errstr, size_t errlen)
{
	const char *origin = kv->origin ? kv->origin : "property";

	if (res == RD_KAFKA_CONF_UNKNOWN) {
		snprintf(errstr, errlen, "%s: unknown librdkafka property \"%s\"",
			origin, kv->key);
		return RDK_ERR_UNKNOWN;
	}
	if (rdk_conf_is_secret(kv->key))
		snprintf(errstr, errlen, "%s: invalid value for librdkafka property \"%s\"",
			origin, kv->key);
	else
		snprintf(errstr, errlen, "%s: invalid value \"%s\" for librdkafka "
			"property \"%s\": %s", origin, kv->val, kv->key, kerr);
	return RDK_ERR_INVALID;
}

/* Consumer properties whose names librdkafka also knows at topic level,
 * as the legacy simple consumer's (and warns about there): global. */
static int
global_first(const char *key)
{
	return !strcmp(key, "enable.auto.commit") ||
		!strcmp(key, "auto.commit.interval.ms");
}

rdk_res_t
rdk_conf_apply(rd_kafka_conf_t *conf, rd_kafka_topic_conf_t *tconf,
	const rdk_kvlist_t *l, char *errstr, size_t errlen)
{
	char kerr[512];
	size_t i;
	rd_kafka_conf_res_t res;

	for (i = 0; i < l->n; i++) {
		const rdk_kv_t *kv = &l->kv[i];

		kerr[0] = '\0';
		/* Topic-level properties (message.timeout.ms, acks, ...) go to
		 * the topic conf: librdkafka would accept them on the global
		 * conf too, but rd_kafka_conf_set_default_topic_conf() later
		 * replaces them there. */
		res = RD_KAFKA_CONF_UNKNOWN;
		if (tconf != NULL && !global_first(kv->key))
			res = rd_kafka_topic_conf_set(tconf, kv->key, kv->val,
				kerr, sizeof(kerr));
		if (res == RD_KAFKA_CONF_UNKNOWN)
			res = rd_kafka_conf_set(conf, kv->key, kv->val, kerr, sizeof(kerr));
		if (res != RD_KAFKA_CONF_OK)
			return conf_error(res, kv, kerr, errstr, errlen);
	}
	return RDK_OK;
}

rdk_res_t
rdk_topic_conf_apply(rd_kafka_topic_conf_t *tconf, const rdk_kvlist_t *l,
	char *errstr, size_t errlen)
{
	char kerr[512];
	size_t i;
	rd_kafka_conf_res_t res;

	for (i = 0; i < l->n; i++) {
		kerr[0] = '\0';
		res = rd_kafka_topic_conf_set(tconf, l->kv[i].key, l->kv[i].val,
			kerr, sizeof(kerr));
		if (res != RD_KAFKA_CONF_OK)
			return conf_error(res, &l->kv[i], kerr, errstr, errlen);
	}
	return RDK_OK;
}

static rdk_res_t
add_tls(const rdk_conn_opts_t *o, rdk_kvlist_t *l, int *weak_verify)
{
	rdk_res_t r = RDK_OK;

	if (o->tls_cafile && r == RDK_OK)
		r = rdk_kvlist_add(l, "ssl.ca.location", o->tls_cafile, "tls.cafile");
	if (o->tls_certfile && r == RDK_OK)
		r = rdk_kvlist_add(l, "ssl.certificate.location", o->tls_certfile, "tls.certfile");
	if (o->tls_keyfile && r == RDK_OK)
		r = rdk_kvlist_add(l, "ssl.key.location", o->tls_keyfile, "tls.keyfile");
	if (o->tls_keypass && r == RDK_OK)
		r = rdk_kvlist_add(l, "ssl.key.password", o->tls_keypass, "tls.keypassword");
#ifdef RDK_HAVE_SSL_VERIFY_PROPS
	if (r == RDK_OK)
		r = rdk_kvlist_add(l, "enable.ssl.certificate.verification",
			o->tls_verify ? "true" : "false", "tls.verify");
	if (r == RDK_OK)
		r = rdk_kvlist_add(l, "ssl.endpoint.identification.algorithm",
			o->tls_verify ? "https" : "none", "tls.verify");
	*weak_verify = 0;
#else
	/* old librdkafka verifies the chain when a CA is set, never the name */
	*weak_verify = o->tls_verify;
#endif
	return r;
}

rdk_res_t
rdk_conn_opts_to_kv(const rdk_conn_opts_t *o, rdk_kvlist_t *l,
	int *weak_verify, char *errstr, size_t errlen)
{
	int tls = o->tls;
	int sasl = o->sasl_mechanism != NULL || o->sasl_username != NULL;
	rdk_res_t r = RDK_OK;

	*weak_verify = 0;
	if (tls < 0)
		tls = o->tls_cafile || o->tls_certfile || o->tls_keyfile;
	if (sasl && (o->sasl_username == NULL || o->sasl_password == NULL) &&
	    (o->sasl_mechanism == NULL || strcmp(o->sasl_mechanism, "GSSAPI") != 0)) {
		snprintf(errstr, errlen, "sasl.username and sasl.password are "
			"both required for SASL mechanism %s",
			o->sasl_mechanism ? o->sasl_mechanism : "PLAIN");
		return RDK_ERR_INVALID;
	}
	if (o->brokers && *o->brokers)
		r = rdk_kvlist_add(l, "bootstrap.servers", o->brokers, "broker");
	if (r == RDK_OK && (tls || sasl))
		r = rdk_kvlist_add(l, "security.protocol",
			tls ? (sasl ? "sasl_ssl" : "ssl") : "sasl_plaintext", "tls");
	if (r == RDK_OK && tls)
		r = add_tls(o, l, weak_verify);
	if (r == RDK_OK && sasl)
		r = rdk_kvlist_add(l, "sasl.mechanisms",
			o->sasl_mechanism ? o->sasl_mechanism : "PLAIN", "sasl.mechanism");
	if (r == RDK_OK && o->sasl_username)
		r = rdk_kvlist_add(l, "sasl.username", o->sasl_username, "sasl.username");
	if (r == RDK_OK && o->sasl_password)
		r = rdk_kvlist_add(l, "sasl.password", o->sasl_password, "sasl.password");
	if (r != RDK_OK)
		snprintf(errstr, errlen, "out of memory");
	return r;
}
