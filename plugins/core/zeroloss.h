/* zeroloss.h: checks an output action's rsyslog settings (its action.*
 * and queue.* parameters, as the user wrote them) against what zero loss
 * depends on, and names each missing or unsafe one with the value to use
 * and what was measured without it. A module cannot override rsyslog's
 * own discard paths; it can say so at rsyslogd -N1 and at start.
 * Thread use: config-load thread only; no state.
 */
#ifndef RKV_ZEROLOSS_H
#define RKV_ZEROLOSS_H
#include <stddef.h>

typedef struct rkv_param {
	const char *name;	/* as written; compared case-insensitively */
	const char *value;	/* NULL for arrays and other non-scalars */
} rkv_param_t;

/* Value of name (case-insensitive; the last one wins, as in rsyslog), ""
 * for a non-scalar, NULL when absent. */
const char *rkv_param_get(const rkv_param_t *p, size_t n, const char *name);

/* warn(opaque, parameter, advice) once per finding. Returns the number of
 * findings. queue_direct (optional) is set when the action has no queue
 * of its own (Direct): its transactions are then as large as the main
 * queue's batches. */
int rkv_zeroloss_check(const rkv_param_t *p, size_t n,
	void (*warn)(void *opaque, const char *param, const char *advice),
	void *opaque, int *queue_direct);

#endif
