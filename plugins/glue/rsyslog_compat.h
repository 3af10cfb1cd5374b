/* rsyslog_compat.h: the ONE place that knows how the rsyslog module API
 * differs between 8.24 (CentOS 7), 8.2012 (EL6 vendor build), 8.2102,
 * 8.2302 and 8.2504 (see ../shared/OLD-RSYSLOG.md for the evidence).
 * Include after rsyslog's own headers (module-template.h, errmsg.h, glbl.h).
 * Thread use: macros only.
 */
#ifndef RKV_RSYSLOG_COMPAT_H
#define RKV_RSYSLOG_COMPAT_H

/* 8.31+ attribute helpers */
#ifndef ATTR_NONNULL
#define ATTR_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#endif
#ifndef ATTR_UNUSED
#define ATTR_UNUSED __attribute__((unused))
#endif

/* 8.31+: modules may declare they have no legacy selector syntax; before,
 * an output module defines parseSelectorAct itself (taking no line) */
#ifdef NO_LEGACY_CONF_parseSelectorAct
#define RKV_NO_LEGACY_SELECTOR NO_LEGACY_CONF_parseSelectorAct
#else
#define RKV_NO_LEGACY_SELECTOR \
BEGINparseSelectorAct \
CODESTARTparseSelectorAct \
	(void)pData; \
	ABORT_FINALIZE(RS_RET_CONFLINE_UNPROCESSED); \
CODE_STD_FINALIZERparseSelectorAct \
ENDparseSelectorAct
#endif

/* LogError()/LogMsg() are global functions since 8.25; 8.24 only offers
 * them through the errmsg object interface. */
#ifdef errmsgCURR_IF_VERSION
#define RKV_ERRMSG_DEF		DEFobjCurrIf(errmsg)
#define RKV_ERRMSG_USE()	objUse(errmsg, CORE_COMPONENT)
#define RKV_ERRMSG_RELEASE()	objRelease(errmsg, CORE_COMPONENT)
#define LogError		errmsg.LogError
#define LogMsg			errmsg.LogMsg
#else
#define RKV_ERRMSG_DEF
#define RKV_ERRMSG_USE()	RS_RET_OK
#define RKV_ERRMSG_RELEASE()
#endif

/* glbl.GetWorkDir() takes the config since interface v10 (8.2202); during
 * config load (the only time we ask) that is loadConf, runConf is NULL. */
#if defined(glblCURR_IF_VERSION) && glblCURR_IF_VERSION >= 10
#define RKV_GET_WORKDIR()	glbl.GetWorkDir(loadConf)
#else
#define RKV_GET_WORKDIR()	glbl.GetWorkDir()
#endif

/* A message's reference count, read with a full barrier (msgDestruct and
 * MsgAddRef change it atomically): the same field in 8.24 .. 8.2504. */
#define RKV_MSG_REFCOUNT_READ(m)	__sync_fetch_and_add(&(m)->iRefCount, 0)

#endif
