/* kafka_glue.c: see kafka_glue.h. Thread use: config-load thread only. */
#include "config.h"
#include "rsyslog.h"
#include <stdlib.h>
#include <string.h>
#include <libestr.h>
#include "rainerscript.h"
#include "parserif.h"
#include "kafka_glue.h"
#include "rkv_util.h"

int
rkv_cnf_add_kv(struct cnfarray *ar, rdk_kvlist_t *l, const char *origin,
	const char *module)
{
	char errstr[512];
	int i;

	for (i = 0; i < ar->nmemb; i++) {
		char *s = es_str2cstr(ar->arr[i], NULL);
		rdk_res_t r;
		if (s == NULL)
			return RS_RET_OUT_OF_MEMORY;
		r = rdk_kvlist_add_kv(l, s, origin, errstr, sizeof(errstr));
		memset(s, 0, strlen(s));	/* may hold a secret */
		free(s);
		if (r == RDK_ERR_NOMEM)
			return RS_RET_OUT_OF_MEMORY;
		if (r != RDK_OK) {
			parser_errmsg("%s: %s", module, errstr);
			return RS_RET_CONF_PARAM_INVLD;
		}
	}
	return RS_RET_OK;
}
