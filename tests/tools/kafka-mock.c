/*
 * kafka-mock.c - standalone librdkafka mock Kafka cluster for tests.
 * usage: kafka-mock [-b N] [-t topic:partitions[:repl]]... [-p FILE] [-v]
 *
 * Starts a mock cluster with N brokers (default 3, ids 1..N) on 127.0.0.1
 * (random ports), prints the bootstrap servers string as the first stdout
 * line (with -p also writes it atomically to FILE), then reads commands
 * from stdin, one per line, answering "ok" or "error: <why>":
 *   down <id>, up <id>, rtt <id> <ms>        (id -1 = all brokers)
 *   error <apikey> <errcode> <count>         e.g. "error 0 6 5"
 *   leader <topic> <partition> <id>, create <topic> <partitions> [repl]
 *   topicerror <topic> <errcode>, bootstrap (prints the string), quit
 * Blank lines get no answer. Exits 0 on quit, stdin EOF, SIGTERM/SIGINT.
 * The mock auto-creates unknown topics (4 partitions) whenever a client
 * Metadata request allows it; no mock-side property is needed.
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

#define MAX_ARGS	5
#define LINE_MAX_LEN	4096
#define MAX_ERR_COUNT	1000000
#define MAX_PARTITIONS	10000
#define MAX_TOPIC_SPECS	64
#define BADARGS		RD_KAFKA_RESP_ERR__INVALID_ARG

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

/* Broker id: 1..N, or -1 for all brokers. */
static int parse_broker(const struct mock *m, const char *s, int32_t *id)
{
	long v;

	if (parse_long(s, -1, m->nbrokers, &v) != 0 || v == 0)
		return -1;
	*id = (int32_t)v;
	return 0;
}

/*
 * Command handlers. argv is NULL terminated and the argument count has
 * been checked already. BADARGS means "print the usage line".
 */
static rd_kafka_resp_err_t cmd_updown(struct mock *m, char **argv)
{
	int32_t id;

	if (parse_broker(m, argv[1], &id) != 0)
		return BADARGS;
	if (strcmp(argv[0], "up") == 0)
		return rd_kafka_mock_broker_set_up(m->mc, id);
	return rd_kafka_mock_broker_set_down(m->mc, id);
}

