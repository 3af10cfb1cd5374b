/* param_table.h: a module's rsyslog parameter block made from its single
 * parameter table (RKV_PARAM rows, which also generate README's tables).
 * Include once, in the module's .c file, after rsyslog's headers, with
 * RKV_PARAMS_H naming the table header, e.g.
 *   #define RKV_PARAMS_H "omrdkafka_params.h"
 * It defines P_<id> indices, P_COUNT, rkv_pdescr[] and rkv_pblk.
 * Thread use: read-only data.
 */
#ifndef RKV_PARAM_TABLE_H
#define RKV_PARAM_TABLE_H

enum {
#define RKV_PARAM(id, name, type, dflt, descr) P_##id,
#include RKV_PARAMS_H
#undef RKV_PARAM
	P_COUNT
};

static struct cnfparamdescr rkv_pdescr[] = {
#define RKV_PARAM(id, name, type, dflt, descr) { name, type, 0 },
#include RKV_PARAMS_H
#undef RKV_PARAM
};
static struct cnfparamblk rkv_pblk = {
	CNFPARAMBLK_VERSION, sizeof(rkv_pdescr) / sizeof(struct cnfparamdescr), rkv_pdescr
};

#endif
