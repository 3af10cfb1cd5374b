/* kstats.c: librdkafka statistics JSON -> rdk_kstats_t (kstats.h).
 * Thread use: reentrant.
 */
#include "rkv_config.h"
#include <string.h>
#include <json.h>
#include "kstats.h"

static int64_t
get_int(struct fjson_object *o, const char *k1, const char *k2)
{
	struct fjson_object *v;

	if (!fjson_object_object_get_ex(o, k1, &v))
		return -1;
	if (k2 != NULL && !fjson_object_object_get_ex(v, k2, &v))
		return -1;
	return fjson_object_get_int64(v);
}

static void
broker(struct fjson_object *b, rdk_kstats_t *out)
{
	struct fjson_object *st;
	int64_t v;

	if (get_int(b, "nodeid", NULL) < 0)
		return;		/* bootstrap placeholder */
	if (!fjson_object_object_get_ex(b, "state", &st) ||
	    strcmp(fjson_object_get_string(st), "UP") != 0)
		return;
	out->brokers_up++;
	if ((v = get_int(b, "rtt", "avg")) > out->rtt_avg_us)
		out->rtt_avg_us = v;
	if ((v = get_int(b, "throttle", "avg")) > out->throttle_avg_ms)
		out->throttle_avg_ms = v;
}

int
rdk_kstats_parse(const char *json, size_t len, rdk_kstats_t *out)
{
	struct fjson_tokener *tok = fjson_tokener_new();
	struct fjson_object *o, *brokers;
	struct fjson_object_iterator it, end;

	memset(out, 0, sizeof(*out));
	if (tok == NULL)
		return -1;
	o = fjson_tokener_parse_ex(tok, json, (int)len);
	fjson_tokener_free(tok);
	if (o == NULL || !fjson_object_is_type(o, fjson_type_object) ||
	    !fjson_object_object_get_ex(o, "brokers", &brokers) ||
	    !fjson_object_is_type(brokers, fjson_type_object)) {
		if (o != NULL)
			fjson_object_put(o);
		return -1;
	}
	out->msg_cnt = get_int(o, "msg_cnt", NULL);
	it = fjson_object_iter_begin(brokers);
	end = fjson_object_iter_end(brokers);
	while (!fjson_object_iter_equal(&it, &end)) {
		struct fjson_object *b = fjson_object_iter_peek_value(&it);
		if (fjson_object_is_type(b, fjson_type_object))
			broker(b, out);
		fjson_object_iter_next(&it);
	}
	fjson_object_put(o);
	return 0;
}
