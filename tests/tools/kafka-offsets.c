/* kafka-offsets: what `kafka-consumer-groups.sh --describe` shows, for the
 * tests: per partition of a topic the group's committed offset, the log
 * end offset (high watermark) and LAG, then a total line.
 *   kafka-offsets -b BOOTSTRAP -g GROUP -t TOPIC
 * Output: "<partition> <committed> <high> <lag>" lines (committed -1: none),
 * then "total committed=<sum of committed >= 0> high=<sum> lag=<sum>".
 * It does not join the group (OffsetFetch only). Exit 1 on errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>

static int
partitions(rd_kafka_t *rk, const char *topic)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *t = rd_kafka_topic_new(rk, topic, NULL);
	int n = -1;

	if (rd_kafka_metadata(rk, 0, t, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (md->topic_cnt == 1 && md->topics[0].err == 0)
			n = md->topics[0].partition_cnt;
		rd_kafka_metadata_destroy(md);
	}
	rd_kafka_topic_destroy(t);
	return n;
}

int
main(int argc, char **argv)
{
	const char *bs = NULL, *group = NULL, *topic = NULL;
	char err[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_topic_partition_list_t *l;
	rd_kafka_t *rk;
	long long sc = 0, sh = 0, sl = 0;
	int c, i, n;

	while ((c = getopt(argc, argv, "b:g:t:")) != -1) {
		if (c == 'b') bs = optarg;
		else if (c == 'g') group = optarg;
		else if (c == 't') topic = optarg;
		else return 2;
	}
	if (!bs || !group || !topic) {
		fprintf(stderr, "usage: kafka-offsets -b BOOTSTRAP -g GROUP -t TOPIC\n");
		return 2;
	}
	if (rd_kafka_conf_set(conf, "bootstrap.servers", bs, err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "group.id", group, err, sizeof(err)) ||
	    (rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "kafka-offsets: %s\n", err);
		return 1;
	}
	if ((n = partitions(rk, topic)) < 0) {
		fprintf(stderr, "kafka-offsets: no metadata for %s\n", topic);
		return 1;
	}
	l = rd_kafka_topic_partition_list_new(n);
	for (i = 0; i < n; i++)
		rd_kafka_topic_partition_list_add(l, topic, i);
	if (rd_kafka_committed(rk, l, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "kafka-offsets: committed offsets unavailable\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		int64_t lo = 0, hi = 0, co = l->elems[i].offset;
		if (rd_kafka_query_watermark_offsets(rk, topic, i, &lo, &hi, 10000)) {
			fprintf(stderr, "kafka-offsets: no watermarks for partition %d\n", i);
			return 1;
		}
		printf("%d %lld %lld %lld\n", i, (long long)co, (long long)hi,
			(long long)(hi - (co >= 0 ? co : 0)));
		sc += co >= 0 ? co : 0;
		sh += hi;
		sl += hi - (co >= 0 ? co : 0);
	}
	printf("total committed=%lld high=%lld lag=%lld\n", sc, sh, sl);
	rd_kafka_topic_partition_list_destroy(l);
	rd_kafka_destroy(rk);
	return 0;
}
