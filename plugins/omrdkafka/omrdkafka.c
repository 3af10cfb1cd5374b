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
#include "spill.h"
#include "kstats.h"
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
#define OMR_PROBE_SHUTDOWN_MS 500	/* the same once shutdown began */

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
	STATSCOUNTER_DEF(spilled, mutSpilled)
	intctr_t rttAvgUs, throttleAvgMs, msgsQueued, brokersUp;	/* gauges */
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
	rdk_spill_t *spill;	/* <errorFile>.spill: batches kept at shutdown */
	omr_stats_t st;
	unsigned rrPartition;	/* round-robin cursor (__sync) */
} instanceData;

typedef struct wrkrInstanceData {
	instanceData *pData;
	rdk_producer_t *prod;
	int suspended;		/* for one log line per episode */
	int spilling;		/* shutdown with Kafka unreachable: spill at once */
	rdk_buf_t rec;
	rdk_msg_t *msgs;	/* the current batch, rendered */
	size_t msgsCap;
} wrkrInstanceData_t;

#include "omrdkafka_config.inc"

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
	rdk_kstats_t k;

	if (pData->statsFile != NULL)
		rdk_errfile_write(pData->statsFile, json, len);
	/* gauges: last statistics of any worker's producer wins */
	if (rdk_kstats_parse(json, len, &k) == 0) {
		pData->st.rttAvgUs = k.rtt_avg_us > 0 ? (intctr_t)k.rtt_avg_us : 0;
		pData->st.throttleAvgMs = k.throttle_avg_ms > 0 ? (intctr_t)k.throttle_avg_ms : 0;
		pData->st.msgsQueued = k.msg_cnt > 0 ? (intctr_t)k.msg_cnt : 0;
		pData->st.brokersUp = (intctr_t)k.brokers_up;
	}
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
	rdk_spill_free(pData->spill);
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
	free(pWrkrData->msgs);
ENDfreeWrkrInstance

BEGINdbgPrintInstInfo
CODESTARTdbgPrintInstInfo
	dbgprintf("omrdkafka: topic '%s'\n", pData->topic);
ENDdbgPrintInstInfo

BEGINtryResume
	char errstr[512];
	int oldstate;
