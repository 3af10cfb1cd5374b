/* omvictorialogs.c: rsyslog output module "omvictorialogs": batches from
 * rsyslog are posted to VictoriaLogs' /insert/jsonline as transactions
 * that commit only when VictoriaLogs answered 2xx for every event. What it
 * did not acknowledge (connection error, timeout, 429, 5xx) is retried
 * inside the commit (never handed back to rsyslog's per-message retry,
 * which drops a message that meets shutdown: DESIGN.md §4); at shutdown it
 * goes to the spill file and is sent after the next start. Events that
 * VictoriaLogs would skip silently (not one JSON object, over its line
 * limit) or that it rejects (other 4xx, isolated by splitting the POST)
 * go to errorFile. This file is rsyslog glue; the work is in plugins/vlogs
 * (line check, body, HTTP, sender) and plugins/core (txn, spill, errfile).
 *
 * Threads: rsyslog calls the config entry points from its main thread and
 * commitTransaction / worker create+free from action worker threads. Each
 * worker has its own sender (libcurl handles, body buffers). Shared
 * per-action state is read-only after config load except the statsobj
 * counters (rsyslog's atomic macros), the round-robin cursor, outage and
 * shutdown stamps (__sync), and the error and spill files (own mutexes).
 */
#include "config.h"
#include "rsyslog.h"
#include <errno.h>
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
#include "vl_send.h"
#include "vl_line.h"
#include "errfile.h"
#include "spill.h"
#include "txn.h"
#include "zeroloss.h"
#include "actparams.h"
#include "cnf_util.h"
#include "rkv_util.h"
#include "omod_glue.h"

MODULE_TYPE_OUTPUT
MODULE_TYPE_NOKEEP
MODULE_CNFNAME("omvictorialogs")

DEF_OMOD_STATIC_DATA
DEFobjCurrIf(glbl)
DEFobjCurrIf(statsobj)
RKV_ERRMSG_DEF

#define OVL_BACKOFF_MIN_MS 200		/* between retry rounds ... */
#define OVL_BACKOFF_MAX_MS 5000		/* ... doubling up to this */
#define OVL_NSTD 3			/* standard fields of the default template */

#define RKV_PARAMS_H "omvictorialogs_params.h"
#include "param_table.h"

typedef struct ovl_stats {
	statsobj_t *obj;
	STATSCOUNTER_DEF(submitted, mutSubmitted)
	STATSCOUNTER_DEF(sent, mutSent)
	STATSCOUNTER_DEF(batches, mutBatches)
	STATSCOUNTER_DEF(posts, mutPosts)
	STATSCOUNTER_DEF(bytesPlain, mutBytesPlain)
	STATSCOUNTER_DEF(bytesSent, mutBytesSent)
	STATSCOUNTER_DEF(http2xx, mutHttp2xx)
	STATSCOUNTER_DEF(http4xx, mutHttp4xx)
	STATSCOUNTER_DEF(http429, mutHttp429)
	STATSCOUNTER_DEF(http5xx, mutHttp5xx)
	STATSCOUNTER_DEF(httpTransport, mutHttpTransport)
	STATSCOUNTER_DEF(failovers, mutFailovers)
	STATSCOUNTER_DEF(splits, mutSplits)
	STATSCOUNTER_DEF(retries, mutRetries)
	STATSCOUNTER_DEF(retried, mutRetried)
	STATSCOUNTER_DEF(dupPossible, mutDupPossible)
	STATSCOUNTER_DEF(errfileLines, mutErrfileLines)
	STATSCOUNTER_DEF(failedInvalid, mutFailedInvalid)
	STATSCOUNTER_DEF(failedTooLong, mutFailedTooLong)
	STATSCOUNTER_DEF(failedRejected, mutFailedRejected)
	STATSCOUNTER_DEF(spilled, mutSpilled)
	STATSCOUNTER_DEF(replayed, mutReplayed)
	STATSCOUNTER_DEF(latencySum, mutLatencySum)
} ovl_stats_t;

typedef struct _instanceData {
	char **urls;
	size_t nurls;
	char *query;		/* /insert/jsonline arguments */
	char *account, *project, *user, *password, *token;
	char *cafile, *certfile, *keyfile;
	int verify;
	vl_codec_t codec;
	int level;
	int maxEvents, maxBytes, maxLine, timeout, closeTimeout, reopenOnHup;
	char *tplName;		/* NULL: the built-in default (4 templates) */
	int nTpls;
	char *stdKeys[OVL_NSTD];	/* default template: msg, time, host field */
	char *statsName;
	rkv_errfile_t *errFile;
	rkv_spill_t *spill;	/* <errorFile>.spill: batches kept at shutdown */
	char *claimed;		/* errorFile path claimed for this action */
	unsigned cursor;	/* endpoint round-robin (__sync) */
	int outage;		/* an outage is being retried (__sync) */
	int64_t outageStart;
	int64_t stopSince;	/* when a worker first saw shutdown (__sync) */
	ovl_stats_t st;
	rkv_replayer_t replay;	/* sends the spill file at start (activateCnf) */
} instanceData;

