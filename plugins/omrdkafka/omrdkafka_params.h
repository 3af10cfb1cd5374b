/* omrdkafka_params.h: the single parameter table of omrdkafka. It feeds
 * the rsyslog cnfparamdescr table (omrdkafka.c) and README's parameter
 * table (contrib/gen-param-doc.sh). Keep one entry per line:
 * RKV_PARAM(id, "name", rsyslog type, "default", "description")
 */
RKV_PARAM(BROKER, "broker", eCmdHdlrArray, "(required)", "Bootstrap brokers, host:port (array, or bootstrap.servers in confParam).")
RKV_PARAM(TOPIC, "topic", eCmdHdlrString, "(required)", "Topic name, or a template name when dynaTopic is on.")
RKV_PARAM(DYNATOPIC, "dynaTopic", eCmdHdlrBinary, "off", "Treat topic as a template evaluated per message.")
RKV_PARAM(DYNATOPIC_CACHE, "dynaTopic.cacheSize", eCmdHdlrInt, "50", "Accepted for omkafka compatibility; librdkafka caches topic handles itself.")
RKV_PARAM(KEY, "key", eCmdHdlrGetWord, "(none)", "Message key, or a template name when dynaKey is on.")
RKV_PARAM(DYNAKEY, "dynaKey", eCmdHdlrBinary, "off", "Treat key as a template evaluated per message.")
RKV_PARAM(PART_AUTO, "partitions.auto", eCmdHdlrBinary, "on", "Let librdkafka's partitioner choose (on unless partitions.number or partitions.useFixed is set).")
RKV_PARAM(PART_NUMBER, "partitions.number", eCmdHdlrPositiveInt, "(none)", "Spread messages round-robin over partitions 0..N-1.")
RKV_PARAM(PART_FIXED, "partitions.useFixed", eCmdHdlrNonNegInt, "(none)", "Send every message to this partition.")
RKV_PARAM(CONFPARAM, "confParam", eCmdHdlrArray, "(none)", "librdkafka global properties, \"key=value\"; validated at config load (rsyslogd -N1).")
RKV_PARAM(TOPICCONFPARAM, "topicConfParam", eCmdHdlrArray, "(none)", "librdkafka topic properties, \"key=value\"; validated at config load.")
RKV_PARAM(TEMPLATE, "template", eCmdHdlrGetWord, "RSYSLOG_FileFormat", "Template that renders the Kafka message value.")
RKV_PARAM(KAFKAHEADER, "kafkaHeader", eCmdHdlrArray, "(none)", "Static Kafka headers, \"name=value\".")
RKV_PARAM(ERRORFILE, "errorFile", eCmdHdlrGetWord, "<workDirectory>/omrdkafka-<action name or topic>-errors.json", "JSON-lines file for messages Kafka rejected permanently (reason, topic, key, payload); <errorFile>.spill keeps what Kafka did not acknowledge at shutdown. One per action: two actions may not share it.")
RKV_PARAM(STATSFILE, "statsFile", eCmdHdlrGetWord, "(none)", "Append librdkafka statistics JSON here (set statistics.interval.ms in confParam).")
RKV_PARAM(STATSNAME, "statsName", eCmdHdlrGetWord, "omrdkafka-<action name or topic>", "Name of this action's impstats counter set.")
RKV_PARAM(CLOSETIMEOUT, "closeTimeout", eCmdHdlrPositiveInt, "2000", "Milliseconds a transaction may still wait for acknowledgements once shutdown began; what is still unacknowledged then goes to <errorFile>.spill, the rest stays in rsyslog's queue.")
RKV_PARAM(REOPENONHUP, "reopenOnHup", eCmdHdlrBinary, "on", "Reopen errorFile and statsFile on HUP.")
RKV_PARAM(RESUBMIT, "resubmitOnFailure", eCmdHdlrBinary, "on", "omkafka compatibility, no effect: unacknowledged messages always stay in rsyslog's queue.")
RKV_PARAM(KEEPFAILED, "keepFailedMessages", eCmdHdlrBinary, "off", "omkafka compatibility, no effect: rsyslog's disk-assisted queue keeps them.")
RKV_PARAM(FAILEDMSGFILE, "failedMsgFile", eCmdHdlrGetWord, "(none)", "omkafka compatibility, no effect (see keepFailedMessages).")
#include "kafka_conn_params.h"
RKV_PARAM(COMPRESSION, "compression", eCmdHdlrGetWord, "none", "Producer compression: none, gzip, snappy, lz4, zstd (zstd: librdkafka >= 1.0, Kafka >= 2.1).")
RKV_PARAM(ACKS, "acks", eCmdHdlrGetWord, "all", "Acknowledgements required: all (-1), 1 or 0. Idempotence is on only with all.")
