/* offsets.c: per-partition FIFO of in-flight messages (offsets.h).
 * Thread use: one consumer thread, no locks (see offsets.h).
 */
#include "rkv_config.h"
#include <stdlib.h>
#include <string.h>
#include "offsets.h"

typedef struct ot_ent {
	int64_t off;
	void *tok;
} ot_ent_t;

typedef struct ot_part {
	char *topic;
	int32_t part;
	ot_ent_t *ring;		/* FIFO in offset order */
	size_t cap, head, n;	/* cap: power of two (or 0) */
	int64_t next;		/* committable offset, -1: none yet */
	rdk_part_stats_t st;
} ot_part_t;

struct rdk_offtrack {
	rdk_offtrack_ops_t ops;
	ot_part_t **parts;	/* kept until free: stats may point here */
	size_t nparts, cap;
	size_t last;		/* lookup cache: batches come per partition */
	size_t inflight;
};

rdk_offtrack_t *
rdk_offtrack_new(const rdk_offtrack_ops_t *ops)
{
	rdk_offtrack_t *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->ops = *ops;
	return t;
}

static void
drop_all(rdk_offtrack_t *t, ot_part_t *p)
{
	while (p->n > 0) {
		if (p->ring[p->head].tok != NULL)
			t->ops.release(p->ring[p->head].tok);
		p->head = (p->head + 1) & (p->cap - 1);
		p->n--;
		t->inflight--;
	}
	p->head = 0;
	p->st.inflight = 0;
}

void
rdk_offtrack_free(rdk_offtrack_t *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nparts; i++) {
		drop_all(t, t->parts[i]);
		free(t->parts[i]->ring);
		free(t->parts[i]->topic);
		free(t->parts[i]);
	}
	free(t->parts);
	free(t);
}

static ot_part_t *
find(rdk_offtrack_t *t, const char *topic, int32_t part)
{
	size_t i;

	if (t->last < t->nparts && t->parts[t->last]->part == part &&
	    !strcmp(t->parts[t->last]->topic, topic))
		return t->parts[t->last];
	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i]->part == part && !strcmp(t->parts[i]->topic, topic)) {
			t->last = i;
			return t->parts[i];
		}
	}
	return NULL;
}

static ot_part_t *
find_or_add(rdk_offtrack_t *t, const char *topic, int32_t part)
{
	ot_part_t *p = find(t, topic, part);

	if (p != NULL)
		return p;
	if (t->nparts == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		ot_part_t **np = realloc(t->parts, nc * sizeof(*np));
		if (np == NULL)
			return NULL;
		t->parts = np;
		t->cap = nc;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL || (p->topic = strdup(topic)) == NULL) {
		free(p);
		return NULL;
	}
	p->part = part;
	p->next = -1;
	t->last = t->nparts;
	t->parts[t->nparts++] = p;
	if (t->ops.part_new != NULL)
		t->ops.part_new(t->ops.opaque, topic, part, &p->st);
	return p;
}

static int
grow(ot_part_t *p)
{
	size_t nc = p->cap ? p->cap * 2 : 256, i;
	ot_ent_t *r = malloc(nc * sizeof(*r));

	if (r == NULL)
		return -1;
	for (i = 0; i < p->n; i++)
		r[i] = p->ring[(p->head + i) & (p->cap - 1)];
	free(p->ring);
	p->ring = r;
	p->cap = nc;
	p->head = 0;
	return 0;
}

int
rdk_offtrack_add(rdk_offtrack_t *t, const char *topic, int32_t part,
	int64_t offset, void *tok)
{
	ot_part_t *p = find_or_add(t, topic, part);

	if (p == NULL || (p->n == p->cap && grow(p) != 0))
		return -1;
	p->ring[(p->head + p->n) & (p->cap - 1)].off = offset;
	p->ring[(p->head + p->n) & (p->cap - 1)].tok = tok;
	p->n++;
	p->st.inflight = p->n;
	t->inflight++;
	return 0;
}

/* Pops the finished prefix; 1 when the committable offset moved. */
static int
advance_one(rdk_offtrack_t *t, ot_part_t *p)
{
	int64_t before = p->next;

	while (p->n > 0) {
		ot_ent_t *e = &p->ring[p->head];
		if (e->tok != NULL && !t->ops.done(e->tok)) {
			/* the first unfinished message is where a restart begins */
			if (p->next < e->off)
				p->next = e->off;
			break;
		}
		p->next = e->off + 1;
		if (e->tok != NULL)
			t->ops.release(e->tok);
		p->head = (p->head + 1) & (p->cap - 1);
		p->n--;
		t->inflight--;
	}
	p->st.inflight = p->n;
	if (p->next >= 0)
		p->st.committable = (uint64_t)p->next;
	return p->next != before;
}

size_t
rdk_offtrack_advance(rdk_offtrack_t *t, rd_kafka_topic_partition_list_t *moved)
{
	size_t i, n = 0;

	for (i = 0; i < t->nparts; i++) {
		ot_part_t *p = t->parts[i];
		if (advance_one(t, p) && moved != NULL) {
			rd_kafka_topic_partition_list_add(moved, p->topic,
				p->part)->offset = p->next;
			n++;
		}
	}
	return n;
}

void
rdk_offtrack_committable(rdk_offtrack_t *t, rd_kafka_topic_partition_list_t *out)
{
	size_t i;

	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i]->next >= 0)
			rd_kafka_topic_partition_list_add(out, t->parts[i]->topic,
				t->parts[i]->part)->offset = t->parts[i]->next;
	}
}

static int
listed(const rd_kafka_topic_partition_list_t *l, const ot_part_t *p)
{
	int i;

	for (i = 0; i < l->cnt; i++) {
		if (l->elems[i].partition == p->part && !strcmp(l->elems[i].topic, p->topic))
			return 1;
	}
	return 0;
}

void
rdk_offtrack_forget(rdk_offtrack_t *t, const rd_kafka_topic_partition_list_t *parts)
{
	size_t i;

	for (i = 0; i < t->nparts; i++) {
		ot_part_t *p = t->parts[i];
		if (parts == NULL || listed(parts, p)) {
			drop_all(t, p);
			/* a later assignment starts from the group's committed offset */
			p->next = -1;
		}
	}
}

size_t
rdk_offtrack_inflight_in(rdk_offtrack_t *t, const rd_kafka_topic_partition_list_t *parts)
{
	size_t i, n = 0;

	for (i = 0; i < t->nparts; i++) {
		if (listed(parts, t->parts[i]))
			n += t->parts[i]->n;
	}
	return n;
}

size_t
rdk_offtrack_inflight(const rdk_offtrack_t *t)
{
	return t->inflight;
}

rdk_part_stats_t *
rdk_offtrack_stats(rdk_offtrack_t *t, const char *topic, int32_t part)
{
	ot_part_t *p = find(t, topic, part);

	return p ? &p->st : NULL;
}
