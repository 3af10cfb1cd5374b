/* txn.h: the bookkeeping of one output transaction (a batch rsyslog handed
 * to an action worker) and the one decision every output module makes
 * with it: commit, retry the unacknowledged messages inside the commit,
 * or (shutdown) spill them. Never "hand the batch back to rsyslog": its
 * per-message retry drops a message that meets shutdown (DESIGN.md §4).
 * Thread use: a transaction belongs to one worker; the module serialises
 * callbacks that touch it (omrdkafka: the producer's lock).
 */
#ifndef RKV_TXN_H
#define RKV_TXN_H
#include <stddef.h>
#include <stdint.h>

typedef enum rkv_outcome {
	RKV_PENDING = 0,	/* sent, no answer yet (or not sent yet) */
	RKV_ACKED,		/* the destination has it */
	RKV_RETRY,		/* failed, may succeed later */
	RKV_FAILED		/* rejected for good: goes to errorFile */
} rkv_outcome_t;

typedef struct rkv_slot {
	int err;		/* destination-specific code of the last failure */
	unsigned char outcome;	/* rkv_outcome_t */
	unsigned char maybe_sent;	/* the failed attempt may have been stored */
} rkv_slot_t;

typedef struct rkv_txn {
	rkv_slot_t *slot;
	size_t n, cap;
	size_t pending, acked, retry, failed;
	unsigned rounds;	/* attempts so far (1 = first send) */
	uint64_t resent_maybe;	/* re-sent slots whose failed attempt may be stored */
	int first_retry_err;
} rkv_txn_t;

typedef enum rkv_decision {
	RKV_DO_WAIT = 0,	/* answers still due */
	RKV_DO_COMMIT,		/* every message acknowledged or failed for good */
	RKV_DO_RETRY,		/* retry the RKV_RETRY ones inside the commit */
	RKV_DO_SPILL		/* shutdown: keep the RKV_RETRY ones in the spill file */
} rkv_decision_t;

void rkv_txn_init(rkv_txn_t *t);
void rkv_txn_free(rkv_txn_t *t);
/* Starts a transaction of n pending messages. 0, or -1 (no memory). */
int rkv_txn_begin(rkv_txn_t *t, size_t n);
/* Records the answer for message i; a second answer for a slot that is
 * no longer pending is ignored (returns 0), else returns 1. */
int rkv_txn_set(rkv_txn_t *t, size_t i, rkv_outcome_t o, int err, int maybe_sent);
/* Every pending slot becomes RKV_RETRY with err (a wait was cut short). */
void rkv_txn_abandon(rkv_txn_t *t, int err);
/* Starts the next round: RKV_RETRY slots become pending again. Returns how
 * many; is_resend(i) is then true for exactly those. */
size_t rkv_txn_rearm(rkv_txn_t *t);
rkv_decision_t rkv_txn_decide(const rkv_txn_t *t, int stopping);
/* Milliseconds to wait before retry round `round` (2, 3, ...):
 * min_ms doubled each round, capped at max_ms. */
int64_t rkv_backoff_ms(unsigned round, int64_t min_ms, int64_t max_ms);

/* The commit loop every output module runs: rounds until every message is
 * acknowledged or failed for good (RKV_DO_COMMIT), or shutdown leaves some
 * unacknowledged (RKV_DO_SPILL). Between rounds it backs off. */
typedef struct rkv_txn_ops {
	void *ctx;
	/* sends the pending slots (rearming the RKV_RETRY ones first, see
	 * rkv_txn_rearm) and waits for their answers; leaves none pending */
	void (*round)(void *ctx);
	int (*stopping)(void *ctx);
	/* sleeps ms, returns early when stopping */
	void (*pause)(void *ctx, int64_t ms);
	/* called before each retry round (logging, counters); may be NULL */
	void (*retrying)(void *ctx, const rkv_txn_t *t);
	int64_t backoff_min_ms, backoff_max_ms;
} rkv_txn_ops_t;

rkv_decision_t rkv_txn_run(rkv_txn_t *t, const rkv_txn_ops_t *ops);

#endif
