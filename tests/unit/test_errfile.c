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

static rkv_errfile_t *ef;

static void *
writer(void *arg)
{
	rkv_buf_t b;
	rkv_errrec_t r;
	char payload[300];
	int i;

	rkv_buf_init(&b);
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
		CHECK(rkv_errrec_json(&b, &r) == 0);
		CHECK(rkv_errfile_write(ef, b.data, b.len) == 0);
	}
	rkv_buf_free(&b);
	return NULL;
}

/* Two actions without errorFile get two default paths; a path can be
 * claimed once; names are made file-name safe. */
static void
test_default_paths(void)
{
	rkv_buf_t a, b;

	rkv_buf_init(&a);
	rkv_buf_init(&b);
	CHECK(rkv_default_path(&a, "/wd", "omrdkafka-logs", "-errors.json") == 0);
	CHECK_STR(a.data, "/wd/omrdkafka-logs-errors.json");
	CHECK(rkv_default_path(&b, "/wd", "omrdkafka-logs", "-errors.json") == 0);
	CHECK_STR(b.data, "/wd/omrdkafka-logs-2-errors.json");
	CHECK(rkv_path_claim("/wd/omrdkafka-logs-errors.json") == 1);
	rkv_path_release(a.data);
	CHECK(rkv_path_claim("/wd/omrdkafka-logs-errors.json") == 0);
	CHECK(rkv_default_path(&a, "/wd", "a/b c", ".json") == 0);
	CHECK_STR(a.data, "/wd/a_b_c.json");
	rkv_buf_free(&a);
	rkv_buf_free(&b);
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
	ef = rkv_errfile_new(path);
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, writer, (void *)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(rkv_errfile_lines(ef) == THREADS * PER_THREAD);
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
	rkv_errfile_reopen(ef);
	CHECK(rkv_errfile_write(ef, "{}", 2) == 0);
	CHECK(access(path, F_OK) == 0);
	unlink(path);
	rkv_errfile_free(ef);
	test_default_paths();
	return unit_done("test_errfile");
}
