/* kafka_glue.h: rsyslog config values -> the Kafka core's inputs, shared
 * by the Kafka modules: arrays joined or split, "key=value" arrays into a
 * property list (errors name the module, the parameter and the property,
 * never a secret's value).
 * Thread use: config-load thread only.
 */
#ifndef RKV_KAFKA_GLUE_H
#define RKV_KAFKA_GLUE_H
#include "kafka_conf.h"

struct cnfarray;
/* "a","b,c" -> "a,b,c"; NULL when out of memory. */
char *rkv_cnf_join(struct cnfarray *ar);
/* The array's strings, NULL-terminated; *n their count. */
char **rkv_cnf_strings(struct cnfarray *ar, size_t *n);
void rkv_cnf_strings_free(char **s);
/* RS_RET_OK, RS_RET_OUT_OF_MEMORY or RS_RET_CONF_PARAM_INVLD (reported). */
int rkv_cnf_add_kv(struct cnfarray *ar, rdk_kvlist_t *l, const char *origin,
	const char *module);

#endif
