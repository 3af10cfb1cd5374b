/* kafka_glue.h: rsyslog config values -> the Kafka core's inputs, shared
 * by the Kafka modules: arrays joined or split, "key=value" arrays into a
 * property list (errors name the module, the parameter and the property,
 * never a secret's value).
 * Thread use: config-load thread only.
 */
#ifndef RKV_KAFKA_GLUE_H
#define RKV_KAFKA_GLUE_H
#include "kafka_conf.h"
#include "cnf_util.h"

/* RS_RET_OK, RS_RET_OUT_OF_MEMORY or RS_RET_CONF_PARAM_INVLD (reported). */
int rkv_cnf_add_kv(struct cnfarray *ar, rdk_kvlist_t *l, const char *origin,
	const char *module);

#endif
