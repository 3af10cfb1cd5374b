/* imrdkafka.c: rsyslog input module "imrdkafka": a Kafka group consumer
 * whose offsets advance only past messages rsyslog is done with, so that
 * kill -9 loses nothing even with memory queues (Kafka is the buffer).
 * How "done" is known: every submitted message carries one extra
 * reference of ours (MsgAddRef); when ours is the last, every queue and
 * action it reached has released it. The offset tracking and the
 * consumer are in plugins/kafka (offsets.c, consumer.c); this file is
 * rsyslog glue: parameters, threads, message building, impstats.
 *
 * Threads: config entry points in rsyslog's main thread; runInput in the
 * module's input thread, which starts one consumer thread per instance
 * and worker and waits for them at shutdown. A worker's state belongs to
 * its thread; impstats reads the counters (plain words) at any time.
 * Limits (README): a message rsyslog copies (action.copyMsg, a `call` of
 * a ruleset with its own queue) or writes to a disk queue is finished for
 * us when the copy is made or written.
 */
#include "config.h"
#include "rsyslog.h"
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <json.h>
#include "conf.h"
#include "syslogd-types.h"
#include "srUtils.h"
#include "module-template.h"
#include "errmsg.h"
#include "glbl.h"
#include "msg.h"
#include "prop.h"
#include "ruleset.h"
#include "statsobj.h"
#include "datetime.h"
#include "dirty.h"
#include "parserif.h"
#include "rsyslog_compat.h"
#include "report.h"
#include "kafka_conn.h"
#include "kafka_glue.h"
#include "consumer.h"
#include "rkv_util.h"

MODULE_TYPE_INPUT
MODULE_TYPE_NOKEEP
MODULE_CNFNAME("imrdkafka")

DEF_IMOD_STATIC_DATA
DEFobjCurrIf(glbl)
DEFobjCurrIf(prop)
DEFobjCurrIf(ruleset)
DEFobjCurrIf(statsobj)
DEFobjCurrIf(datetime)
RKV_ERRMSG_DEF

#define RKV_PARAMS_H "imrdkafka_params.h"
#include "param_table.h"

typedef struct instanceConf_s {
	char **topics;
	size_t ntopics;
	uchar *pszBindRuleset;
	ruleset_t *pBindRuleset;
	int parseHostname, parseJson, metadata;
	int workers, batchSize, maxInFlight, closeTimeout;
	char *msgField, *tsField, *hostField, *inputName, *statsName;
	rd_kafka_conf_t *conf;		/* validated at config load */
	prop_t *pInputName;
	struct instanceConf_s *next;
} instanceConf_t;

struct modConfData_s {
	rsconf_t *pConf;
	instanceConf_t *root, *tail;
};

typedef struct imr_pstats {	/* impstats set of one partition */
	statsobj_t *obj;
	struct imr_pstats *next;
} imr_pstats_t;

typedef struct imr_worker {
	instanceConf_t *inst;
	int idx;
	pthread_t tid;
	int started;
	rdk_consumer_t *cons;
	smsg_t **ppMsgs;
	struct json_tokener *tok;
	rkv_buf_t text;		/* an invalid payload as text */
	struct syslogTime batchTime;	/* reception time of the batch */
	time_t batchSecs;
	char localHost[256];
	statsobj_t *stats;
	STATSCOUNTER_DEF(ctrSubmitted, mutCtrSubmitted)
	STATSCOUNTER_DEF(ctrInvalid, mutCtrInvalid)
	STATSCOUNTER_DEF(ctrEmpty, mutCtrEmpty)
	imr_pstats_t *pstats;
	volatile int finished;
} imr_worker_t;

static modConfData_t *loadModConf = NULL;
static modConfData_t *runModConf = NULL;
static imr_worker_t *workers;
static int nworkers;
static pthread_mutex_t finLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t finCond = PTHREAD_COND_INITIALIZER;

#include "im-helper.h"

static inline void
std_checkRuleset_genErrMsg(__attribute__((unused)) modConfData_t *modConf, instanceConf_t *inst)
{
	LogError(0, NO_ERRCODE, "imrdkafka: ruleset '%s' not found - using default "
		"ruleset instead", inst->pszBindRuleset);
}

#include "imrdkafka_msg.inc"
#include "imrdkafka_config.inc"
#include "imrdkafka_run.inc"

BEGINisCompatibleWithFeature
CODESTARTisCompatibleWithFeature
	if (eFeat == sFEATURENonCancelInputTermination)
		iRet = RS_RET_OK;
ENDisCompatibleWithFeature

BEGINmodExit
CODESTARTmodExit
	objRelease(datetime, CORE_COMPONENT);
	objRelease(statsobj, CORE_COMPONENT);
	objRelease(ruleset, CORE_COMPONENT);
	objRelease(prop, CORE_COMPONENT);
	objRelease(glbl, CORE_COMPONENT);
	RKV_ERRMSG_RELEASE();
ENDmodExit

BEGINqueryEtryPt
CODESTARTqueryEtryPt
CODEqueryEtryPt_STD_IMOD_QUERIES
CODEqueryEtryPt_STD_CONF2_QUERIES
CODEqueryEtryPt_STD_CONF2_PREPRIVDROP_QUERIES
CODEqueryEtryPt_STD_CONF2_IMOD_QUERIES
CODEqueryEtryPt_IsCompatibleWithFeature_IF_OMOD_QUERIES
ENDqueryEtryPt

BEGINmodInit()
CODESTARTmodInit
	*ipIFVersProvided = CURR_MOD_IF_VERSION;
CODEmodInit_QueryRegCFSLineHdlr
	CHKiRet(RKV_ERRMSG_USE());
	CHKiRet(objUse(glbl, CORE_COMPONENT));
	CHKiRet(objUse(prop, CORE_COMPONENT));
	CHKiRet(objUse(ruleset, CORE_COMPONENT));
	CHKiRet(objUse(statsobj, CORE_COMPONENT));
	CHKiRet(objUse(datetime, CORE_COMPONENT));
ENDmodInit
