/* Unit tests of the commit decision (core/txn.c): every path of a
 * transaction -- all acknowledged, permanent failures, retry inside the
 * commit for the unacknowledged ones only, shutdown -> spill, a round
 * that leaves answers due, backoff -- driven through rkv_txn_run() with a
 * scripted destination. */
#include "rkv_config.h"
#include <stdlib.h>
#include "txn.h"
#include "unit.h"

/* A scripted destination: per round, what each pending slot answers. */
typedef struct fake {
	rkv_txn_t *t;
	int round;
	int stop_after_round;	/* stopping() true once this round ran (0: never) */
	int fail_every;		/* rounds < ok_from: slots i % fail_every == 0 fail retriably */
	int ok_from;		/* first round in which every slot is acknowledged */
	int leave_pending;	/* round 1 leaves slot 0 unanswered */
	size_t sent[8];		/* slots sent per round */
	int64_t paused;
	int retry_calls;
} fake_t;

static void
f_round(void *ctx)
{
	fake_t *f = ctx;
	size_t i;

	if (f->t->retry > 0)
		rkv_txn_rearm(f->t);
	f->round++;
	for (i = 0; i < f->t->n; i++) {
		if (f->t->slot[i].outcome != RKV_PENDING)
			continue;
		f->sent[f->round < 8 ? f->round : 7]++;
		if (f->leave_pending && f->round == 1 && i == 0)
			continue;
		if (i == 3 && f->fail_every == 0 && f->ok_from == 0)
			rkv_txn_set(f->t, i, RKV_FAILED, 10, 0);
		else if (f->round < f->ok_from && f->fail_every && i % f->fail_every == 0)
			rkv_txn_set(f->t, i, RKV_RETRY, 7, (int)(i % 2));
		else
			rkv_txn_set(f->t, i, RKV_ACKED, 0, 0);
	}
}

static int
f_stopping(void *ctx)
{
	fake_t *f = ctx;

	return f->stop_after_round && f->round >= f->stop_after_round;
}

static void
f_pause(void *ctx, int64_t ms)
{
	((fake_t *)ctx)->paused += ms;
}

static void
f_retrying(void *ctx, const rkv_txn_t *t)
{
	(void)t;
	((fake_t *)ctx)->retry_calls++;
}

static rkv_decision_t
run(fake_t *f, rkv_txn_t *t, size_t n)
{
	rkv_txn_ops_t ops;

	memset(&ops, 0, sizeof(ops));
	ops.ctx = f;
	ops.round = f_round;
	ops.stopping = f_stopping;
	ops.pause = f_pause;
	ops.retrying = f_retrying;
	ops.backoff_min_ms = 100;
	ops.backoff_max_ms = 1000;
	f->t = t;
	CHECK(rkv_txn_begin(t, n) == 0);
	return rkv_txn_run(t, &ops);
}

int
main(void)
{
	rkv_txn_t t;
	fake_t f;

	rkv_txn_init(&t);

	/* one message failing for good: commit, it goes to errorFile */
	memset(&f, 0, sizeof(f));
	CHECK(run(&f, &t, 10) == RKV_DO_COMMIT);
	CHECK(t.acked == 9 && t.failed == 1 && t.retry == 0 && t.rounds == 1);
	CHECK(t.slot[3].outcome == RKV_FAILED && t.slot[3].err == 10);

	/* partly acknowledged: only the unacknowledged ones are sent again,
	 * inside the commit, until they are acknowledged */
	memset(&f, 0, sizeof(f));
	f.fail_every = 4;	/* slots 0, 4, 8 */
	f.ok_from = 4;
	CHECK(run(&f, &t, 10) == RKV_DO_COMMIT);
	CHECK(f.sent[1] == 10 && f.sent[2] == 3 && f.sent[3] == 3 && f.sent[4] == 3);
	CHECK(t.acked == 10 && t.rounds == 4 && f.retry_calls == 3);
	/* slots 0, 4, 8 failed with maybe_sent = i % 2 = 0: no possible duplicate */
	CHECK(t.resent_maybe == 0);
	CHECK(f.paused == 100 + 200 + 400);

	/* possible duplicates are counted when such a slot is re-sent */
	memset(&f, 0, sizeof(f));
	f.fail_every = 3;	/* slots 0, 3, 6, 9: 3 and 9 "maybe stored" */
	f.ok_from = 2;
	CHECK(run(&f, &t, 10) == RKV_DO_COMMIT);
	CHECK(t.resent_maybe == 2 && t.acked == 10);

	/* shutdown while Kafka is away: the unacknowledged ones are spilled,
	 * never handed back (there is no "suspend" outcome at all) */
	memset(&f, 0, sizeof(f));
	f.fail_every = 2;
	f.ok_from = 100;
	f.stop_after_round = 3;
	CHECK(run(&f, &t, 10) == RKV_DO_SPILL);
	CHECK(t.retry == 5 && t.acked == 5 && t.pending == 0);

	/* a round that leaves an answer due: treated as unanswered (retry),
	 * may have been stored */
	memset(&f, 0, sizeof(f));
	f.leave_pending = 1;
	f.ok_from = 2;
	f.fail_every = 1000;	/* only slot 0 would "fail", and it stays pending */
	CHECK(run(&f, &t, 5) == RKV_DO_COMMIT);
	CHECK(t.rounds == 2 && f.sent[2] == 1 && t.resent_maybe == 1);

	/* decide() itself */
	CHECK(rkv_txn_begin(&t, 2) == 0);
	CHECK(rkv_txn_decide(&t, 0) == RKV_DO_WAIT);
	CHECK(rkv_txn_set(&t, 0, RKV_ACKED, 0, 0) == 1);
	CHECK(rkv_txn_set(&t, 0, RKV_RETRY, 5, 0) == 0);	/* second answer ignored */
	CHECK(rkv_txn_set(&t, 7, RKV_ACKED, 0, 0) == 0);	/* out of range */
	CHECK(rkv_txn_set(&t, 1, RKV_RETRY, 5, 1) == 1);
	CHECK(rkv_txn_decide(&t, 0) == RKV_DO_RETRY);
	CHECK(rkv_txn_decide(&t, 1) == RKV_DO_SPILL);
	CHECK(t.first_retry_err == 5);
	CHECK(rkv_txn_rearm(&t) == 1 && t.pending == 1 && t.resent_maybe == 1);
	CHECK(rkv_txn_begin(&t, 0) == 0 && rkv_txn_decide(&t, 0) == RKV_DO_COMMIT);

	/* backoff doubles from min, capped */
	CHECK(rkv_backoff_ms(2, 200, 5000) == 200);
	CHECK(rkv_backoff_ms(3, 200, 5000) == 400);
	CHECK(rkv_backoff_ms(6, 200, 5000) == 3200);
	CHECK(rkv_backoff_ms(8, 200, 5000) == 5000);
	CHECK(rkv_backoff_ms(1000, 200, 5000) == 5000);

	rkv_txn_free(&t);
	return unit_done("txn");
}
