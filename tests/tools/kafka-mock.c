/*
 * kafka-mock.c - standalone librdkafka mock Kafka cluster for tests.
 *
 * Starts an in-process mock cluster (rd_kafka_mock_cluster_new) with N
 * brokers listening on 127.0.0.1 (random ports), prints the bootstrap
 * servers string as the first stdout line and then reads control
 * commands from stdin, one per line, answering "ok" or "error: <why>".
 *
 * usage: kafka-mock [-b N] [-t topic:partitions[:replication]]...
 *                   [-p FILE] [-v]
 *
 * commands: down <id>, up <id>, error <apikey> <errcode> <count>,
 *           leader <topic> <partition> <id>,
 *           create <topic> <partitions> [replication], rtt <id> <ms>,
 *           topicerror <topic> <errcode>, bootstrap, quit
 * A broker id of -1 means "all brokers" for down/up/rtt.
 *
 * Note: the mock auto-creates unknown topics (4 partitions) whenever a
 * client's Metadata request allows it (librdkafka producers do by
 * default, consumers do not); no mock-side property is involved.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_ARGS	6
#define LINE_MAX_LEN	4096
#define MAX_ERR_COUNT	1000000
#define MAX_TOPIC_SPECS	64

struct mock {
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
	int nbrokers;
};

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Strict integer parsing: whole string must be a number in [min, max]. */
static int parse_long(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void reply(const char *fmt_err, const char *detail)
{
	if (fmt_err == NULL)
		fputs("ok\n", stdout);
	else if (detail != NULL)
		printf("error: %s: %s\n", fmt_err, detail);
	else
		printf("error: %s\n", fmt_err);
	fflush(stdout);
}

static void reply_err(rd_kafka_resp_err_t err)
{
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		reply(NULL, NULL);
	else
		reply(rd_kafka_err2name(err), rd_kafka_err2str(err));
}

static int default_replication(const struct mock *m)
{
	return m->nbrokers < 3 ? m->nbrokers : 3;
}

static int parse_broker(const struct mock *m, const char *s, int32_t *id)
{
	long v;

	if (parse_long(s, -1, INT32_MAX, &v) != 0 || v == 0 ||
	    v > m->nbrokers)
		return -1;
	*id = (int32_t)v;
	return 0;
}

static void cmd_updown(struct mock *m, int argc, char **argv, int up)
{
	int32_t id;

	if (argc != 2 || parse_broker(m, argv[1], &id) != 0) {
		reply("usage", up ? "up <broker_id|-1>" : "down <broker_id|-1>");
		return;
	}
	if (up)
		reply_err(rd_kafka_mock_broker_set_up(m->mc, id));
	else
		reply_err(rd_kafka_mock_broker_set_down(m->mc, id));
}

static void cmd_error(struct mock *m, int argc, char **argv)
{
	long apikey, errcode, count, i;
	rd_kafka_resp_err_t *errs;

	if (argc != 4 || parse_long(argv[1], 0, INT16_MAX, &apikey) != 0 ||
	    parse_long(argv[2], INT_MIN, INT_MAX, &errcode) != 0 ||
	    parse_long(argv[3], 1, MAX_ERR_COUNT, &count) != 0) {
		reply("usage", "error <apikey> <errcode> <count>");
		return;
	}
	errs = malloc((size_t)count * sizeof(*errs));
	if (errs == NULL) {
		reply("out of memory", NULL);
		return;
	}
	for (i = 0; i < count; i++)
		errs[i] = (rd_kafka_resp_err_t)errcode;
	rd_kafka_mock_push_request_errors_array(m->mc, (int16_t)apikey,
						(size_t)count, errs);
	free(errs);
	reply(NULL, NULL);
}

static void cmd_leader(struct mock *m, int argc, char **argv)
{
	long part;
	int32_t id;

	if (argc != 4 || parse_long(argv[2], 0, INT32_MAX, &part) != 0 ||
	    parse_broker(m, argv[3], &id) != 0) {
		reply("usage", "leader <topic> <partition> <broker_id|-1>");
		return;
	}
	reply_err(rd_kafka_mock_partition_set_leader(m->mc, argv[1],
						     (int32_t)part, id));
}

static void cmd_create(struct mock *m, int argc, char **argv)
{
	long parts, repl;

	repl = default_replication(m);
	if (argc < 3 || argc > 4 ||
	    parse_long(argv[2], 1, 100000, &parts) != 0 ||
	    (argc == 4 && parse_long(argv[3], 1, m->nbrokers, &repl) != 0)) {
		reply("usage", "create <topic> <partitions> [replication]");
		return;
	}
	reply_err(rd_kafka_mock_topic_create(m->mc, argv[1], (int)parts,
					     (int)repl));
}

static void cmd_rtt(struct mock *m, int argc, char **argv)
{
	int32_t id;
	long ms;

	if (argc != 3 || parse_broker(m, argv[1], &id) != 0 ||
	    parse_long(argv[2], 0, INT_MAX, &ms) != 0) {
		reply("usage", "rtt <broker_id|-1> <ms>");
		return;
	}
	reply_err(rd_kafka_mock_broker_set_rtt(m->mc, id, (int)ms));
}

static void cmd_topicerror(struct mock *m, int argc, char **argv)
{
	long errcode;

	if (argc != 3 || parse_long(argv[2], INT_MIN, INT_MAX, &errcode) != 0) {
		reply("usage", "topicerror <topic> <errcode>");
		return;
	}
	rd_kafka_mock_topic_set_error(m->mc, argv[1],
				      (rd_kafka_resp_err_t)errcode);
	reply(NULL, NULL);
}

/* Execute one command line. Returns 1 if the program should quit. */
static int run_command(struct mock *m, char *line)
{
	char *argv[MAX_ARGS];
	char *save = NULL;
	char *tok;
	int argc = 0;

	for (tok = strtok_r(line, " \t\r", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r", &save)) {
		if (argc == MAX_ARGS) {
			reply("too many arguments", NULL);
			return 0;
		}
		argv[argc++] = tok;
	}
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	if (strcmp(argv[0], "quit") == 0) {
		reply(NULL, NULL);
		return 1;
	} else if (strcmp(argv[0], "down") == 0) {
		cmd_updown(m, argc, argv, 0);
	} else if (strcmp(argv[0], "up") == 0) {
		cmd_updown(m, argc, argv, 1);
	} else if (strcmp(argv[0], "error") == 0) {
		cmd_error(m, argc, argv);
	} else if (strcmp(argv[0], "leader") == 0) {
		cmd_leader(m, argc, argv);
	} else if (strcmp(argv[0], "create") == 0) {
		cmd_create(m, argc, argv);
	} else if (strcmp(argv[0], "rtt") == 0) {
		cmd_rtt(m, argc, argv);
	} else if (strcmp(argv[0], "topicerror") == 0) {
		cmd_topicerror(m, argc, argv);
	} else if (strcmp(argv[0], "bootstrap") == 0) {
		printf("%s\n", rd_kafka_mock_cluster_bootstraps(m->mc));
		fflush(stdout);
	} else {
		reply("unknown command", argv[0]);
	}
	return 0;
}

/* Run all complete lines in buf; keeps a trailing partial line. */
static int process_buffer(struct mock *m, char *buf, size_t *len)
{
	char *nl;
	size_t used;

	while ((nl = memchr(buf, '\n', *len)) != NULL) {
		*nl = '\0';
		used = (size_t)(nl - buf) + 1;
		if (run_command(m, buf))
			return 1;
		memmove(buf, buf + used, *len - used);
		*len -= used;
	}
	if (*len == LINE_MAX_LEN) {
		reply("line too long", NULL);
		*len = 0;
	}
	return 0;
}

/* Command loop: poll stdin so that signals are noticed promptly. */
static void command_loop(struct mock *m)
{
	char buf[LINE_MAX_LEN + 1];
	size_t len = 0;
	struct pollfd pfd;
	ssize_t n;
	int r;

	while (!stop_requested) {
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		pfd.revents = 0;
		r = poll(&pfd, 1, 200);
		if (r < 0 && errno != EINTR)
			return;
		if (r <= 0)
			continue;
		n = read(STDIN_FILENO, buf + len, LINE_MAX_LEN - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			/* EOF: run a final unterminated line, then stop */
			buf[len] = '\0';
			if (len > 0)
				run_command(m, buf);
			return;
		}
		len += (size_t)n;
		if (process_buffer(m, buf, &len))
			return;
	}
}

/* Parse and apply "-t topic:partitions[:replication]". */
static int create_topic_spec(struct mock *m, const char *spec)
{
	char tmp[512];
	char *p, *r;
	long parts, repl;
	rd_kafka_resp_err_t err;

	repl = default_replication(m);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s", spec) >= sizeof(tmp))
		return -1;
	p = strchr(tmp, ':');
	if (p == NULL || p == tmp)
		return -1;
	*p++ = '\0';
	r = strchr(p, ':');
	if (r != NULL)
		*r++ = '\0';
	if (parse_long(p, 1, 100000, &parts) != 0 ||
	    (r != NULL && parse_long(r, 1, m->nbrokers, &repl) != 0))
		return -1;
	err = rd_kafka_mock_topic_create(m->mc, tmp, (int)parts, (int)repl);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "kafka-mock: topic %s: %s\n", tmp,
			rd_kafka_err2str(err));
		return -1;
	}
	return 0;
}

