/* omrdkafka.c: rsyslog output module "omrdkafka": batches from rsyslog are
 * produced to Kafka as transactions that commit only when Kafka has
 * acknowledged every message. What Kafka does not acknowledge is retried
 * inside the commit (never handed back to rsyslog's per-message retry,
 * which drops a message that meets shutdown); at shutdown it goes to the
 * spill file. This file is rsyslog glue: instance/worker lifecycle,
 * transactions, impstats counters, error reporting. The work is in
 * plugins/kafka (producer) and plugins/core (txn, spill, errfile).
 *
 * Threads: rsyslog calls the config entry points from its main thread and
 * commitTransaction / worker create+free from action worker threads. One
 * producer per action, shared by its workers, created by the first worker
 * (prodLock) and destroyed with the action. Shared per-action state is
 * read-only after config load except the statsobj counters (rsyslog's
 * atomic macros), the outage/streak flags (__sync), the error and stats
 * files and the spill file (each with its own mutex).
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
#include "report.h"
#include "kafka_conn.h"
#include "kafka_glue.h"
#include "kafka_conf.h"
#include "producer.h"
#include "errfile.h"
#include "spill.h"
#include "kstats.h"
#include "txn.h"
#include "zeroloss.h"
#include "actparams.h"
#include "rkv_util.h"
#include "omod_glue.h"

MODULE_TYPE_OUTPUT
MODULE_TYPE_NOKEEP
MODULE_CNFNAME("omrdkafka")

DEF_OMOD_STATIC_DATA
DEFobjCurrIf(glbl)
DEFobjCurrIf(statsobj)
RKV_ERRMSG_DEF

#define OMR_QUEUE_WAIT_MS 5000		/* librdkafka queue full: per round */
#define OMR_BACKOFF_MIN_MS 200		/* between retry rounds ... */
#define OMR_BACKOFF_MAX_MS 5000		/* ... doubling up to this */
#define OMR_STALL_MS 5000		/* reports due this long: log the outage */
#define OMR_STREAK_WARN 1000		/* one-message transactions in a row ... */
#define OMR_STREAK_MS 10000		/* ... within this long: warn once */

#define RKV_PARAMS_H "omrdkafka_params.h"
#include "param_table.h"

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
	STATSCOUNTER_DEF(retried, mutRetried)
	STATSCOUNTER_DEF(lateAcks, mutLateAcks)
	STATSCOUNTER_DEF(dupPossible, mutDupPossible)
	STATSCOUNTER_DEF(batches, mutBatches)
	STATSCOUNTER_DEF(latencySum, mutLatencySum)
	STATSCOUNTER_DEF(errfileLines, mutErrfileLines)
	STATSCOUNTER_DEF(spilled, mutSpilled)
	STATSCOUNTER_DEF(replayed, mutReplayed)
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
	int queueDirect;	/* the action has no queue of its own */
	int64_t waitMaxMs;	/* message.timeout.ms + margin: every report is due */
	int nTpls, tplTopic, tplKey;
	rd_kafka_conf_t *conf;	/* validated at config load */
	rdk_header_t *hdrs;
	size_t nhdrs;
	char *statsName;
	rkv_errfile_t *errFile;
	rkv_errfile_t *statsFile;
	rkv_spill_t *spill;	/* <errorFile>.spill: batches kept at shutdown */
	char *claimed;		/* errorFile path claimed for this action */
	pthread_mutex_t prodLock;
	rdk_producer_t *prod;	/* shared by the workers, lives with the action */
	omr_stats_t st;
	unsigned rrPartition;	/* round-robin cursor (__sync) */
	int outage;		/* an outage is being retried (__sync) */
	int64_t outageStart;
	unsigned streak;	/* one-message transactions in a row (__sync) */
	int64_t streakStart;
	int streakWarned;
	int prodFailLogged;	/* under prodLock */
	rkv_replayer_t replay;	/* sends the spill file at start (activateCnf) */
} instanceData;

typedef struct wrkrInstanceData {
	instanceData *pData;
	rdk_batch_t *batch;
	int spilling;		/* shutdown with Kafka unreachable: spill at once */
	rkv_buf_t rec;
	rdk_msg_t *msgs;	/* the current batch, rendered */
	size_t msgsCap;
} wrkrInstanceData_t;

static int omr_ready(wrkrInstanceData_t *w);

#include "omrdkafka_config.inc"
#include "omrdkafka_txn.inc"

BEGINcreateInstance
CODESTARTcreateInstance
	pData->partAuto = -1;
	pData->partFixed = -1;
	pData->closeTimeout = 2000;
	pData->reopenOnHup = 1;
	pthread_mutex_init(&pData->prodLock, NULL);
ENDcreateInstance

