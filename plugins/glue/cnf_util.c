/* cnf_util.c: see cnf_util.h. Thread use: config-load thread only. */
#include "config.h"
#include "rsyslog.h"
#include <stdlib.h>
#include <string.h>
#include <libestr.h>
#include "rainerscript.h"
#include "cnf_util.h"
#include "rkv_util.h"

char *
rkv_cnf_join(struct cnfarray *ar)
{
	rkv_buf_t b;
	int i;

	rkv_buf_init(&b);
	for (i = 0; i < ar->nmemb; i++) {
		char *s = es_str2cstr(ar->arr[i], NULL);
		if (s == NULL || (b.len && rkv_buf_puts(&b, ",") != 0) || rkv_buf_puts(&b, s) != 0) {
			free(s);
			rkv_buf_free(&b);
			return NULL;
		}
		free(s);
	}
	if (rkv_buf_nul(&b) != 0) {
		rkv_buf_free(&b);
		return NULL;
	}
	return b.data;
}

char **
rkv_cnf_strings(struct cnfarray *ar, size_t *n)
{
	char **s = calloc((size_t)ar->nmemb + 1, sizeof(*s));
	int i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < ar->nmemb; i++) {
		if ((s[i] = es_str2cstr(ar->arr[i], NULL)) == NULL) {
			rkv_cnf_strings_free(s);
			return NULL;
		}
	}
	*n = (size_t)ar->nmemb;
	return s;
}

void
rkv_cnf_strings_free(char **s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != NULL; i++)
		free(s[i]);
	free(s);
}
