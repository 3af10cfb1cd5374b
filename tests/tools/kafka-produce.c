/* kafka-produce: produces the records of stdin, separated by a delimiter
 * string, one Kafka message each, empty records included (kcat skips
 * empty input records). For the tests' mixed-payload runs.
 *   kafka-produce -b BOOTSTRAP -t TOPIC -D DELIM [-X key=value]...
 * Exit 0 when every message was acknowledged, 1 otherwise.
 */
#define _GNU_SOURCE 1	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

static int failed;

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
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

int
main(int argc, char **argv)
{
	const char *topic = NULL, *delim = NULL;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512], *buf, *p, *end, *eq;
	size_t len, dl, count = 0;
	rd_kafka_t *rk;
	int c;

	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	while ((c = getopt(argc, argv, "b:t:D:X:")) != -1) {
		if (c == 'b' && rd_kafka_conf_set(conf, "bootstrap.servers", optarg,
		    err, sizeof(err)) != RD_KAFKA_CONF_OK)
			return fprintf(stderr, "%s\n", err), 2;
		if (c == 't') topic = optarg;
		if (c == 'D') delim = optarg;
		if (c == 'X') {
			if ((eq = strchr(optarg, '=')) == NULL)
				return 2;
			*eq = '\0';
			if (rd_kafka_conf_set(conf, optarg, eq + 1, err, sizeof(err)))
				return fprintf(stderr, "%s\n", err), 2;
		}
	}
	if (topic == NULL || delim == NULL || (dl = strlen(delim)) == 0) {
		fprintf(stderr, "usage: kafka-produce -b BOOTSTRAP -t TOPIC -D DELIM [-X k=v]\n");
		return 2;
	}
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err))) == NULL)
		return fprintf(stderr, "%s\n", err), 1;
	if ((buf = read_all(&len)) == NULL)
		return 1;
	for (p = buf, end = buf + len; p < end; count++) {
		char *d = memmem(p, (size_t)(end - p), delim, dl);
		size_t n = d ? (size_t)(d - p) : (size_t)(end - p);
		while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(p, n),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) ==
		    RD_KAFKA_RESP_ERR__QUEUE_FULL)
			rd_kafka_poll(rk, 100);
		p += n + (d ? dl : 0);
	}
	rd_kafka_flush(rk, 30000);
	if (rd_kafka_outq_len(rk) > 0)
		failed++;
	printf("%zu produced, %d failed\n", count, failed);
	rd_kafka_destroy(rk);
	free(buf);
	return failed ? 1 : 0;
}