/* The action's producer: made by its first worker, shared by all. */
static rsRetVal
omr_producer(instanceData *pData)
{
	char errstr[512];
	rdk_client_cb_t cb;
	DEFiRet;

	pthread_mutex_lock(&pData->prodLock);
	if (pData->prod == NULL) {
		cb.opaque = pData;
		cb.log = omr_log;
		cb.stats = omr_stats_json;
		pData->prod = rdk_producer_new(pData->conf, pData->dynaTopic ?
			NULL : pData->topic, &cb, errstr, sizeof(errstr));
		/* e.g. tls.cafile unreadable: said once, retried by the commit */
		if (pData->prod == NULL && !pData->prodFailLogged)
			LogError(0, RS_RET_KAFKA_ERROR, "omrdkafka[%s]: cannot create "
				"producer: %s; messages wait in the queue until it can be "
				"created", pData->statsName, errstr);
		pData->prodFailLogged = pData->prod == NULL;
		if (pData->prod == NULL)
			iRet = RS_RET_KAFKA_ERROR;
	}
	pthread_mutex_unlock(&pData->prodLock);
	RETiRet;
}

/* The worker's transaction handle; NULL while no producer can be made.
 * rsyslog keeps a worker whose creation failed and hands it batches
 * anyway, so creation never fails here: the commit waits instead. */
static int
omr_ready(wrkrInstanceData_t *w)
{
	if (w->batch == NULL && omr_producer(w->pData) == RS_RET_OK)
		w->batch = rdk_batch_new(w->pData->prod);
	return w->batch != NULL;
}

BEGINcreateWrkrInstance
CODESTARTcreateWrkrInstance
	rkv_buf_init(&pWrkrData->rec);
	omr_ready(pWrkrData);
ENDcreateWrkrInstance

BEGINisCompatibleWithFeature
CODESTARTisCompatibleWithFeature
ENDisCompatibleWithFeature

BEGINfreeInstance
	int oldstate;
CODESTARTfreeInstance
	rkv_replayer_finish(&pData->replay);	/* ends within closeTimeout of shutdown */
	/* librdkafka must not be cancelled half-way (it holds locks) */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	rdk_producer_destroy(pData->prod, pData->closeTimeout);
	pthread_setcancelstate(oldstate, NULL);
	pthread_mutex_destroy(&pData->prodLock);
	if (pData->conf != NULL)
		rd_kafka_conf_destroy(pData->conf);
	free(pData->topic);
	free(pData->key);
	free(pData->tplName);
	free(pData->statsName);
	omr_free_headers(pData);
	rkv_errfile_free(pData->errFile);
	rkv_errfile_free(pData->statsFile);
	rkv_spill_free(pData->spill);
	rkv_path_release(pData->claimed);
	free(pData->claimed);
	if (pData->st.obj != NULL)
		statsobj.Destruct(&pData->st.obj);
ENDfreeInstance

BEGINfreeWrkrInstance
CODESTARTfreeWrkrInstance
	omr_wrkr_release(pWrkrData);
ENDfreeWrkrInstance

BEGINdbgPrintInstInfo
CODESTARTdbgPrintInstInfo
	dbgprintf("omrdkafka: topic '%s'\n", pData->topic);
ENDdbgPrintInstInfo

/* Never suspended by a commit (see file head). */
BEGINtryResume
CODESTARTtryResume
	(void)pWrkrData;
ENDtryResume

BEGINbeginTransaction
CODESTARTbeginTransaction
ENDbeginTransaction

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
			rkv_errfile_reopen(pData->errFile);
		if (pData->statsFile != NULL)
			rkv_errfile_reopen(pData->statsFile);
	}
ENDdoHUP

BEGINnewActInst
	struct cnfparamvals *pvals = NULL;
	rkv_param_t *all = NULL;
	size_t nall = 0;
CODESTARTnewActInst
	/* the whole action() list: its queue.* and action.* too */
	CHKmalloc(rkv_actparams_get(lst, &all, &nall) == 0 ? all : NULL);
	if ((pvals = nvlstGetParams(lst, &rkv_pblk, NULL)) == NULL)
		ABORT_FINALIZE(RS_RET_MISSING_CNFPARAMS);
	CHKiRet(createInstance(&pData));
	CHKiRet(omr_set_params(pData, pvals));
	CHKiRet(omr_check_and_build(pData, all, nall));
	CHKiRet(omr_request_templates(pData, ppOMSR));
	CHKiRet(omr_stats_init(pData));
	omr_zeroloss(pData, all, nall);
	rkv_replayer_register(&pData->replay, omr_replayer, pData);
CODE_STD_FINALIZERnewActInst
	omr_opts_free();
	rkv_actparams_free(all, nall);
	if (pvals != NULL)
		cnfparamvalsDestruct(pvals, &rkv_pblk);
ENDnewActInst

/* no legacy syntax, no module parameters (activateCnf starts the
 * actions' replayers), modExit, queryEtryPt: glue/omod_glue.h */
RKV_OMOD_ENTRY_POINTS

BEGINmodInit()
CODESTARTmodInit
	*ipIFVersProvided = CURR_MOD_IF_VERSION;
CODEmodInit_QueryRegCFSLineHdlr
	CHKiRet(RKV_ERRMSG_USE());
	CHKiRet(objUse(glbl, CORE_COMPONENT));
	CHKiRet(objUse(statsobj, CORE_COMPONENT));
ENDmodInit
