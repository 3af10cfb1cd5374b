/* imrdkafka_params.h: the single parameter table of imrdkafka's input().
 * It feeds the rsyslog cnfparamdescr table (imrdkafka.c) and README's
 * parameter table (contrib/gen-param-doc.sh). One entry per line:
 * RKV_PARAM(id, "name", rsyslog type, "default", "description")
 */
RKV_PARAM(BROKER, "broker", eCmdHdlrArray, "(required)", "Bootstrap brokers, host:port (array, or bootstrap.servers in confParam).")
RKV_PARAM(TOPIC, "topic", eCmdHdlrArray, "(required)", "Topic name or array of names; a name starting with ^ is a regular expression (librdkafka's subscription).")
RKV_PARAM(GROUP, "consumerGroup", eCmdHdlrGetWord, "rsyslog", "Kafka consumer group (group.id).")
RKV_PARAM(CONFPARAM, "confParam", eCmdHdlrArray, "(none)", "librdkafka consumer properties, \"key=value\"; validated at config load (rsyslogd -N1). enable.auto.offset.store and enable.auto.commit are the module's.")
RKV_PARAM(RULESET, "ruleset", eCmdHdlrString, "(default ruleset)", "Ruleset the messages are bound to.")
RKV_PARAM(PARSEHOSTNAME, "parseHostname", eCmdHdlrBinary, "off", "Messages that are not parsed as JSON go through rsyslog's parsers expecting a host name (as imkafka).")
RKV_PARAM(START, "startOffset", eCmdHdlrGetWord, "earliest", "Where a group without committed offsets (or whose offset is out of range) starts: earliest or latest (auto.offset.reset). earliest, as stock imkafka always did, reads what is there instead of skipping it.")
RKV_PARAM(PARSEJSON, "parseJson", eCmdHdlrBinary, "off", "A payload that is one JSON object becomes the message's $! properties (no syslog parsing); anything else is kept as raw msg (and as $!message, or $!<msgField>) with $!kafka!invalid=true, counted in impstats invalid.")
RKV_PARAM(MSGFIELD, "msgField", eCmdHdlrGetWord, "(none)", "With parseJson: this JSON string field becomes msg (otherwise msg is the whole payload).")
RKV_PARAM(TSFIELD, "timestampField", eCmdHdlrGetWord, "(none)", "With parseJson: the message time (timereported) from this RFC 3339 field.")
RKV_PARAM(HOSTFIELD, "hostnameField", eCmdHdlrGetWord, "(none)", "With parseJson: the message's hostname from this field.")
RKV_PARAM(METADATA, "metadata", eCmdHdlrBinary, "off", "Kafka metadata as $!kafka!topic, partition, offset, key, timestamp (ms) and headers.")
RKV_PARAM(WORKERS, "workers", eCmdHdlrPositiveInt, "1", "Consumer threads, each a member of the group with its own partitions.")
RKV_PARAM(BATCHSIZE, "batchSize", eCmdHdlrPositiveInt, "1024", "Messages handed to rsyslog's queue per submit.")
RKV_PARAM(MAXINFLIGHT, "maxInFlight", eCmdHdlrPositiveInt, "50000", "Per worker: with this many messages not finished by rsyslog the consumer waits, and after 2 s pauses its partitions (resuming at half); bounds memory.")
RKV_PARAM(CLOSETIMEOUT, "closeTimeout", eCmdHdlrPositiveInt, "800", "Milliseconds to commit and leave the group at shutdown; keep below global inputs.timeout.shutdown (1000). Offsets not committed then are read again (duplicates).")
RKV_PARAM(INPUTNAME, "inputName", eCmdHdlrGetWord, "imrdkafka", "Value of the inputname property.")
RKV_PARAM(STATSNAME, "statsName", eCmdHdlrGetWord, "imrdkafka-<consumerGroup>", "Name of this input's impstats counter set (per-partition sets add -<topic>-<partition>).")
#include "kafka_conn_params.h"
