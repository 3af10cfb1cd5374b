/* omrdkafka.c: rsyslog output module "omrdkafka": batches from rsyslog are
 * produced to Kafka as transactions that commit only when Kafka has
 * acknowledged every message (plugins/common/producer.c does the work).
 * This file is rsyslog glue only: parameter table, instance/worker
 * lifecycle, transactions, impstats counters, error reporting.
 *
 * Threads: rsyslog calls the config entry points from its main thread and
 * commitTransaction/tryResume/worker create+free from action worker
 * threads. Each worker owns its own producer; shared per-action state is
 * read-only after config load except the statsobj counters (atomic
 * rsyslog macros) and the error/stats files (rdk_errfile_t has a mutex).
 */
#include "config.h"
#include "rsyslog.h"
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include "conf.h"
#include "syslogd-types.h"
#include "srUtils.h"
#include "template.h"
#include "module-template.h"
#include "errmsg.h"
#include "glbl.h"
#include "rsconf.h"
#include "statsobj.h"
#include "parserif.h"
#include "rsyslog_compat.h"
#include "kafka_conf.h"
#include "producer.h"
#include "errfile.h"
#include "rdk_util.h"

MODULE_TYPE_OUTPUT
MODULE_TYPE_NOKEEP
MODULE_CNFNAME("omrdkafka")

DEF_OMOD_STATIC_DATA
DEFobjCurrIf(glbl)
DEFobjCurrIf(statsobj)
RKV_ERRMSG_DEF

#define OMR_QUEUE_WAIT_MS 5000		/* librdkafka queue full: wait this long */
#define OMR_DOWN_GRACE_MS 5000		/* all brokers down: suspend after this */
#define OMR_PROBE_TIMEOUT_MS 5000	/* tryResume metadata probe */

enum {
#define RKV_PARAM(id, name, type, dflt, descr) P_##id,
#include "omrdkafka_params.h"
#undef RKV_PARAM
	P_COUNT
};

static struct cnfparamdescr actpdescr[] = {
#define RKV_PARAM(id, name, type, dflt, descr) { name, type, 0 },
#include "omrdkafka_params.h"
#undef RKV_PARAM
};
static struct cnfparamblk actpblk = {
	CNFPARAMBLK_VERSION, sizeof(actpdescr) / sizeof(struct cnfparamdescr), actpdescr
};

typedef struct omr_stats {
	statsobj_t *obj;
	STATSCOUNTER_DEF(submitted, mutSubmitted)
	STATSCOUNTER_DEF(acked, mutAcked)
	STATSCOUNTER_DEF(failed, mutFailed)
	STATSCOUNTER_DEF(failedTooLarge, mutFailedTooLarge)
	STATSCOUNTER_DEF(failedTopic, mutFailedTopic)
	STATSCOUNTER_DEF(failedAuth, mutFailedAuth)
	STATSCOUNTER_DEF(failedOther, mutFailedOther)
	STATSCOUNTER_DEF(retries, mutRetries)
	STATSCOUNTER_DEF(lateAcks, mutLateAcks)
	STATSCOUNTER_DEF(batches, mutBatches)
	STATSCOUNTER_DEF(latencySum, mutLatencySum)
	STATSCOUNTER_DEF(errfileLines, mutErrfileLines)
} omr_stats_t;

typedef struct _instanceData {
	char *topic;		/* static topic or topic template name */
	char *key;		/* static key or key template name */
	char *tplName;
	int dynaTopic, dynaKey;
	int partAuto;		/* -1: unset */
	int partNumber;		/* 0: unset */
	int partFixed;		/* -1: unset */
	int closeTimeout;
	int reopenOnHup;
	int64_t waitMaxMs;	/* message.timeout.ms + margin: every report is due */
	int nTpls, tplTopic, tplKey;
	rdk_kvlist_t props, tprops;
	rdk_header_t *hdrs;
	size_t nhdrs;
	char *statsName;
	rdk_errfile_t *errFile;
	rdk_errfile_t *statsFile;
	omr_stats_t st;
	unsigned rrPartition;	/* round-robin cursor (__sync) */
} instanceData;

