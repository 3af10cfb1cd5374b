/* replayer.h: one thread per output action, started once rsyslog runs
 * the configuration, that sends what the action's spill file kept at the
 * last shutdown (otherwise it would wait for the action's next batch,
 * which a quiet source may not bring for a long time). The module
 * registers each action at config load and starts them all from its
 * activateCnf (glue/replay_glue.h); freeing an action joins its thread,
 * which ends within the action's closeTimeout once shutdown began.
 * Thread use: register/start/finish from rsyslog's config and main
 * threads; the list has its own mutex. One list per module (each module
 * links its own copy of the core).
 */
#ifndef RKV_REPLAYER_H
#define RKV_REPLAYER_H
#include <pthread.h>

typedef struct rkv_replayer {
	struct rkv_replayer *next;
	void *(*fn)(void *arg);
	void *arg;
	pthread_t tid;
	int started;
} rkv_replayer_t;

/* Adds r (owned by the action) to the list; fn(arg) runs at start. */
void rkv_replayer_register(rkv_replayer_t *r, void *(*fn)(void *arg), void *arg);
/* Starts every registered replayer not started yet, with all signals
 * blocked in the new threads. Returns how many were started. */
int rkv_replayer_start_all(void);
/* Joins r's thread (if it was started) and takes r off the list. */
void rkv_replayer_finish(rkv_replayer_t *r);

#endif
