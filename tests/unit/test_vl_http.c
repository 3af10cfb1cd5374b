/* Unit tests of the VictoriaLogs HTTP client against tests/tools/vl-server
 * (a child process): a gzip body delivered with the tenant headers and
 * the query; 503 and a connection refused -> retry; 400 -> reject with
 * the server's answer; a stalled server -> the timeout fires -> retry;
 * the status classes; the query's URL encoding. The sender (vl_send):
 * line checks, POSTs split by max_events, failover past a dead endpoint,
 * a rejected POST split until the bad line stands alone, a 503 retried
 * for the unacknowledged lines only, a stalled POST cancelled. */
#include "rkv_config.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vl_http.h"
#include "vl_body.h"
#include "vl_send.h"
#include "vl_line.h"
#include "rkv_util.h"
#include "unit.h"

static pid_t srv;
static int cmd_fd;
static char dir[] = "/tmp/test_vl_http.XXXXXX", portfile[256], rowsfile[256];

static int
start_server(void)
{
	const char *b = getenv("RKV_BUILDDIR");
	char path[512], port[32] = "";
	int p[2], i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/tools/vl-server", b ? b : ".");
	if (mkdtemp(dir) == NULL || pipe(p) != 0)
		return -1;
	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	snprintf(rowsfile, sizeof(rowsfile), "%s/rows", dir);
	if ((srv = fork()) == 0) {
		dup2(p[0], 0);
		close(p[1]);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execl(path, "vl-server", "-p", portfile, "-o", rowsfile, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	cmd_fd = p[1];
	for (i = 0; i < 100 && port[0] == '\0'; i++) {
		usleep(20000);
		if ((f = fopen(portfile, "r")) != NULL) {
			if (fgets(port, sizeof(port), f) == NULL)
				port[0] = '\0';
			fclose(f);
		}
	}
	return port[0] ? atoi(port) : -1;
}

static void
cmd(const char *c)
{
	if (write(cmd_fd, c, strlen(c)) < 0)
		perror("cmd");
	usleep(100000);
}

static int
count_lines(const char *path, const char *needle)
{
	char line[4096];
	int n = 0;
	FILE *f = fopen(path, "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, needle) != NULL;
	if (f != NULL)
		fclose(f);
	return n;
}

static int cancel_now;

static int
cancel_cb(void *opaque)
{
	(void)opaque;
	return cancel_now;
}

static void
test_send(int port, const char *q)
{
	char url[64], lines[20][400], errstr[128];
	const char *urls[2];
	rkv_blob_t blob[20];
	vl_send_opts_t o;
	vl_send_stats_t st;
	vl_sender_t *s;
	rkv_txn_t t;
	int64_t t0;
	int i;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	urls[0] = "http://127.0.0.1:1";	/* dead: every POST fails over */
	urls[1] = url;
	memset(&o, 0, sizeof(o));
	o.urls = urls;
	o.nurls = 2;
	o.http.query = q;
	o.http.account = "9";
	o.http.timeout_ms = 1000;
	o.http.cancel = cancel_cb;
#ifdef HAVE_LIBZSTD
	o.codec = VL_CODEC_ZSTD;
#else
	o.codec = VL_CODEC_GZIP;
#endif
	o.max_events = 8;
	o.max_line = 150;
	s = vl_send_new(&o, errstr, sizeof(errstr));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < 20; i++) {
		snprintf(lines[i], sizeof(lines[i]), "{\"message\":\"send-%d%s\",\"host\":\"h\"}", i,
			i == 12 ? " REJECT-ME" : i == 7 ? " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" : "");
		blob[i].data = lines[i];
		blob[i].len = strlen(lines[i]) - (i == 3);	/* 3: the brace cut off */
	}
	rkv_txn_init(&t);
	/* VictoriaLogs needs room for the newline: a line of max_line bytes
	 * is already too long, one byte less is not */
	{
		char edge[151];
		rkv_blob_t e;
		memset(edge, 'x', sizeof(edge));
		memcpy(edge, "{\"m\":\"", 6);
		memcpy(edge + 148, "\"}", 2);	/* 150 bytes */
		e.data = edge;
		e.len = 150;
		CHECK(vl_send_begin(s, &e, 1, &t) == 1 && t.slot[0].err == -(int)VL_LINE_TOO_LONG);
		memcpy(edge + 147, "\"}", 2);
		e.len = 149;
		CHECK(vl_send_begin(s, &e, 1, &t) == 0);
	}
	cmd("reject 400 REJECT-ME\n");
	CHECK(vl_send_begin(s, blob, 20, &t) == 2);
	CHECK(t.slot[3].outcome == RKV_FAILED && t.slot[7].outcome == RKV_FAILED);
	vl_send_round(s, blob, &t);
	CHECK(t.pending == 0 && t.acked == 17 && t.failed == 3 && t.retry == 0);
	CHECK(t.slot[12].outcome == RKV_FAILED && t.slot[12].err == 400);
	CHECK(vl_send_answer(s, 12) != NULL && strstr(vl_send_answer(s, 12), "line rejected") != NULL);
	CHECK(vl_send_answer(s, 11) == NULL);
	vl_send_stats_take(s, &st);
	CHECK(st.failovers >= 1 && st.split >= 1 && st.transport >= 1 && st.s4xx >= 2);
	CHECK(count_lines(rowsfile, "\"_msg\":\"send-") == 17);
	CHECK(count_lines(rowsfile, "send-12") == 0 && count_lines(rowsfile, "send-7 ") == 0);
	cmd("reject off\n");

	/* 503 on the first POST: the round ends, every line waits for the next */
	CHECK(vl_send_begin(s, blob + 13, 5, &t) == 0);
	cmd("fail 503 1\n");
	vl_send_round(s, blob + 13, &t);
	CHECK(t.retry == 5 && t.acked == 0 && t.slot[0].maybe_sent == 0);
	vl_send_round(s, blob + 13, &t);
	CHECK(t.acked == 5 && t.retry == 0 && t.rounds == 2);
	CHECK(count_lines(rowsfile, "\"_msg\":\"send-14\"") == 2);

	/* a stalled POST is given up as soon as the cancel poll says so */
	CHECK(vl_send_begin(s, blob, 2, &t) == 0);
	cmd("stall 2\n");
	cancel_now = 1;
	t0 = rkv_now_ms();
	vl_send_round(s, blob, &t);
	CHECK(t.retry == 2 && rkv_now_ms() - t0 < 900);
	cancel_now = 0;
	cmd("stall 0\n");
	rkv_txn_free(&t);
	vl_send_free(s);
}

int
main(void)
{
	char url[64], ans[256], *q;
	vl_http_opts_t o;
	vl_http_t *h;
	vl_body_t b;
	long st;
	int port;

	CHECK(vl_http_classify(200) == VL_HTTP_OK && vl_http_classify(204) == VL_HTTP_OK);
	CHECK(vl_http_classify(0) == VL_HTTP_RETRY && vl_http_classify(429) == VL_HTTP_RETRY);
	CHECK(vl_http_classify(503) == VL_HTTP_RETRY && vl_http_classify(408) == VL_HTTP_RETRY);
	CHECK(vl_http_classify(400) == VL_HTTP_REJECT && vl_http_classify(413) == VL_HTTP_REJECT);
	/* no line can change these: kept and retried, never split into errorFile */
	CHECK(vl_http_classify(401) == VL_HTTP_RETRY && vl_http_classify(403) == VL_HTTP_RETRY);
	CHECK(vl_http_classify(404) == VL_HTTP_RETRY && vl_http_classify(415) == VL_HTTP_RETRY);
	q = vl_query_build("message", "timestamp", "host,kubernetes.pod_name", NULL, "env=prod x");
	CHECK_STR(q, "_msg_field=message&_time_field=timestamp&_stream_fields=host,"
		"kubernetes.pod_name&extra_fields=env%3Dprod%20x");

	port = start_server();
	CHECK(port > 0);
	if (port <= 0)
		return unit_done("test_vl_http");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	memset(&o, 0, sizeof(o));
	o.url = url;
	o.query = q;
	o.account = "5";
	o.project = "6";
	o.timeout_ms = 1000;
	o.encoding = "gzip";
	h = vl_http_new(&o, ans, sizeof(ans));
	CHECK(h != NULL);
	vl_body_init(&b, VL_CODEC_GZIP, 0);
	vl_body_add(&b, "{\"message\":\"one\",\"timestamp\":\"2026-12-01T10:00:00Z\",\"host\":\"h\"}", 63);
	vl_body_add(&b, "{\"message\":\"two\",\"host\":\"h\"}", 28);
	vl_body_add(&b, "{\"message\":\"three\",\"host\":\"h\"}", 30);
	CHECK(vl_body_finish(&b) == 0);

	CHECK(vl_http_post(h, vl_body_data(&b), vl_body_len(&b), &st, ans, sizeof(ans)) == VL_HTTP_OK);
	CHECK(st == 200);
	cmd("stats\n");
	CHECK(count_lines(rowsfile, "\"tenant\":\"5:6\"") == 3);
	CHECK(count_lines(rowsfile, "\"_stream\":\"{host=\\\"h\\\"}\"") == 3);
	CHECK(count_lines(rowsfile, "\"env\":\"prod x\"") == 3);

	cmd("fail 503 1\n");
	CHECK(vl_http_post(h, vl_body_data(&b), vl_body_len(&b), &st, ans, sizeof(ans)) == VL_HTTP_RETRY);
	CHECK(st == 503 && strstr(ans, "injected") != NULL);
	cmd("fail 400 1\n");
	CHECK(vl_http_post(h, vl_body_data(&b), vl_body_len(&b), &st, ans, sizeof(ans)) == VL_HTTP_REJECT);
	CHECK(st == 400);
	cmd("stall 1\n");
	CHECK(vl_http_post(h, vl_body_data(&b), vl_body_len(&b), &st, ans, sizeof(ans)) == VL_HTTP_RETRY);
	CHECK(st == 0 && ans[0] != '\0' && !vl_http_unsent(h));	/* sent: maybe stored */
	fprintf(stderr, "stalled server: %s\n", ans);
	/* the handle goes on after the timeout */
	CHECK(vl_http_post(h, vl_body_data(&b), vl_body_len(&b), &st, ans, sizeof(ans)) == VL_HTTP_OK);
	CHECK(count_lines(rowsfile, "\"_msg\":\"three\"") == 2);
	vl_http_free(h);

	test_send(port, q);

	o.url = "http://127.0.0.1:1";	/* nobody listens */
	h = vl_http_new(&o, ans, sizeof(ans));
	CHECK(h != NULL && vl_http_post(h, "{}\n", 3, &st, ans, sizeof(ans)) == VL_HTTP_RETRY && st == 0);
	CHECK(h != NULL && vl_http_unsent(h));	/* refused: nothing can be stored */
	vl_http_free(h);

	vl_body_free(&b);
	free(q);
	close(cmd_fd);
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	unlink(portfile);
	unlink(rowsfile);
	rmdir(dir);
	return unit_done("test_vl_http");
}