typedef struct wrkrInstanceData {
	instanceData *pData;
	rdk_producer_t *prod;
	int suspended;		/* for one log line per episode */
	rdk_buf_t rec;
} wrkrInstanceData_t;

/* ---- configuration ------------------------------------------------------ */

static void
omr_free_headers(instanceData *pData)
{
	size_t i;

	for (i = 0; i < pData->nhdrs; i++) {
		free((char *)pData->hdrs[i].name);
		free((char *)pData->hdrs[i].value);
	}
	free(pData->hdrs);
	pData->hdrs = NULL;
	pData->nhdrs = 0;
}

static char *
omr_str(struct cnfparamvals *pv)
{
	return es_str2cstr(pv->val.d.estr, NULL);
}

/* "a","b,c" -> "a,b,c" */
static char *
omr_join_array(struct cnfarray *ar)
{
	rdk_buf_t b;
	int i;

	rdk_buf_init(&b);
	for (i = 0; i < ar->nmemb; i++) {
		char *s = es_str2cstr(ar->arr[i], NULL);
		if (s == NULL || (b.len && rdk_buf_puts(&b, ",") != 0) || rdk_buf_puts(&b, s) != 0) {
			free(s);
			rdk_buf_free(&b);
			return NULL;
		}
		free(s);
	}
	if (rdk_buf_nul(&b) != 0) {
		rdk_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static rsRetVal
omr_add_kv_array(struct cnfarray *ar, rdk_kvlist_t *l, const char *origin)
{
	char errstr[512];
	int i;
	DEFiRet;

	for (i = 0; i < ar->nmemb; i++) {
		char *s = es_str2cstr(ar->arr[i], NULL);
		rdk_res_t r;
		CHKmalloc(s);
		r = rdk_kvlist_add_kv(l, s, origin, errstr, sizeof(errstr));
		free(s);
		if (r == RDK_ERR_NOMEM)
			ABORT_FINALIZE(RS_RET_OUT_OF_MEMORY);
		if (r != RDK_OK) {
			parser_errmsg("omrdkafka: %s", errstr);
			ABORT_FINALIZE(RS_RET_CONF_PARAM_INVLD);
		}
	}
finalize_it:
	RETiRet;
}

static rsRetVal
omr_set_headers(instanceData *pData, struct cnfarray *ar)
{
	rdk_kvlist_t l;
	size_t i;
	DEFiRet;

	rdk_kvlist_init(&l);
	CHKiRet(omr_add_kv_array(ar, &l, "kafkaHeader"));
	CHKmalloc(pData->hdrs = calloc(l.n ? l.n : 1, sizeof(*pData->hdrs)));
	for (i = 0; i < l.n; i++) {
		pData->hdrs[i].name = l.kv[i].key;
		pData->hdrs[i].value = l.kv[i].val;
		l.kv[i].key = l.kv[i].val = NULL;
		pData->nhdrs++;
	}
finalize_it:
	rdk_kvlist_free(&l);
	RETiRet;
}

/* Scratch values of first-class options until the property list is built. */
typedef struct omr_opts {
	rdk_conn_opts_t conn;
	char *strs[P_COUNT];	/* owned strings by parameter index */
	int tls, tlsVerify;
	struct cnfarray *confParam, *topicConfParam;
} omr_opts_t;

static omr_opts_t omr_o;	/* config load is single-threaded */

static rsRetVal
omr_set_one(instanceData *pData, int i, struct cnfparamvals *pv)
{
	DEFiRet;

	switch (i) {
	case P_BROKER: CHKmalloc(omr_o.strs[i] = omr_join_array(pv->val.d.ar)); break;
	case P_DYNATOPIC: pData->dynaTopic = (int)pv->val.d.n; break;
	case P_DYNAKEY: pData->dynaKey = (int)pv->val.d.n; break;
	case P_PART_AUTO: pData->partAuto = (int)pv->val.d.n; break;
	case P_PART_NUMBER: pData->partNumber = (int)pv->val.d.n; break;
	case P_PART_FIXED: pData->partFixed = (int)pv->val.d.n; break;
	case P_CONFPARAM: omr_o.confParam = pv->val.d.ar; break;
	case P_TOPICCONFPARAM: omr_o.topicConfParam = pv->val.d.ar; break;
	case P_KAFKAHEADER: CHKiRet(omr_set_headers(pData, pv->val.d.ar)); break;
	case P_CLOSETIMEOUT: pData->closeTimeout = (int)pv->val.d.n; break;
	case P_REOPENONHUP: pData->reopenOnHup = (int)pv->val.d.n; break;
	case P_TLS: omr_o.tls = (int)pv->val.d.n; break;
	case P_TLS_VERIFY: omr_o.tlsVerify = (int)pv->val.d.n; break;
	case P_DYNATOPIC_CACHE:
		break;
	case P_RESUBMIT: case P_KEEPFAILED: case P_FAILEDMSGFILE:
		LogMsg(0, RS_RET_OK, LOG_INFO, "omrdkafka: parameter '%s' has no "
			"effect: unacknowledged messages stay in rsyslog's queue",
			actpdescr[i].name);
		break;
	default:	/* every other parameter is a plain string */
		CHKmalloc(omr_o.strs[i] = omr_str(pv));
	}
finalize_it:
	RETiRet;
}

static rsRetVal
omr_set_params(instanceData *pData, struct cnfparamvals *pvals)
{
	int i;
	DEFiRet;

	memset(&omr_o, 0, sizeof(omr_o));
	omr_o.tls = -1;
	omr_o.tlsVerify = 1;
	for (i = 0; i < actpblk.nParams; i++) {
		if (pvals[i].bUsed)
			CHKiRet(omr_set_one(pData, i, &pvals[i]));
	}
	pData->topic = omr_o.strs[P_TOPIC];
	pData->key = omr_o.strs[P_KEY];
	pData->tplName = omr_o.strs[P_TEMPLATE];
	pData->statsName = omr_o.strs[P_STATSNAME];
	omr_o.strs[P_TOPIC] = omr_o.strs[P_KEY] = NULL;
	omr_o.strs[P_TEMPLATE] = omr_o.strs[P_STATSNAME] = NULL;
finalize_it:
	RETiRet;
}

static void
omr_opts_free(void)
{
	int i;

	for (i = 0; i < P_COUNT; i++) {
		if (omr_o.strs[i] != NULL)
			memset(omr_o.strs[i], 0, strlen(omr_o.strs[i]));
		free(omr_o.strs[i]);
	}
	memset(&omr_o, 0, sizeof(omr_o));
}

/* Producer defaults and first-class options (core), confParam last: the
 * user's explicit librdkafka properties win. */
static rsRetVal
omr_build_props(instanceData *pData)
{
	char **s = omr_o.strs, errstr[512];
	rdk_producer_opts_t o;
	int weak = 0;
	DEFiRet;

	memset(&o, 0, sizeof(o));
	o.conn.brokers = s[P_BROKER];
	o.conn.tls = omr_o.tls;
	o.conn.tls_verify = omr_o.tlsVerify;
	o.conn.tls_cafile = s[P_TLS_CAFILE];
	o.conn.tls_certfile = s[P_TLS_CERTFILE];
	o.conn.tls_keyfile = s[P_TLS_KEYFILE];
	o.conn.tls_keypass = s[P_TLS_KEYPASS];
	o.conn.sasl_mechanism = s[P_SASL_MECH];
	o.conn.sasl_username = s[P_SASL_USER];
	o.conn.sasl_password = s[P_SASL_PASS];
	o.compression = s[P_COMPRESSION];
	o.acks = s[P_ACKS];
	if (rdk_producer_props(&o, &pData->props, &pData->tprops, &weak,
			errstr, sizeof(errstr)) != RDK_OK) {
		parser_errmsg("omrdkafka: %s", errstr);
		ABORT_FINALIZE(RS_RET_CONF_PARAM_INVLD);
	}
	if (weak)
		LogMsg(0, RS_RET_OK, LOG_WARNING, "omrdkafka: librdkafka %s cannot verify "
			"broker host names (needs >= 1.1.0): only the certificate chain "
			"is checked", rd_kafka_version_str());
	if (omr_o.confParam)
		CHKiRet(omr_add_kv_array(omr_o.confParam, &pData->props, "confParam"));
	if (omr_o.topicConfParam)
		CHKiRet(omr_add_kv_array(omr_o.topicConfParam, &pData->tprops, "topicConfParam"));
finalize_it:
	RETiRet;
}

/* Asks librdkafka itself whether every property and value is valid, so a
 * typo fails rsyslogd -N1 instead of the first produce. */
static rsRetVal
omr_validate_props(instanceData *pData)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
	char errstr[512];
	DEFiRet;

	if (rdk_conf_apply(conf, tconf, &pData->props, errstr, sizeof(errstr)) != RDK_OK ||
	    rdk_topic_conf_apply(tconf, &pData->tprops, errstr, sizeof(errstr)) != RDK_OK) {
		parser_errmsg("omrdkafka: %s", errstr);
		iRet = RS_RET_CONF_PARAM_INVLD;
	}
	rd_kafka_topic_conf_destroy(tconf);
	rd_kafka_conf_destroy(conf);
	RETiRet;
}

static rsRetVal
omr_default_errfile(instanceData *pData)
{
	const uchar *wd = RKV_GET_WORKDIR();
	rdk_buf_t b;
	DEFiRet;

	if (omr_o.strs[P_ERRORFILE] != NULL) {
		CHKmalloc(pData->errFile = rdk_errfile_new(omr_o.strs[P_ERRORFILE]));
		FINALIZE;
	}
	if (wd == NULL) {
		parser_errmsg("omrdkafka: errorFile is not set and there is no global "
			"workDirectory: messages Kafka rejects permanently would have "
			"nowhere to go; set errorFile=\"...\" or global(workDirectory=...) "
			"before this action");
		ABORT_FINALIZE(RS_RET_CONF_PARAM_INVLD);
	}
	rdk_buf_init(&b);
	if (rdk_buf_printf(&b, "%s/omrdkafka-errors.json", (const char *)wd) != 0 ||
	    (pData->errFile = rdk_errfile_new(b.data)) == NULL) {
		rdk_buf_free(&b);
		ABORT_FINALIZE(RS_RET_OUT_OF_MEMORY);
	}
	rdk_buf_free(&b);
finalize_it:
	RETiRet;
}

static rsRetVal
omr_check_and_build(instanceData *pData)
{
	DEFiRet;

	if (pData->topic == NULL || *pData->topic == '\0') {
		parser_errmsg("omrdkafka: parameter 'topic' is required");
		ABORT_FINALIZE(RS_RET_MISSING_CNFPARAMS);
	}
	CHKiRet(omr_build_props(pData));
	if (rdk_kvlist_get(&pData->props, "bootstrap.servers") == NULL &&
	    rdk_kvlist_get(&pData->props, "metadata.broker.list") == NULL) {
		parser_errmsg("omrdkafka: parameter 'broker' is required (or "
			"bootstrap.servers in confParam)");
		ABORT_FINALIZE(RS_RET_MISSING_CNFPARAMS);
	}
	if (pData->dynaKey && pData->key == NULL) {
		parser_errmsg("omrdkafka: dynaKey=\"on\" needs key=\"<template name>\"");
		ABORT_FINALIZE(RS_RET_MISSING_CNFPARAMS);
	}
	CHKiRet(omr_validate_props(pData));
	CHKiRet(omr_default_errfile(pData));
	/* librdkafka reports every message within message.timeout.ms */
	pData->waitMaxMs = rdk_props_msg_timeout(&pData->props, &pData->tprops) + 5000;
	if (omr_o.strs[P_STATSFILE] != NULL)
		CHKmalloc(pData->statsFile = rdk_errfile_new(omr_o.strs[P_STATSFILE]));
	if (pData->statsName == NULL) {
		rdk_buf_t b;
		rdk_buf_init(&b);
		CHKmalloc(rdk_buf_printf(&b, "omrdkafka-%s", pData->topic) == 0 ? b.data : NULL);
		pData->statsName = b.data;
	}
finalize_it:
	RETiRet;
}

static rsRetVal
omr_request_templates(instanceData *pData, omodStringRequest_t **ppOMSR)
{
	int n = 1;
	DEFiRet;

	pData->tplTopic = pData->dynaTopic ? n++ : -1;
	pData->tplKey = pData->dynaKey ? n++ : -1;
	pData->nTpls = n;
	CHKiRet(OMSRconstruct(ppOMSR, n));
	CHKiRet(OMSRsetEntry(*ppOMSR, 0, (uchar *)strdup(pData->tplName ?
		pData->tplName : "RSYSLOG_FileFormat"), OMSR_NO_RQD_TPL_OPTS));
	if (pData->dynaTopic)
		CHKiRet(OMSRsetEntry(*ppOMSR, pData->tplTopic, (uchar *)strdup(pData->topic),
			OMSR_NO_RQD_TPL_OPTS));
	if (pData->dynaKey)
		CHKiRet(OMSRsetEntry(*ppOMSR, pData->tplKey, (uchar *)strdup(pData->key),
			OMSR_NO_RQD_TPL_OPTS));
finalize_it:
	RETiRet;
}

static rsRetVal
omr_stats_init(instanceData *pData)
{
	omr_stats_t *s = &pData->st;
	DEFiRet;

	CHKiRet(statsobj.Construct(&s->obj));
	CHKiRet(statsobj.SetName(s->obj, (uchar *)pData->statsName));
	CHKiRet(statsobj.SetOrigin(s->obj, (uchar *)"omrdkafka"));
#define OMR_CTR(name, ctr, mut) \
	STATSCOUNTER_INIT(s->ctr, s->mut); \
	CHKiRet(statsobj.AddCounter(s->obj, (uchar *)name, ctrType_IntCtr, \
		CTR_FLAG_RESETTABLE, &s->ctr));
	OMR_CTR("submitted", submitted, mutSubmitted)
	OMR_CTR("acked", acked, mutAcked)
	OMR_CTR("failed", failed, mutFailed)
	OMR_CTR("failed.msg_too_large", failedTooLarge, mutFailedTooLarge)
	OMR_CTR("failed.unknown_topic", failedTopic, mutFailedTopic)
	OMR_CTR("failed.authorization", failedAuth, mutFailedAuth)
	OMR_CTR("failed.other", failedOther, mutFailedOther)
	OMR_CTR("retries", retries, mutRetries)
	OMR_CTR("duplicates.late_acks", lateAcks, mutLateAcks)
	OMR_CTR("batches", batches, mutBatches)
	OMR_CTR("batch.latency.ms.sum", latencySum, mutLatencySum)
	OMR_CTR("errorfile.lines", errfileLines, mutErrfileLines)
#undef OMR_CTR
	CHKiRet(statsobj.ConstructFinalize(s->obj));
finalize_it:
	RETiRet;
}

static void
omr_log(void *opaque, int level, const char *msg)
{
	instanceData *pData = opaque;

	LogMsg(0, RS_RET_KAFKA_ERROR, level <= LOG_ERR ? LOG_ERR : LOG_WARNING,
		"omrdkafka[%s]: %s", pData->statsName, msg);
}

static void
omr_stats_json(void *opaque, const char *json, size_t len)
{
	instanceData *pData = opaque;

	if (pData->statsFile != NULL)
		rdk_errfile_write(pData->statsFile, json, len);
}

static int
omr_shutting_down(void *opaque)
{
	(void)opaque;
	return glbl.GetGlobalInputTermState();
}

BEGINcreateInstance
CODESTARTcreateInstance
	pData->partAuto = -1;
	pData->partFixed = -1;
	pData->closeTimeout = 2000;
	pData->reopenOnHup = 1;
	rdk_kvlist_init(&pData->props);
	rdk_kvlist_init(&pData->tprops);
ENDcreateInstance

BEGINcreateWrkrInstance
	char errstr[512];
	rdk_producer_cb_t cb;
CODESTARTcreateWrkrInstance
	cb.opaque = pData;
	cb.log = omr_log;
	cb.stats = omr_stats_json;
	rdk_buf_init(&pWrkrData->rec);
	pWrkrData->prod = rdk_producer_new(&pData->props, &pData->tprops,
		pData->dynaTopic ? NULL : pData->topic, &cb, errstr, sizeof(errstr));
	if (pWrkrData->prod == NULL) {
		LogError(0, RS_RET_KAFKA_ERROR, "omrdkafka[%s]: cannot create producer: %s",
			pData->statsName, errstr);
		ABORT_FINALIZE(RS_RET_KAFKA_ERROR);
	}
finalize_it:
ENDcreateWrkrInstance

BEGINisCompatibleWithFeature
CODESTARTisCompatibleWithFeature
ENDisCompatibleWithFeature

BEGINfreeInstance
CODESTARTfreeInstance
	free(pData->topic);
	free(pData->key);
	free(pData->tplName);
	free(pData->statsName);
	omr_free_headers(pData);
	rdk_kvlist_free(&pData->props);
	rdk_kvlist_free(&pData->tprops);
	rdk_errfile_free(pData->errFile);
	rdk_errfile_free(pData->statsFile);
	if (pData->st.obj != NULL)
		statsobj.Destruct(&pData->st.obj);
ENDfreeInstance

BEGINfreeWrkrInstance
	int oldstate;
CODESTARTfreeWrkrInstance
	/* librdkafka must not be cancelled half-way (it holds locks) */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	rdk_producer_destroy(pWrkrData->prod, pWrkrData->pData->closeTimeout);
	pthread_setcancelstate(oldstate, NULL);
	rdk_buf_free(&pWrkrData->rec);
ENDfreeWrkrInstance

BEGINdbgPrintInstInfo
CODESTARTdbgPrintInstInfo
	dbgprintf("omrdkafka: topic '%s'\n", pData->topic);
ENDdbgPrintInstInfo

BEGINtryResume
	char errstr[512];
	int oldstate;
CODESTARTtryResume
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	if (rdk_producer_probe(pWrkrData->prod, pWrkrData->pData->dynaTopic ?
			NULL : pWrkrData->pData->topic, OMR_PROBE_TIMEOUT_MS,
			errstr, sizeof(errstr)) != 0) {
		if (!pWrkrData->suspended)
			LogMsg(0, RS_RET_SUSPENDED, LOG_WARNING, "omrdkafka[%s]: %s; "
				"messages stay queued", pWrkrData->pData->statsName, errstr);
		pWrkrData->suspended = 1;
		iRet = RS_RET_SUSPENDED;
	} else {
		pWrkrData->suspended = 0;
	}
	pthread_setcancelstate(oldstate, NULL);
ENDtryResume

BEGINbeginTransaction
CODESTARTbeginTransaction
ENDbeginTransaction

/* Fills m from the rendered templates of message i. */
static void
omr_msg(instanceData *pData, actWrkrIParams_t *pParams, unsigned i, rdk_msg_t *m)
{
	const actWrkrIParams_t *v = &actParam(pParams, pData->nTpls, i, 0);

	m->payload = v->param;
	m->len = v->lenStr;
	m->topic = pData->dynaTopic ?
		(char *)actParam(pParams, pData->nTpls, i, pData->tplTopic).param : NULL;
	if (pData->dynaKey) {
		const actWrkrIParams_t *k = &actParam(pParams, pData->nTpls, i, pData->tplKey);
		m->key = k->param;
		m->keylen = k->lenStr;
	} else {
		m->key = pData->key;
		m->keylen = pData->key ? strlen(pData->key) : 0;
	}
	m->hdrs = pData->hdrs;
	m->nhdrs = pData->nhdrs;
	if (pData->partFixed >= 0)
		m->partition = pData->partFixed;
	else if (pData->partAuto == 0 && pData->partNumber > 0)
		m->partition = (int32_t)(__sync_fetch_and_add(&pData->rrPartition, 1)
			% (unsigned)pData->partNumber);
	else
		m->partition = RD_KAFKA_PARTITION_UA;
}

/* ---- transactions ----------------------------------------------------------- */

static void
omr_count_failure(instanceData *pData, rd_kafka_resp_err_t err)
{
	const char *r = rdk_reason(err);
	omr_stats_t *s = &pData->st;

	/* STATSCOUNTER_* expand to bare if-statements: keep the braces */
	STATSCOUNTER_INC(s->failed, s->mutFailed);
	if (!strcmp(r, "msg_too_large")) {
		STATSCOUNTER_INC(s->failedTooLarge, s->mutFailedTooLarge);
	} else if (!strcmp(r, "unknown_topic")) {
		STATSCOUNTER_INC(s->failedTopic, s->mutFailedTopic);
	} else if (!strcmp(r, "authorization")) {
		STATSCOUNTER_INC(s->failedAuth, s->mutFailedAuth);
	} else {
		STATSCOUNTER_INC(s->failedOther, s->mutFailedOther);
	}
}

/* Writes one permanently rejected message to errorFile. -1: not written. */
static int
omr_write_failed(wrkrInstanceData_t *pWrkrData, const rdk_msg_t *m,
	rd_kafka_resp_err_t err)
{
	instanceData *pData = pWrkrData->pData;
	rdk_errrec_t r;

	memset(&r, 0, sizeof(r));
	r.module = "omrdkafka";
	r.action = pData->statsName;
	r.topic = m->topic ? m->topic : pData->topic;
	r.partition = m->partition;
	r.reason = rdk_reason(err);
	r.error = rd_kafka_err2str(err);
	r.key = m->key;
	r.keylen = m->keylen;
	r.payload = m->payload;
	r.len = m->len;
	if (rdk_errrec_json(&pWrkrData->rec, &r) != 0)
		return -1;
	return rdk_errfile_write(pData->errFile, pWrkrData->rec.data, pWrkrData->rec.len);
}

/* Every message has an outcome and none is retriable: record the failed
 * ones. If the error file cannot take them, the batch is retried instead
 * of dropping anything. */
static rsRetVal
omr_handle_failed(wrkrInstanceData_t *pWrkrData, actWrkrIParams_t *pParams,
	unsigned nParams, size_t nfailed)
{
	instanceData *pData = pWrkrData->pData;
	rd_kafka_resp_err_t first = RD_KAFKA_RESP_ERR_NO_ERROR;
	size_t first_len = 0;
	unsigned i;
	rdk_msg_t m;

	for (i = 0; i < nParams; i++) {
		const rdk_msg_state_t *st = rdk_batch_state(pWrkrData->prod, i);
		if (st->outcome != RDK_MSG_FAILED)
			continue;
		omr_msg(pData, pParams, i, &m);
		if (omr_write_failed(pWrkrData, &m, st->err) != 0) {
			LogError(errno, RS_RET_IO_ERROR, "omrdkafka[%s]: cannot write "
				"errorFile %s: keeping the batch queued", pData->statsName,
				rdk_errfile_path(pData->errFile));
			return RS_RET_SUSPENDED;
		}
		if (first == RD_KAFKA_RESP_ERR_NO_ERROR) {
			first = st->err;
			first_len = m.len;
		}
		omr_count_failure(pData, st->err);
		STATSCOUNTER_INC(pData->st.errfileLines, pData->st.mutErrfileLines);
	}
	/* never the payload here: it is in the error file */
	LogError(0, RS_RET_KAFKA_PRODUCE_ERR, "omrdkafka[%s]: %lu message(s) rejected "
		"permanently by Kafka (first: %lu bytes, %s), written to %s",
		pData->statsName, (unsigned long)nfailed, (unsigned long)first_len,
		rd_kafka_err2str(first), rdk_errfile_path(pData->errFile));
	return RS_RET_OK;
}

static void
omr_count_batch(instanceData *pData, unsigned n, const rdk_batch_res_t *res,
	uint64_t late)
{
	omr_stats_t *s = &pData->st;

	STATSCOUNTER_ADD(s->submitted, s->mutSubmitted, n);
	STATSCOUNTER_ADD(s->acked, s->mutAcked, res->acked);
	STATSCOUNTER_INC(s->batches, s->mutBatches);
	STATSCOUNTER_ADD(s->latencySum, s->mutLatencySum, (uint64_t)res->elapsed_ms);
	if (late) {
		STATSCOUNTER_ADD(s->lateAcks, s->mutLateAcks, late);
	}
}

static rsRetVal
omr_commit(wrkrInstanceData_t *pWrkrData, actWrkrIParams_t *pParams, unsigned nParams)
{
	instanceData *pData = pWrkrData->pData;
	uint64_t late0 = rdk_producer_late_acks(pWrkrData->prod);
	rdk_batch_res_t res;
	rdk_wait_t w;
	rdk_msg_t m;
	unsigned i;

	if (rdk_batch_begin(pWrkrData->prod, nParams) != RDK_OK)
		return RS_RET_SUSPENDED;
	for (i = 0; i < nParams; i++) {
		omr_msg(pData, pParams, i, &m);
		rdk_batch_produce(pWrkrData->prod, i, &m, OMR_QUEUE_WAIT_MS);
	}
	memset(&w, 0, sizeof(w));
	w.max_ms = pData->waitMaxMs;
	w.down_grace_ms = OMR_DOWN_GRACE_MS;
	w.close_ms = pData->closeTimeout;
	w.stop = omr_shutting_down;
	rdk_batch_wait(pWrkrData->prod, &w, &res);
	omr_count_batch(pData, nParams, &res,
		rdk_producer_late_acks(pWrkrData->prod) - late0);
	if (res.retry > 0) {
		STATSCOUNTER_INC(pData->st.retries, pData->st.mutRetries);
		if (!pWrkrData->suspended)
			LogMsg(0, RS_RET_SUSPENDED, LOG_WARNING, "omrdkafka[%s]: %lu of %u "
				"message(s) not acknowledged (%s); suspending, rsyslog keeps "
				"the batch and retries", pData->statsName,
				(unsigned long)res.retry, nParams, rd_kafka_err2str(res.retry_err));
		pWrkrData->suspended = 1;
		return RS_RET_SUSPENDED;
	}
	pWrkrData->suspended = 0;
	if (res.failed > 0)
		return omr_handle_failed(pWrkrData, pParams, nParams, res.failed);
	return RS_RET_OK;
}

BEGINcommitTransaction
	int oldstate;
CODESTARTcommitTransaction
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	iRet = omr_commit(pWrkrData, pParams, nParams);
	pthread_setcancelstate(oldstate, NULL);
ENDcommitTransaction

BEGINdoHUP
CODESTARTdoHUP
	if (pData->reopenOnHup) {
		if (pData->errFile != NULL)
			rdk_errfile_reopen(pData->errFile);
		if (pData->statsFile != NULL)
			rdk_errfile_reopen(pData->statsFile);
	}
ENDdoHUP

BEGINnewActInst
	struct cnfparamvals *pvals = NULL;
CODESTARTnewActInst
	if ((pvals = nvlstGetParams(lst, &actpblk, NULL)) == NULL)
		ABORT_FINALIZE(RS_RET_MISSING_CNFPARAMS);
	CHKiRet(createInstance(&pData));
	CHKiRet(omr_set_params(pData, pvals));
	CHKiRet(omr_check_and_build(pData));
	CHKiRet(omr_request_templates(pData, ppOMSR));
	CHKiRet(omr_stats_init(pData));
CODE_STD_FINALIZERnewActInst
	omr_opts_free();
	if (pvals != NULL)
		cnfparamvalsDestruct(pvals, &actpblk);
ENDnewActInst

#ifdef RKV_NEED_PARSE_SELECTOR_ACT
BEGINparseSelectorAct
CODESTARTparseSelectorAct
	(void)pData;
	ABORT_FINALIZE(RS_RET_CONFLINE_UNPROCESSED);
CODE_STD_FINALIZERparseSelectorAct
ENDparseSelectorAct
#else
NO_LEGACY_CONF_parseSelectorAct
#endif

BEGINmodExit
CODESTARTmodExit
	objRelease(statsobj, CORE_COMPONENT);
	objRelease(glbl, CORE_COMPONENT);
	RKV_ERRMSG_RELEASE();
ENDmodExit

BEGINqueryEtryPt
CODESTARTqueryEtryPt
CODEqueryEtryPt_STD_OMODTX_QUERIES
CODEqueryEtryPt_STD_OMOD8_QUERIES
CODEqueryEtryPt_STD_CONF2_OMOD_QUERIES
CODEqueryEtryPt_doHUP
ENDqueryEtryPt

BEGINmodInit()
CODESTARTmodInit
	*ipIFVersProvided = CURR_MOD_IF_VERSION;
CODEmodInit_QueryRegCFSLineHdlr
	CHKiRet(RKV_ERRMSG_USE());
	CHKiRet(objUse(glbl, CORE_COMPONENT));
	CHKiRet(objUse(statsobj, CORE_COMPONENT));
ENDmodInit