static rd_kafka_resp_err_t cmd_error(struct mock *m, char **argv)
{
	long apikey, errcode, count, i;
	rd_kafka_resp_err_t *errs;

	if (parse_long(argv[1], 0, INT16_MAX, &apikey) != 0 ||
	    parse_long(argv[2], INT_MIN, INT_MAX, &errcode) != 0 ||
	    parse_long(argv[3], 1, MAX_ERR_COUNT, &count) != 0)
		return BADARGS;
	errs = malloc((size_t)count * sizeof(*errs));
	if (errs == NULL)
		return RD_KAFKA_RESP_ERR__FAIL;
	for (i = 0; i < count; i++)
		errs[i] = (rd_kafka_resp_err_t)errcode;
	rd_kafka_mock_push_request_errors_array(m->mc, (int16_t)apikey,
						(size_t)count, errs);
	free(errs);
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t cmd_leader(struct mock *m, char **argv)
{
	long part;
	int32_t id;

	if (parse_long(argv[2], 0, MAX_PARTITIONS - 1, &part) != 0 ||
	    parse_broker(m, argv[3], &id) != 0)
		return BADARGS;
	return rd_kafka_mock_partition_set_leader(m->mc, argv[1],
						  (int32_t)part, id);
}

static rd_kafka_resp_err_t cmd_create(struct mock *m, char **argv)
{
	long parts, repl = m->nbrokers < 3 ? m->nbrokers : 3;

	if (parse_long(argv[2], 1, MAX_PARTITIONS, &parts) != 0 ||
	    (argv[3] != NULL &&
	     parse_long(argv[3], 1, m->nbrokers, &repl) != 0))
		return BADARGS;
	return rd_kafka_mock_topic_create(m->mc, argv[1], (int)parts,
					  (int)repl);
}

static rd_kafka_resp_err_t cmd_rtt(struct mock *m, char **argv)
{
	int32_t id;
	long ms;

	if (parse_broker(m, argv[1], &id) != 0 ||
	    parse_long(argv[2], 0, INT_MAX, &ms) != 0)
		return BADARGS;
	return rd_kafka_mock_broker_set_rtt(m->mc, id, (int)ms);
}

static rd_kafka_resp_err_t cmd_topicerror(struct mock *m, char **argv)
{
	long errcode;

	if (parse_long(argv[2], INT_MIN, INT_MAX, &errcode) != 0)
		return BADARGS;
	rd_kafka_mock_topic_set_error(m->mc, argv[1],
				      (rd_kafka_resp_err_t)errcode);
	return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static const struct command {
	const char *name;
	int min_args, max_args;
	rd_kafka_resp_err_t (*fn)(struct mock *, char **);
	const char *usage;
} commands[] = {
	{ "down", 1, 1, cmd_updown, "down <broker_id|-1>" },
	{ "up", 1, 1, cmd_updown, "up <broker_id|-1>" },
	{ "error", 3, 3, cmd_error, "error <apikey> <errcode> <count>" },
	{ "leader", 3, 3, cmd_leader, "leader <topic> <partition> <id>" },
	{ "create", 2, 3, cmd_create, "create <topic> <partitions> [repl]" },
	{ "rtt", 2, 2, cmd_rtt, "rtt <broker_id|-1> <ms>" },
	{ "topicerror", 2, 2, cmd_topicerror, "topicerror <topic> <errcode>" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Execute one command line. Returns 1 if the program should quit. */
static int run_command(struct mock *m, char *line)
{
	const struct command *c;
	char *argv[MAX_ARGS + 2];
	char *save = NULL, *tok;
	rd_kafka_resp_err_t err;
	int argc = 0;

	for (tok = strtok_r(line, " \t\r", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r", &save))
		if (argc <= MAX_ARGS)
			argv[argc++] = tok;
	argv[argc] = NULL;
	if (argc == 0)
		return 0;
	for (c = commands; c->name != NULL; c++)
		if (strcmp(argv[0], c->name) == 0)
			break;
	if (strcmp(argv[0], "quit") == 0)
		printf("ok\n");
	else if (strcmp(argv[0], "bootstrap") == 0)
		printf("%s\n", rd_kafka_mock_cluster_bootstraps(m->mc));
	else if (c->name == NULL)
		printf("error: unknown command: %s\n", argv[0]);
	else if (argc - 1 < c->min_args || argc - 1 > c->max_args ||
		 (err = c->fn(m, argv)) == BADARGS)
		printf("error: usage: %s\n", c->usage);
	else if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		printf("error: %s: %s\n", rd_kafka_err2name(err),
		       rd_kafka_err2str(err));
	else
		printf("ok\n");
	fflush(stdout);
	return strcmp(argv[0], "quit") == 0;
}

/*
 * Run all complete lines in buf, keeping a trailing partial line. An
 * overlong line is answered once and then skipped up to its newline.
 */
static int process_buffer(struct mock *m, char *buf, size_t *len, int *skip)
{
	char *nl;
	size_t used;

	while ((nl = memchr(buf, '\n', *len)) != NULL) {
		*nl = '\0';
		used = (size_t)(nl - buf) + 1;
		if (!*skip && run_command(m, buf))
			return 1;
		*skip = 0;
		memmove(buf, buf + used, *len - used);
		*len -= used;
	}
	if (*len == LINE_MAX_LEN) {
		if (!*skip)
			printf("error: line too long\n");
		fflush(stdout);
		*skip = 1;
		*len = 0;
	}
	return 0;
}

/* Command loop: poll stdin with a timeout so signals are noticed. */
static void command_loop(struct mock *m)
{
	char buf[LINE_MAX_LEN + 1];
	size_t len = 0;
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
	ssize_t n;
	int r, skip = 0;

	while (!stop_requested) {
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
			if (len > 0 && !skip)
				run_command(m, buf);
			return;
		}
		len += (size_t)n;
		if (process_buffer(m, buf, &len, &skip))
			return;
	}
}

/* Parse and apply "-t topic:partitions[:replication]". */
static int create_topic_spec(struct mock *m, const char *spec)
{
	char tmp[512];
	char *argv[4] = { NULL, tmp, NULL, NULL };
	rd_kafka_resp_err_t err = BADARGS;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s", spec) < sizeof(tmp) &&
	    (argv[2] = strchr(tmp, ':')) != NULL && argv[2] != tmp) {
		*argv[2]++ = '\0';
		if ((argv[3] = strchr(argv[2], ':')) != NULL)
			*argv[3]++ = '\0';
		err = cmd_create(m, argv);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		fprintf(stderr, "kafka-mock: -t %s: %s\n", spec,
			err == BADARGS ? "bad topic spec" :
			rd_kafka_err2str(err));
	return err == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
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

/* Dummy producer handle (never connects anywhere) plus mock cluster. */
static int create_cluster(struct mock *m, int verbose)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512];

	/* quiet by default; -v enables the mock's debug log on stderr */
	if (rd_kafka_conf_set(conf, verbose ? "debug" : "log_level",
			      verbose ? "mock" : "0", errstr,
			      sizeof(errstr)) != RD_KAFKA_CONF_OK) {
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

int main(int argc, char **argv)
{
	struct mock m = { NULL, NULL, 3 };
	const char *topics[MAX_TOPIC_SPECS];
	const char *pidfile = NULL, *bootstrap;
	long v;
	int opt, i, ntopics = 0, verbose = 0, rc = 0;

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
	for (i = 0; i < ntopics && rc == 0; i++)
		if (create_topic_spec(&m, topics[i]) != 0)
			rc = 2;
	bootstrap = rd_kafka_mock_cluster_bootstraps(m.mc);
	if (rc == 0 && pidfile != NULL &&
	    write_bootstrap_file(pidfile, bootstrap) != 0) {
		fprintf(stderr, "kafka-mock: cannot write %s\n", pidfile);
		rc = 1;
	}
	if (rc == 0) {
		printf("%s\n", bootstrap);
		fflush(stdout);
		command_loop(&m);
	}
	rd_kafka_mock_cluster_destroy(m.mc);
	rd_kafka_destroy(m.rk);
	return rc;
}
