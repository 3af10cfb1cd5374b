/* Unit tests of the zero-loss check (core/zeroloss.c): rsyslog-conf/
 * edge.conf's action settings raise nothing; rsyslog's usual reliable-
 * forwarding lines raise exactly queue.timeoutEnqueue; each unsafe or
 * missing setting is named. */
#include "rkv_config.h"
#include <stdlib.h>
#include "zeroloss.h"
#include "unit.h"

static char found[16][64];
static int nfound;

static void
warn(void *opaque, const char *param, const char *advice)
{
	(void)opaque;
	CHECK(advice != NULL && strlen(advice) > 20);
	if (nfound < 16)
		snprintf(found[nfound++], sizeof(found[0]), "%s", param);
}

static int
check(const rkv_param_t *p, size_t n, int *direct)
{
	nfound = 0;
	return rkv_zeroloss_check(p, n, warn, NULL, direct);
}

static int
has(const char *param)
{
	int i;

	for (i = 0; i < nfound; i++)
		if (strcmp(found[i], param) == 0)
			return 1;
	return 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int
main(void)
{
	/* rsyslog-conf/edge.conf (case as written there) */
	static const rkv_param_t edge[] = {
		{ "type", "omrdkafka" }, { "name", "kafka" }, { "broker", NULL },
		{ "action.resumeRetryCount", "-1" }, { "queue.type", "LinkedList" },
		{ "queue.filename", "q_kafka" }, { "queue.saveOnShutdown", "on" },
		{ "queue.checkpointInterval", "1" }, { "queue.discardSeverity", "8" },
		{ "queue.timeoutEnqueue", "2147483647" },
	};
	/* rsyslog's documented reliable forwarding */
	static const rkv_param_t usual[] = {
		{ "type", "omrdkafka" }, { "queue.type", "LinkedList" },
		{ "queue.filename", "fwdRule1" }, { "queue.saveOnShutdown", "on" },
		{ "action.resumeRetryCount", "-1" },
	};
	static const rkv_param_t bare[] = { { "type", "omrdkafka" } };
	static const rkv_param_t chosen[] = {
		{ "type", "omvictorialogs" }, { "queue.type", "Direct" },
		{ "action.resumeRetryCount", "-1" },
	};
	static const rkv_param_t memq[] = {
		{ "action.resumeretrycount", "-1" }, { "QUEUE.TYPE", "fixedarray" },
		{ "queue.timeoutenqueue", "2147483647" },
	};
	static const rkv_param_t disk[] = {
		{ "action.resumeRetryCount", "-1" }, { "queue.type", "Disk" },
		{ "queue.filename", "q" }, { "queue.timeoutEnqueue", "2147483647" },
		{ "queue.saveOnShutdown", "off" }, { "queue.discardSeverity", "4" },
		{ "action.resumeRetryCount", "10" },	/* the last one wins */
	};
	int direct = -1;

	CHECK(check(edge, N(edge), &direct) == 0);
	CHECK(direct == 0);

	CHECK(check(usual, N(usual), &direct) == 1);
	CHECK(has("queue.timeoutEnqueue"));

	CHECK(check(bare, N(bare), &direct) == 2);
	CHECK(has("action.resumeRetryCount") && has("queue.type") && direct == 1);

	/* Direct written out is a choice (aggregator.conf behind imrdkafka) */
	CHECK(check(chosen, N(chosen), &direct) == 0 && direct == 1);

	CHECK(check(memq, N(memq), NULL) == 1);
	CHECK(has("queue.filename"));

	CHECK(check(disk, N(disk), &direct) == 4);
	CHECK(has("action.resumeRetryCount") && has("queue.checkpointInterval"));
	CHECK(has("queue.saveOnShutdown") && has("queue.discardSeverity"));
	CHECK(!has("queue.filename") && !has("queue.timeoutEnqueue") && direct == 0);
	return unit_done("zeroloss");
}
