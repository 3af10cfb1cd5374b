/* kafka_conn_params.h: the connection rows (TLS, SASL) that every Kafka
 * module's parameter table includes, so both modules spell, default and
 * document them the same way; kafka_conn.h maps them to rdk_conn_opts_t.
 * RKV_PARAM(id, "name", rsyslog type, "default", "description")
 */
RKV_PARAM(TLS, "tls", eCmdHdlrBinary, "auto", "Use TLS; on automatically when a tls.* file is set.")
RKV_PARAM(TLS_CAFILE, "tls.cafile", eCmdHdlrGetWord, "(system CAs)", "CA certificate(s) to verify the brokers (PEM).")
RKV_PARAM(TLS_CERTFILE, "tls.certfile", eCmdHdlrGetWord, "(none)", "Client certificate (PEM) for mutual TLS.")
RKV_PARAM(TLS_KEYFILE, "tls.keyfile", eCmdHdlrGetWord, "(none)", "Client private key (PEM).")
RKV_PARAM(TLS_KEYPASS, "tls.keypassword", eCmdHdlrGetWord, "(none)", "Password of tls.keyfile; never logged.")
RKV_PARAM(TLS_VERIFY, "tls.verify", eCmdHdlrBinary, "on", "Verify the broker certificate and host name (host names need librdkafka >= 1.1.0).")
RKV_PARAM(SASL_MECH, "sasl.mechanism", eCmdHdlrGetWord, "PLAIN (if a user is set)", "SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI.")
RKV_PARAM(SASL_USER, "sasl.username", eCmdHdlrGetWord, "(none)", "SASL user name.")
RKV_PARAM(SASL_PASS, "sasl.password", eCmdHdlrGetWord, "(none)", "SASL password; never logged.")
