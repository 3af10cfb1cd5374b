/* kafka-produce: produces the records of stdin, separated by a delimiter
 * string, one Kafka message each, empty records included (kcat skips
 * empty input records). For the tests' mixed-payload runs.
 *   kafka-produce -b BOOTSTRAP -t TOPIC -D DELIM [-B N] [-X key=value]...
 * -B N: after every N records, waits until they are acknowledged, the way
 * omrdkafka's commit waits for a transaction (rd_kafka_flush in 1 ms
 * steps), and prints the mean ms per batch spent producing and waiting
 * (contrib/bench/bench-ack-wait.sh).
 * Exit 0 when every message was acknowledged, 1 otherwise.
 */
#define _GNU_SOURCE 1	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

static int failed;
static size_t reported;	/* delivery reports served (dr_cb) */

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	reported++;
	if (m->err) {
		failed++;
		fprintf(stderr, "kafka-produce: %s\n", rd_kafka_err2str(m->err));
	}
}

static char *
read_all(size_t *len)
{
	size_t cap = 1 << 20, n = 0, r;
	char *b = malloc(cap);

	while (b != NULL && (r = fread(b + n, 1, cap - n, stdin)) > 0) {
		n += r;
		if (n == cap && (b = realloc(b, cap *= 2)) == NULL)
			break;
	}
	*len = n;
	return b;
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* -B: the batch timings, summed */
struct batches {
	size_t size, n;
	double start, produce_ms, wait_ms;
};

/* Closes a batch of the first `produced` records: waits for their delivery
 * reports as the commit does. */
static void
batch_end(rd_kafka_t *rk, struct batches *b, size_t produced)
{
	double t = now_ms();

	b->produce_ms += t - b->start;
	while (reported < produced)
		rd_kafka_flush(rk, 1);
	b->start = now_ms();
	b->wait_ms += b->start - t;
	b->n++;
}

int
main(int argc, char **argv)
{
	const char *topic = NULL, *delim = NULL;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512], *buf, *p, *end, *eq;
	size_t len, dl, count = 0;
	struct batches bt = { 0, 0, 0, 0, 0 };
	double t0;
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;
	int c;

	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	while ((c = getopt(argc, argv, "b:t:D:B:X:")) != -1) {
		if (c == 'b' && rd_kafka_conf_set(conf, "bootstrap.servers", optarg,
		    err, sizeof(err)) != RD_KAFKA_CONF_OK)
			return fprintf(stderr, "%s\n", err), 2;
		if (c == 't') topic = optarg;
		if (c == 'D') delim = optarg;
		if (c == 'B') bt.size = (size_t)strtoul(optarg, NULL, 10);
		if (c == 'X') {
			if ((eq = strchr(optarg, '=')) == NULL)
				return 2;
			*eq = '\0';
			if (rd_kafka_conf_set(conf, optarg, eq + 1, err, sizeof(err)))
				return fprintf(stderr, "%s\n", err), 2;
		}
	}
	if (topic == NULL || delim == NULL || (dl = strlen(delim)) == 0) {
		fprintf(stderr, "usage: kafka-produce -b BOOTSTRAP -t TOPIC -D DELIM [-B N] [-X k=v]\n");
		return 2;
	}
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err))) == NULL)
		return fprintf(stderr, "%s\n", err), 1;
	/* a topic handle, as omrdkafka produces (not a lookup by name each time) */
	if ((rkt = rd_kafka_topic_new(rk, topic, NULL)) == NULL)
		return fprintf(stderr, "kafka-produce: topic %s\n", topic), 1;
	if ((buf = read_all(&len)) == NULL)
		return 1;
	t0 = bt.start = now_ms();
	for (p = buf, end = buf + len; p < end; count++) {
		char *d = memmem(p, (size_t)(end - p), delim, dl);
		size_t n = d ? (size_t)(d - p) : (size_t)(end - p);
		while (rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_VALUE(p, n),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) ==
		    RD_KAFKA_RESP_ERR__QUEUE_FULL)
			rd_kafka_poll(rk, 100);
		p += n + (d ? dl : 0);
		if (bt.size > 0 && (count + 1) % bt.size == 0)
			batch_end(rk, &bt, count + 1);
	}
	rd_kafka_flush(rk, 30000);
	if (rd_kafka_outq_len(rk) > 0)
		failed++;
	printf("%zu produced, %d failed", count, failed);
	if (bt.n > 0)
		printf(": %zu batches of %zu, %.0f msgs/s, produce %.2f ms/batch, wait %.2f ms/batch",
			bt.n, bt.size, (double)(bt.n * bt.size) * 1e3 / (now_ms() - t0),
			bt.produce_ms / (double)bt.n, bt.wait_ms / (double)bt.n);
	printf("\n");
	rd_kafka_topic_destroy(rkt);
	rd_kafka_destroy(rk);
	free(buf);
	return failed ? 1 : 0;
}