typedef struct wrkrInstanceData {
	instanceData *pData;
	vl_sender_t *snd;
	rkv_txn_t txn;
	rkv_blob_t *lines;	/* the current batch, rendered */
	rkv_buf_t *merged;	/* default template: objects with fields added */
	size_t cap;
	rkv_buf_t rec;
	int spilling;		/* shutdown, VictoriaLogs unreachable: spill at once */
	int createLogged;
} wrkrInstanceData_t;

static vl_sender_t *ovl_sender_new(instanceData *pData, char *errstr, size_t errlen);
static int ovl_ready(wrkrInstanceData_t *w);

#include "omvictorialogs_config.inc"
#include "omvictorialogs_txn.inc"

BEGINcreateInstance
CODESTARTcreateInstance
	pData->verify = 1;
	pData->codec = VL_CODEC_GZIP;
	pData->maxEvents = 10000;
	pData->maxBytes = 16 * 1024 * 1024;
	pData->maxLine = 256 * 1024;
	pData->timeout = 30000;
	pData->closeTimeout = 2000;
	pData->reopenOnHup = 1;
ENDcreateInstance

BEGINcreateWrkrInstance
CODESTARTcreateWrkrInstance
	rkv_txn_init(&pWrkrData->txn);
	rkv_buf_init(&pWrkrData->rec);
	ovl_ready(pWrkrData);
ENDcreateWrkrInstance

BEGINisCompatibleWithFeature
CODESTARTisCompatibleWithFeature
ENDisCompatibleWithFeature

BEGINfreeInstance
	size_t i;
CODESTARTfreeInstance
	rkv_replayer_finish(&pData->replay);	/* ends within closeTimeout of shutdown */
	for (i = 0; i < pData->nurls; i++)
		free(pData->urls[i]);
	free(pData->urls);
	free(pData->query);
	free(pData->account);
	free(pData->project);
	free(pData->user);
	ovl_free_secret(pData->password);
	ovl_free_secret(pData->token);
	free(pData->cafile);
	free(pData->certfile);
	free(pData->keyfile);
	free(pData->tplName);
	for (i = 0; i < OVL_NSTD; i++)
		free(pData->stdKeys[i]);
	free(pData->statsName);
	rkv_errfile_free(pData->errFile);
	rkv_spill_free(pData->spill);
	rkv_path_release(pData->claimed);
	free(pData->claimed);
	if (pData->st.obj != NULL)
		statsobj.Destruct(&pData->st.obj);
ENDfreeInstance

BEGINfreeWrkrInstance
CODESTARTfreeWrkrInstance
	ovl_wrkr_release(pWrkrData);
ENDfreeWrkrInstance

BEGINdbgPrintInstInfo
CODESTARTdbgPrintInstInfo
	dbgprintf("omvictorialogs: endpoint '%s'\n", pData->urls[0]);
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
	/* libcurl must not be cancelled half-way (rsyslog cancels workers
	 * that exceed the action's shutdown timeouts) */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &oldstate);
	iRet = ovl_commit(pWrkrData, pParams, nParams);
	pthread_setcancelstate(oldstate, NULL);
ENDcommitTransaction

BEGINdoHUP
CODESTARTdoHUP
	if (pData->reopenOnHup && pData->errFile != NULL)
		rkv_errfile_reopen(pData->errFile);
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
	CHKiRet(ovl_set_params(pData, pvals));
	CHKiRet(ovl_check_and_build(pData, all, nall));
	CHKiRet(ovl_request_templates(pData, ppOMSR));
	CHKiRet(ovl_stats_init(pData));
	ovl_zeroloss(pData, all, nall);
	rkv_replayer_register(&pData->replay, ovl_replayer, pData);
CODE_STD_FINALIZERnewActInst
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
	/* libcurl's global set-up is not thread-safe: do it here, once */
	if (vl_http_global_init() != 0) {
		LogError(0, RS_RET_ERR, "omvictorialogs: libcurl cannot be initialised");
		ABORT_FINALIZE(RS_RET_ERR);
	}
ENDmodInit