CODESTARTtryResume
	if (omr_shutting_down(NULL)) {
		/* let rsyslog hand us the batch: commit spills it (see spill.h)
		 * instead of rsyslog dropping it when shutdown ends the retry */
		FINALIZE;
	}
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	/* during shutdown rsyslog keeps calling us until it gives up: answer
	 * quickly so the queue can be saved */
	if (rdk_producer_probe(pWrkrData->prod, pWrkrData->pData->dynaTopic ?
			NULL : pWrkrData->pData->topic, omr_shutting_down(NULL) ?
			OMR_PROBE_SHUTDOWN_MS : OMR_PROBE_TIMEOUT_MS,
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
finalize_it:
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
	else if (pData->partAuto != 1 && pData->partNumber > 0)
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
omr_handle_failed(wrkrInstanceData_t *pWrkrData, const rdk_msg_t *msgs,
	size_t n, size_t nfailed)
{
	instanceData *pData = pWrkrData->pData;
	const rdk_msg_state_t *first = NULL;
	size_t i, first_len = 0;

	for (i = 0; i < n; i++) {
		const rdk_msg_state_t *st = rdk_batch_state(pWrkrData->prod, i);
		if (st->outcome != RDK_MSG_FAILED)
			continue;
		if (omr_write_failed(pWrkrData, &msgs[i], st->err) != 0) {
			LogError(errno, RS_RET_IO_ERROR, "omrdkafka[%s]: cannot write "
				"errorFile %s: keeping the batch queued", pData->statsName,
				rdk_errfile_path(pData->errFile));
			return RS_RET_SUSPENDED;
		}
		if (first == NULL) {
			first = st;
			first_len = msgs[i].len;
		}
		omr_count_failure(pData, st->err);
		STATSCOUNTER_INC(pData->st.errfileLines, pData->st.mutErrfileLines);
	}
	/* never the payload here: it is in the error file */
	LogError(0, RS_RET_KAFKA_PRODUCE_ERR, "omrdkafka[%s]: %lu message(s) rejected "
		"permanently by Kafka (first: %lu bytes, %s), written to %s",
		pData->statsName, (unsigned long)nfailed, (unsigned long)first_len,
		rd_kafka_err2str(first->err), rdk_errfile_path(pData->errFile));
	return RS_RET_OK;
}

/* Shutdown while Kafka cannot acknowledge: keep the unacknowledged
 * messages of the batch in the spill file, then the commit may succeed. */
static rsRetVal
omr_spill(wrkrInstanceData_t *pWrkrData, const rdk_msg_t *msgs, size_t n,
	int all)
{
	instanceData *pData = pWrkrData->pData;
	size_t i, kept = 0;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (all || rdk_batch_state(pWrkrData->prod, i)->outcome == RDK_MSG_RETRY) {
			rc = rdk_spill_write(pData->spill, &msgs[i], 1, pData->topic);
			kept++;
		}
	}
	if (rc != 0) {
		LogError(errno, RS_RET_IO_ERROR, "omrdkafka[%s]: cannot write spill file "
			"%s at shutdown", pData->statsName, rdk_spill_path(pData->spill));
		return RS_RET_SUSPENDED;
	}
	if (!pWrkrData->spilling)
		LogMsg(0, RS_RET_OK, LOG_WARNING, "omrdkafka[%s]: shutdown while Kafka "
			"cannot acknowledge: unacknowledged messages kept in %s, sent "
			"after the next start", pData->statsName, rdk_spill_path(pData->spill));
	pWrkrData->spilling = 1;
	STATSCOUNTER_ADD(pData->st.spilled, pData->st.mutSpilled, kept);
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

static void
omr_wait_opts(instanceData *pData, rdk_wait_t *w)
{
	memset(w, 0, sizeof(*w));
	w->max_ms = pData->waitMaxMs;
	w->down_grace_ms = OMR_DOWN_GRACE_MS;
	w->close_ms = pData->closeTimeout;
	w->stop = omr_shutting_down;
}

/* Produces msgs[0..n) as one transaction and sorts out the outcome:
 * OK, failed ones to errorFile, or SUSPENDED (spilled at shutdown). */
static rsRetVal
omr_send(wrkrInstanceData_t *pWrkrData, const rdk_msg_t *msgs, size_t n)
{
	instanceData *pData = pWrkrData->pData;
	uint64_t late0 = rdk_producer_late_acks(pWrkrData->prod);
	rdk_batch_res_t res;
	rdk_wait_t w;
	size_t i;

	if (rdk_batch_begin(pWrkrData->prod, n) != RDK_OK)
		return RS_RET_SUSPENDED;
	for (i = 0; i < n; i++)
		rdk_batch_produce(pWrkrData->prod, i, &msgs[i], OMR_QUEUE_WAIT_MS);
	omr_wait_opts(pData, &w);
	rdk_batch_wait(pWrkrData->prod, &w, &res);
	omr_count_batch(pData, n, &res, rdk_producer_late_acks(pWrkrData->prod) - late0);
	if (res.retry > 0 && omr_shutting_down(NULL)) {
		if (omr_spill(pWrkrData, msgs, n, 0) != RS_RET_OK)
			return RS_RET_SUSPENDED;
	} else if (res.retry > 0) {
		STATSCOUNTER_INC(pData->st.retries, pData->st.mutRetries);
		if (!pWrkrData->suspended)
			LogMsg(0, RS_RET_SUSPENDED, LOG_WARNING, "omrdkafka[%s]: %lu of %lu "
				"message(s) not acknowledged (%s); suspending, rsyslog keeps "
				"the batch and retries", pData->statsName, (unsigned long)res.retry,
				(unsigned long)n, rd_kafka_err2str(res.retry_err));
		pWrkrData->suspended = 1;
		return RS_RET_SUSPENDED;
	}
	pWrkrData->suspended = 0;
	if (res.failed > 0)
		return omr_handle_failed(pWrkrData, msgs, n, res.failed);
	return RS_RET_OK;
}

/* Messages spilled at the last shutdown go first, as their own
 * transaction; until Kafka took them, new batches wait. */
static rsRetVal
omr_replay(wrkrInstanceData_t *pWrkrData)
{
	instanceData *pData = pWrkrData->pData;
	rdk_spill_rec_t *recs;
	rdk_msg_t *m;
	long n, i;
	rsRetVal r;

	if ((n = rdk_spill_take(pData->spill, &recs)) <= 0)
		return RS_RET_OK;	/* none, or another worker replays */
	if ((m = calloc((size_t)n, sizeof(*m))) == NULL) {
		rdk_spill_release(pData->spill, recs, n, 0);
		return RS_RET_SUSPENDED;
	}
	for (i = 0; i < n; i++) {
		m[i].topic = recs[i].topic;
		m[i].partition = recs[i].partition;
		m[i].key = recs[i].key;
		m[i].keylen = recs[i].keylen;
		m[i].payload = recs[i].payload;
		m[i].len = recs[i].len;
	}
	r = omr_send(pWrkrData, m, (size_t)n);
	if (r == RS_RET_OK && !pWrkrData->spilling)
		LogMsg(0, RS_RET_OK, LOG_INFO, "omrdkafka[%s]: %ld message(s) kept at the "
			"last shutdown delivered from %s", pData->statsName, n,
			rdk_spill_path(pData->spill));
	/* at shutdown omr_send spilled them again to the new file: done too */
	rdk_spill_release(pData->spill, recs, n, r == RS_RET_OK);
	free(m);
	return r;
}

static rsRetVal
omr_commit(wrkrInstanceData_t *pWrkrData, actWrkrIParams_t *pParams, unsigned nParams)
{
	instanceData *pData = pWrkrData->pData;
	unsigned i;

	if (nParams > pWrkrData->msgsCap) {
		rdk_msg_t *nm = realloc(pWrkrData->msgs, nParams * sizeof(*nm));
		if (nm == NULL)
			return RS_RET_SUSPENDED;
		pWrkrData->msgs = nm;
		pWrkrData->msgsCap = nParams;
	}
	for (i = 0; i < nParams; i++)
		omr_msg(pData, pParams, i, &pWrkrData->msgs[i]);
	if (pWrkrData->spilling && omr_shutting_down(NULL))
		return omr_spill(pWrkrData, pWrkrData->msgs, nParams, 1);
	if (!omr_shutting_down(NULL) && omr_replay(pWrkrData) != RS_RET_OK)
		return RS_RET_SUSPENDED;
	return omr_send(pWrkrData, pWrkrData->msgs, nParams);
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