/* Write the bootstrap string atomically: FILE.tmp, then rename. */
static int write_bootstrap_file(const char *path, const char *bootstrap)
{
	char tmp[4096];
	FILE *fp;
	int ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -1;
	fp = fopen(tmp, "w");
	if (fp == NULL)
		return -1;
	ok = fprintf(fp, "%s\n", bootstrap) > 0;
	if (fclose(fp) != 0 || !ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int create_cluster(struct mock *m, int verbose)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512];

	if (rd_kafka_conf_set(conf, "log_level", verbose ? "7" : "0",
			      errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
	    (verbose && rd_kafka_conf_set(conf, "debug", "mock", errstr,
					 sizeof(errstr)) != RD_KAFKA_CONF_OK)) {
		fprintf(stderr, "kafka-mock: conf: %s\n", errstr);
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	m->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
	if (m->rk == NULL) {
		fprintf(stderr, "kafka-mock: rd_kafka_new: %s\n", errstr);
		return -1;
	}
	m->mc = rd_kafka_mock_cluster_new(m->rk, m->nbrokers);
	if (m->mc == NULL) {
		fprintf(stderr, "kafka-mock: cannot create mock cluster\n");
		rd_kafka_destroy(m->rk);
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: kafka-mock [-b brokers] [-p bootstrap_file] "
		"[-t topic:partitions[:replication]]... [-v]\n");
	exit(2);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void shutdown_cluster(struct mock *m)
{
	rd_kafka_mock_cluster_destroy(m->mc);
	rd_kafka_destroy(m->rk);
}

int main(int argc, char **argv)
{
	struct mock m = { NULL, NULL, 3 };
	const char *topics[MAX_TOPIC_SPECS];
	const char *pidfile = NULL;
	const char *bootstrap;
	long v;
	int opt, i, ntopics = 0, verbose = 0;

	while ((opt = getopt(argc, argv, "b:p:t:vh")) != -1) {
		if (opt == 'b' && parse_long(optarg, 1, 64, &v) == 0)
			m.nbrokers = (int)v;
		else if (opt == 'p')
			pidfile = optarg;
		else if (opt == 't' && ntopics < MAX_TOPIC_SPECS)
			topics[ntopics++] = optarg;
		else if (opt == 'v')
			verbose = 1;
		else
			usage();
	}
	if (optind != argc)
		usage();
	install_signals();
	if (create_cluster(&m, verbose) != 0)
		return 1;
	for (i = 0; i < ntopics; i++) {
		if (create_topic_spec(&m, topics[i]) != 0) {
			fprintf(stderr, "kafka-mock: bad topic spec '%s'\n",
				topics[i]);
			shutdown_cluster(&m);
			return 2;
		}
	}
	bootstrap = rd_kafka_mock_cluster_bootstraps(m.mc);
	if (pidfile != NULL && write_bootstrap_file(pidfile, bootstrap) != 0)
		fprintf(stderr, "kafka-mock: cannot write %s\n", pidfile);
	printf("%s\n", bootstrap);
	fflush(stdout);
	command_loop(&m);
	shutdown_cluster(&m);
	return 0;
}
