/* Unit tests of errfile: records are valid JSON with every field, binary
 * payloads survive, concurrent writers never interleave lines. */
#include "rkv_config.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <json.h>
#include "errfile.h"
#include "unit.h"

#define THREADS 4
#define PER_THREAD 2000

static rdk_errfile_t *ef;

static void *
writer(void *arg)
{
	rdk_buf_t b;
	rdk_errrec_t r;
	char payload[300];
	int i;

	rdk_buf_init(&b);
	memset(&r, 0, sizeof(r));
	r.module = "omrdkafka";
	r.topic = "t";
	r.reason = "msg_too_large";
	r.error = "Broker: Message size too large";
	for (i = 0; i < PER_THREAD; i++) {
		int n = snprintf(payload, sizeof(payload), "thread=%ld seq=%d \"q\" \x01\xff",
			(long)(size_t)arg, i);
		r.payload = payload;
		r.len = (size_t)n;
		CHECK(rdk_errrec_json(&b, &r) == 0);
		CHECK(rdk_errfile_write(ef, b.data, b.len) == 0);
	}
	rdk_buf_free(&b);
	return NULL;
}

int
main(void)
{
	char path[] = "/tmp/rkv-errfile-XXXXXX";
	pthread_t t[THREADS];
	char line[4096];
	FILE *f;
	long i, lines = 0, good = 0;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	ef = rdk_errfile_new(path);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, writer, (void *)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(rdk_errfile_lines(ef) == THREADS * PER_THREAD);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		struct fjson_object *o = fjson_tokener_parse(line), *v;
		lines++;
		if (o && fjson_object_object_get_ex(o, "payload", &v) &&
		    strstr(fjson_object_get_string(v), "\"q\"") != NULL &&
		    fjson_object_object_get_ex(o, "reason", &v) &&
		    strcmp(fjson_object_get_string(v), "msg_too_large") == 0 &&
		    fjson_object_object_get_ex(o, "time", &v))
			good++;
		if (o)
			fjson_object_put(o);
	}
	if (f)
		fclose(f);
	CHECK(lines == THREADS * PER_THREAD);
	CHECK(good == lines);
	/* reopen after the file was moved away (log rotation) */
	CHECK(unlink(path) == 0);
	rdk_errfile_reopen(ef);
	CHECK(rdk_errfile_write(ef, "{}", 2) == 0);
	CHECK(access(path, F_OK) == 0);
	unlink(path);
	rdk_errfile_free(ef);
	return unit_done("test_errfile");
}
