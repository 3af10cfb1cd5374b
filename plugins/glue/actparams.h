/* actparams.h: the scalar parameters of an action() object as the user
 * wrote them (its action.*, queue.* and module settings), for the
 * zero-loss check of core/zeroloss.h. rsyslog hands newActInst the whole
 * list; this copies it without marking anything used.
 * Thread use: config-load thread only.
 */
#ifndef RKV_ACTPARAMS_H
#define RKV_ACTPARAMS_H
#include <stddef.h>
#include "zeroloss.h"

struct nvlst;
/* 0, or -1 (no memory). *out is freed with rkv_actparams_free. */
int rkv_actparams_get(struct nvlst *lst, rkv_param_t **out, size_t *n);
void rkv_actparams_free(rkv_param_t *p, size_t n);

#endif
