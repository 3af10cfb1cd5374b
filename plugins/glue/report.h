/* report.h: how the modules tell the user about their configuration.
 * rsyslog prints only LOG_ERR messages to stderr during `rsyslogd -N1`
 * (tools/rsyslogd.c logmsgInternal), so a warning that must be seen at
 * config validation goes to stderr there too, and to rsyslog's log (as a
 * warning) at every start. Include after rsyslog's headers and
 * rsyslog_compat.h (LogMsg is errmsg.LogMsg on 8.24).
 * Thread use: config-load thread.
 */
#ifndef RKV_REPORT_H
#define RKV_REPORT_H
#include <stdio.h>
#include "dirty.h"	/* iConfigVerify: the same in 8.24 .. 8.2504 */

#define RKV_CONF_WARN(...) do { \
	LogMsg(0, RS_RET_OK, LOG_WARNING, __VA_ARGS__); \
	if (iConfigVerify) { \
		fputs("rsyslogd: warning: ", stderr); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

#endif
