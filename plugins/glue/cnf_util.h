/* cnf_util.h: rsyslog config arrays as C strings, for every module.
 * Thread use: config-load thread only.
 */
#ifndef RKV_CNF_UTIL_H
#define RKV_CNF_UTIL_H
#include <stddef.h>

struct cnfarray;
/* "a","b,c" -> "a,b,c"; NULL when out of memory. */
char *rkv_cnf_join(struct cnfarray *ar);
/* The array's strings, NULL-terminated; *n their count. */
char **rkv_cnf_strings(struct cnfarray *ar, size_t *n);
void rkv_cnf_strings_free(char **s);

#endif
