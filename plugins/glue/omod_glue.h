/* omod_glue.h: the entry points that this project's output modules
 * (omrdkafka, omvictorialogs) share word for word: no legacy selector
 * syntax, the module configuration that starts the actions' replayers
 * (replay_glue.h), modExit releasing the glbl and statsobj interfaces
 * (each module declares them with DEFobjCurrIf), and queryEtryPt of a
 * transactional v8 output module with HUP. Expand RKV_OMOD_ENTRY_POINTS
 * once, after newActInst; modInit stays in the module.
 * Thread use: rsyslog's main thread.
 */
#ifndef RKV_OMOD_GLUE_H
#define RKV_OMOD_GLUE_H
#include "replay_glue.h"

#define RKV_OMOD_ENTRY_POINTS \
RKV_NO_LEGACY_SELECTOR \
RKV_REPLAY_CNF \
BEGINmodExit \
CODESTARTmodExit \
	objRelease(statsobj, CORE_COMPONENT); \
	objRelease(glbl, CORE_COMPONENT); \
	RKV_ERRMSG_RELEASE(); \
ENDmodExit \
BEGINqueryEtryPt \
CODESTARTqueryEtryPt \
CODEqueryEtryPt_STD_OMODTX_QUERIES \
CODEqueryEtryPt_STD_OMOD8_QUERIES \
CODEqueryEtryPt_STD_CONF2_OMOD_QUERIES \
CODEqueryEtryPt_STD_CONF2_QUERIES \
CODEqueryEtryPt_doHUP \
ENDqueryEtryPt

#endif
