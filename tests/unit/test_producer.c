/* Unit tests of producer.c against librdkafka's mock cluster (in this
 * process, real Kafka protocol over 127.0.0.1): every outcome class of a
 * batch -- all acked, permanent failure (too large), brokers down ->
 * retriable within the grace time, recovery after up, stop predicate,
 * injected retriable produce errors absorbed by librdkafka's retries. */
#include "rkv_config.h"
#include <stdlib.h>
#include "producer.h"
#include "rdk_util.h"
#include "unit.h"
#ifdef HAVE_LIBRDKAFKA_RDKAFKA_MOCK_H
#include <librdkafka/rdkafka_mock.h>

static rd_kafka_t *mrk;
static rd_kafka_mock_cluster_t *mc;
static int stop_now;

static int
stop_fn(void *o)
{
	(void)o;
	return stop_now;
}

static rdk_producer_t *
make_producer(const char *bootstraps)
{
	rdk_kvlist_t p, t;
	char err[512];
	rdk_producer_t *pr;

	rdk_kvlist_init(&p);
	rdk_kvlist_init(&t);
	rdk_kvlist_add(&p, "bootstrap.servers", bootstraps, "broker");
	rdk_kvlist_add(&p, "message.timeout.ms", "10000", "test");
	rdk_kvlist_add(&p, "enable.idempotence", "true", "test");
	rdk_kvlist_add(&p, "reconnect.backoff.max.ms", "200", "test");
	rdk_kvlist_add(&t, "request.required.acks", "-1", "acks");
	pr = rdk_producer_new(&p, &t, "unit", NULL, err, sizeof(err));
	if (pr == NULL)
		fprintf(stderr, "producer: %s\n", err);
	rdk_kvlist_free(&p);
	rdk_kvlist_free(&t);
	return pr;
}

static void
run_batch(rdk_producer_t *pr, size_t n, size_t big_at, int64_t grace,
	rdk_batch_res_t *res)
{
	static char big[2000000];
	char buf[64];
	rdk_wait_t w;
	rdk_msg_t m;
	size_t i;

	memset(big, 'x', sizeof(big));
	CHECK(rdk_batch_begin(pr, n) == RDK_OK);
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.partition = RD_KAFKA_PARTITION_UA;
		if (i == big_at) {
			m.payload = big;
			m.len = sizeof(big);
		} else {
			m.len = (size_t)snprintf(buf, sizeof(buf), "seq=%lu", (unsigned long)i);
			m.payload = buf;
		}
		rdk_batch_produce(pr, i, &m, 1000);
	}
	memset(&w, 0, sizeof(w));
	w.max_ms = 15000;
	w.down_grace_ms = grace;
	w.close_ms = 300;
	w.stop = stop_fn;
	rdk_batch_wait(pr, &w, res);
}

static void
test_outcomes(rdk_producer_t *pr)
{
	rdk_batch_res_t res;

	run_batch(pr, 1000, (size_t)-1, 2000, &res);
	CHECK(res.acked == 1000 && res.retry == 0 && res.failed == 0);

	run_batch(pr, 100, 50, 2000, &res);
	CHECK(res.acked == 99 && res.failed == 1 && res.retry == 0);
	CHECK(rdk_batch_state(pr, 50)->outcome == RDK_MSG_FAILED);
	CHECK_STR(rdk_reason(rdk_batch_state(pr, 50)->err), "msg_too_large");

	/* retriable broker errors: librdkafka retries inside the batch */
	rd_kafka_mock_push_request_errors(mc, 0 /* Produce */, 3,
		RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
		RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
		RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
	run_batch(pr, 200, (size_t)-1, 2000, &res);
	CHECK(res.acked == 200 && res.retry == 0);
}

static void
test_down_up(rdk_producer_t *pr)
{
	rdk_batch_res_t res;
	char err[256];
	int64_t t0;

	rd_kafka_mock_broker_set_down(mc, 1);
	t0 = rdk_now_ms();
	run_batch(pr, 100, (size_t)-1, 500, &res);
	/* not acknowledged -> retriable, and well before message.timeout.ms */
	CHECK(res.acked == 0 && res.retry == 100);
	CHECK(rdk_now_ms() - t0 < 9000);
	CHECK(rdk_producer_probe(pr, "unit", 1000, err, sizeof(err)) != 0);
	rd_kafka_mock_broker_set_up(mc, 1);
	t0 = rdk_now_ms();
	while (rdk_producer_probe(pr, "unit", 1000, err, sizeof(err)) != 0 &&
	       rdk_now_ms() - t0 < 10000)
		;
	CHECK(rdk_producer_probe(pr, "unit", 1000, err, sizeof(err)) == 0);
	run_batch(pr, 100, (size_t)-1, 2000, &res);
	CHECK(res.acked == 100 && res.retry == 0);
}

static void
test_stop(rdk_producer_t *pr)
{
	rdk_batch_res_t res;
	int64_t t0;

	/* slow broker + shutdown: the wait ends after close_ms */
	rd_kafka_mock_broker_set_rtt(mc, 1, 3000);
	stop_now = 1;
	t0 = rdk_now_ms();
	run_batch(pr, 10, (size_t)-1, 60000, &res);
	CHECK(res.retry == 10 && res.acked == 0);
	CHECK(rdk_now_ms() - t0 < 2500);
	stop_now = 0;
	rd_kafka_mock_broker_set_rtt(mc, 1, 0);
}

int
main(void)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[256];
	rdk_producer_t *pr;

	mrk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof(err));
	mc = rd_kafka_mock_cluster_new(mrk, 1);
	rd_kafka_mock_topic_create(mc, "unit", 4, 1);
	pr = make_producer(rd_kafka_mock_cluster_bootstraps(mc));
	CHECK(pr != NULL);
	if (pr != NULL) {
		test_outcomes(pr);
		test_down_up(pr);
		test_stop(pr);
		rdk_producer_destroy(pr, 1000);
	}
	CHECK(rdk_classify(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT) == RDK_MSG_RETRY);
	CHECK(rdk_classify(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) == RDK_MSG_FAILED);
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(mrk);
	return unit_done("test_producer");
}
#else
int
main(void)
{
	printf("test_producer: SKIP (no rdkafka_mock.h)\n");
	return 77;
}
#endif
