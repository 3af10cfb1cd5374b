/* txn.c: transaction bookkeeping and the commit decision (txn.h).
 * Thread use: the caller's; no shared state.
 */
#include "rkv_config.h"
#include <stdlib.h>
#include <string.h>
#include "txn.h"

void
rkv_txn_init(rkv_txn_t *t)
{
	memset(t, 0, sizeof(*t));
}

void
rkv_txn_free(rkv_txn_t *t)
{
	free(t->slot);
	rkv_txn_init(t);
}

int
rkv_txn_begin(rkv_txn_t *t, size_t n)
{
	if (n > t->cap) {
		rkv_slot_t *ns = realloc(t->slot, n * sizeof(*ns));
		if (ns == NULL)
			return -1;
		t->slot = ns;
		t->cap = n;
	}
	if (n > 0)
		memset(t->slot, 0, n * sizeof(*t->slot));
	t->n = t->pending = n;
	t->acked = t->retry = t->failed = 0;
	t->rounds = 1;
	t->resent_maybe = 0;
	t->first_retry_err = 0;
	return 0;
}

int
rkv_txn_set(rkv_txn_t *t, size_t i, rkv_outcome_t o, int err, int maybe_sent)
{
	rkv_slot_t *s;

	if (i >= t->n || o == RKV_PENDING)
		return 0;
	s = &t->slot[i];
	if (s->outcome != RKV_PENDING)
		return 0;
	s->outcome = (unsigned char)o;
	s->err = err;
	s->maybe_sent = (unsigned char)(maybe_sent != 0);
	t->pending--;
	switch (o) {
	case RKV_ACKED: t->acked++; break;
	case RKV_FAILED: t->failed++; break;
	default:
		if (t->retry++ == 0)
			t->first_retry_err = err;
	}
	return 1;
}

void
rkv_txn_abandon(rkv_txn_t *t, int err)
{
	size_t i;

	/* an attempt still unanswered may have reached the destination */
	for (i = 0; i < t->n && t->pending > 0; i++)
		rkv_txn_set(t, i, RKV_RETRY, err, 1);
}

size_t
rkv_txn_rearm(rkv_txn_t *t)
{
	size_t i, k = 0;

	for (i = 0; i < t->n; i++) {
		rkv_slot_t *s = &t->slot[i];
		if (s->outcome != RKV_RETRY)
			continue;
		if (s->maybe_sent)
			t->resent_maybe++;
		s->outcome = RKV_PENDING;
		s->maybe_sent = 0;
		k++;
	}
	t->retry = 0;
	t->pending += k;
	t->rounds++;
	t->first_retry_err = 0;
	return k;
}

rkv_decision_t
rkv_txn_decide(const rkv_txn_t *t, int stopping)
{
	if (t->pending > 0)
		return RKV_DO_WAIT;
	if (t->retry > 0)
		return stopping ? RKV_DO_SPILL : RKV_DO_RETRY;
	return RKV_DO_COMMIT;
}

int64_t
rkv_backoff_ms(unsigned round, int64_t min_ms, int64_t max_ms)
{
	int64_t v = min_ms;

	while (round-- > 2 && v < max_ms)
		v *= 2;
	return v < max_ms ? v : max_ms;
}

rkv_decision_t
rkv_txn_run(rkv_txn_t *t, const rkv_txn_ops_t *ops)
{
	rkv_decision_t d;

	for (;;) {
		ops->round(ops->ctx);
		if (t->pending > 0)	/* a round must settle every slot */
			rkv_txn_abandon(t, 0);
		d = rkv_txn_decide(t, ops->stopping(ops->ctx));
		if (d != RKV_DO_RETRY)
			return d;
		if (ops->retrying != NULL)
			ops->retrying(ops->ctx, t);
		ops->pause(ops->ctx, rkv_backoff_ms(t->rounds + 1,
			ops->backoff_min_ms, ops->backoff_max_ms));
		if (ops->stopping(ops->ctx))
			return RKV_DO_SPILL;
	}
}
