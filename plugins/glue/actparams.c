/* actparams.c: action parameter list -> name/value pairs (actparams.h).
 * Thread use: config-load thread only.
 */
#include "config.h"
#include "rsyslog.h"
#include <stdlib.h>
#include <string.h>
#include <libestr.h>
#include "rainerscript.h"
#include "actparams.h"

int
rkv_actparams_get(struct nvlst *lst, rkv_param_t **out, size_t *n)
{
	struct nvlst *l;
	rkv_param_t *p;
	size_t k = 0, cnt = 0;

	for (l = lst; l != NULL; l = l->next)
		cnt++;
	*out = NULL;
	*n = 0;
	if ((p = calloc(cnt ? cnt : 1, sizeof(*p))) == NULL)
		return -1;
	for (l = lst; l != NULL; l = l->next, k++) {
		p[k].name = es_str2cstr(l->name, NULL);
		/* strings only: arrays (broker=[...]) matter to no check */
		if (l->val.datatype == 'S')
			p[k].value = es_str2cstr(l->val.d.estr, NULL);
		if (p[k].name == NULL) {
			rkv_actparams_free(p, k + 1);
			return -1;
		}
	}
	*out = p;
	*n = cnt;
	return 0;
}

void
rkv_actparams_free(rkv_param_t *p, size_t n)
{
	size_t i;

	for (i = 0; p != NULL && i < n; i++) {
		free((char *)p[i].name);
		free((char *)p[i].value);
	}
	free(p);
}
