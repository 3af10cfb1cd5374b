/* kafka-batch-wait: how long a producer that waits for every batch's
 * acknowledgements waits, outside rsyslog. Reads lines from FILE, produces
 * them in batches of B (keyless, librdkafka's default partitioner), then
 * flushes until each batch is acknowledged, as omrdkafka's commit does.
 *   kafka-batch-wait -b BOOTSTRAP -t TOPIC -f FILE [-B 1024] [-n BATCHES]
 *                    [-X key=value]...
 * Prints batches, msgs/s, and the mean ms per batch spent producing and
 * waiting. For contrib/bench/bench-ack-wait.sh; exit 1 on a failed report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

static volatile int outstanding;
static int failed;

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (m->err)
		failed++;
	__sync_fetch_and_sub(&outstanding, 1);
}

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* FILE's lines, newlines replaced by NULs; *count set */
static char **
read_lines(const char *path, size_t *count)
{
	FILE *f = fopen(path, "r");
	char **v = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;

	if (f == NULL)
		return NULL;
	while ((len = getline(&line, &lcap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				break;
		}
		if ((v[n++] = strdup(line)) == NULL)
			break;
	}
	free(line);
	fclose(f);
	*count = v ? n : 0;
	return v;
}

static rd_kafka_t *
make_producer(int argc, char **argv, const char *boot)
{
	char errstr[512], *kv;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	int c;

	optind = 1;
	rd_kafka_conf_set(conf, "bootstrap.servers", boot, errstr, sizeof(errstr));
	while ((c = getopt(argc, argv, "b:t:f:B:n:X:")) != -1) {
		if (c != 'X')
			continue;
		kv = strdup(optarg);
		if (kv == NULL || strchr(kv, '=') == NULL) {
			fprintf(stderr, "kafka-batch-wait: -X needs key=value\n");
			free(kv);
			return NULL;
		}
		*strchr(kv, '=') = '\0';
		if (rd_kafka_conf_set(conf, kv, kv + strlen(kv) + 1, errstr,
				sizeof(errstr)) != RD_KAFKA_CONF_OK) {
			fprintf(stderr, "kafka-batch-wait: %s\n", errstr);
			free(kv);
			return NULL;
		}
		free(kv);
	}
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	return rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
}

int
main(int argc, char **argv)
{
	const char *boot = NULL, *topic = NULL, *path = NULL;
	size_t nlines = 0, next = 0, i;
	long bs = 1024, nb = 300, b;
	double t0, t1, tp = 0, tw = 0;
	char **lines;
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;
	int c;

	while ((c = getopt(argc, argv, "b:t:f:B:n:X:")) != -1) {
		switch (c) {
		case 'b': boot = optarg; break;
		case 't': topic = optarg; break;
		case 'f': path = optarg; break;
		case 'B': bs = atol(optarg); break;
		case 'n': nb = atol(optarg); break;
		case 'X': break;
		default: return 2;
		}
	}
	if (boot == NULL || topic == NULL || path == NULL || bs < 1 || nb < 1) {
		fprintf(stderr, "usage: kafka-batch-wait -b BOOT -t TOPIC -f FILE [-B n] [-n n] [-X k=v]...\n");
		return 2;
	}
	if ((lines = read_lines(path, &nlines)) == NULL || nlines == 0) {
		fprintf(stderr, "kafka-batch-wait: no lines in %s\n", path);
		return 2;
	}
	if ((rk = make_producer(argc, argv, boot)) == NULL ||
	    (rkt = rd_kafka_topic_new(rk, topic, NULL)) == NULL)
		return 2;
	t0 = now_s();
	for (b = 0; b < nb; b++) {
		t1 = now_s();
		__sync_fetch_and_add(&outstanding, (int)bs);
		for (i = 0; i < (size_t)bs; i++, next = (next + 1) % nlines)
			while (rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
					lines[next], strlen(lines[next]), NULL, 0, NULL) != 0)
				rd_kafka_poll(rk, 1);
		tp += now_s() - t1;
		t1 = now_s();
		while (outstanding > 0)
			rd_kafka_flush(rk, 1);	/* what omrdkafka's commit does */
		tw += now_s() - t1;
	}
	printf("%ld batches of %ld: %.0f msgs/s, produce %.2f ms/batch, wait %.2f ms/batch, failed %d\n",
		nb, bs, (double)(nb * bs) / (now_s() - t0), tp * 1000 / nb, tw * 1000 / nb, failed);
	rd_kafka_topic_destroy(rkt);
	rd_kafka_destroy(rk);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	return failed ? 1 : 0;
}
