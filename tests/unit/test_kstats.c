/* Unit tests of kstats: figures from a librdkafka statistics document
 * (shape of STATISTICS.md), bootstrap placeholders and DOWN brokers
 * ignored, garbage rejected. */
#include "rkv_config.h"
#include "kstats.h"
#include "unit.h"

static const char doc[] =
	"{\"name\":\"rdkafka#producer-1\",\"type\":\"producer\",\"msg_cnt\":42,"
	"\"brokers\":{"
	"\"127.0.0.1:1/bootstrap\":{\"nodeid\":-1,\"state\":\"UP\",\"rtt\":{\"avg\":999999}},"
	"\"127.0.0.1:2/1\":{\"nodeid\":1,\"state\":\"UP\",\"rtt\":{\"avg\":1500,\"p99\":9000},"
	"\"throttle\":{\"avg\":0}},"
	"\"127.0.0.1:3/2\":{\"nodeid\":2,\"state\":\"UP\",\"rtt\":{\"avg\":2500},"
	"\"throttle\":{\"avg\":7}},"
	"\"127.0.0.1:4/3\":{\"nodeid\":3,\"state\":\"DOWN\",\"rtt\":{\"avg\":777777}}"
	"},\"topics\":{}}";

int
main(void)
{
	rdk_kstats_t k;

	CHECK(rdk_kstats_parse(doc, sizeof(doc) - 1, &k) == 0);
	CHECK(k.msg_cnt == 42);
	CHECK(k.brokers_up == 2);
	CHECK(k.rtt_avg_us == 2500);
	CHECK(k.throttle_avg_ms == 7);
	CHECK(rdk_kstats_parse("not json", 8, &k) == -1);
	CHECK(rdk_kstats_parse("{\"x\":1}", 7, &k) == -1);
	CHECK(rdk_kstats_parse(doc, 20, &k) == -1);	/* truncated */
	return unit_done("test_kstats");
}
