/* Unit tests of the VictoriaLogs HTTP client against tests/tools/vl-server
 * (a child process): a gzip body delivered with the tenant headers and
 * the query; 503 and a connection refused -> retry; 400 -> reject with
 * the server's answer; a stalled server -> the timeout fires -> retry;
 * the status classes; the query's URL encoding. */
#include "rkv_config.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vl_http.h"
#include "vl_body.h"
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
	CHECK(st == 0 && ans[0] != '\0');
	fprintf(stderr, "stalled server: %s\n", ans);
	/* the handle goes on after the timeout */
	CHECK(vl_http_post(h, vl_body_data(&b), vl_body_len(&b), &st, ans, sizeof(ans)) == VL_HTTP_OK);
	CHECK(count_lines(rowsfile, "\"_msg\":\"three\"") == 2);
	vl_http_free(h);

	o.url = "http://127.0.0.1:1";	/* nobody listens */
	h = vl_http_new(&o, ans, sizeof(ans));
	CHECK(h != NULL && vl_http_post(h, "{}\n", 3, &st, ans, sizeof(ans)) == VL_HTTP_RETRY && st == 0);
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
