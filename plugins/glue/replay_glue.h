/* replay_glue.h: the module-configuration entry points an output module
 * needs for core/replayer.h: it has no module parameters of its own, and
 * activateCnf (called by rsyslog at a real start, after forking and
 * dropping privileges, never at -N1, before any action runs) starts the
 * actions' replayers. Expand RKV_REPLAY_CNF once in the module's .c, and
 * add CODEqueryEtryPt_STD_CONF2_QUERIES to its queryEtryPt.
 * Thread use: rsyslog's main thread.
 */
#ifndef RKV_REPLAY_GLUE_H
#define RKV_REPLAY_GLUE_H
#include "replayer.h"

#define RKV_REPLAY_CNF \
struct modConfData_s { \
	rsconf_t *pConf; \
}; \
BEGINbeginCnfLoad \
CODESTARTbeginCnfLoad \
	pModConf->pConf = pConf; \
ENDbeginCnfLoad \
BEGINendCnfLoad \
CODESTARTendCnfLoad \
ENDendCnfLoad \
BEGINcheckCnf \
CODESTARTcheckCnf \
ENDcheckCnf \
BEGINactivateCnf \
CODESTARTactivateCnf \
	rkv_replayer_start_all(); \
ENDactivateCnf \
BEGINfreeCnf \
CODESTARTfreeCnf \
ENDfreeCnf

#endif
