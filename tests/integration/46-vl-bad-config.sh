#!/bin/bash
# omvictorialogs: wrong configurations fail `rsyslogd -N1` with an error
# naming the parameter; secrets never appear in the output; the shipped
# configs pass.
. "$(dirname "$0")/lib.sh"
rkv_init
bad() {	# NAME PATTERN ACTION-PARAMETERS
	cat >"$W/$1.conf" <<EOS
global(workDirectory="$W/spool")
module(load="$OVL_MODDIR/omvictorialogs.so")
action(type="omvictorialogs" $3 queue.type="Direct" action.resumeRetryCount="-1")
EOS
	expect_n1 1 "$2" "$W/$1.conf"
}
E='endpoint="http://127.0.0.1:9428"'
bad no-endpoint "parameter 'endpoint' is required" 'msgField="message"'
bad bad-scheme "parameter 'endpoint'.*http://" 'endpoint="ftp://vl:9428"'
bad no-host "parameter 'endpoint'.*host" 'endpoint="http://:9428"'
bad query-in-url "parameter 'endpoint'" 'endpoint="http://vl:9428/insert/jsonline?_msg_field=x"'
bad compression "parameter 'compression'.*brotli" "$E compression=\"brotli\""
bad neg-batch "batch.maxEvents" "$E batch.maxEvents=\"-5\""
bad zero-bytes "batch.maxBytes" "$E batch.maxBytes=\"0\""
bad account "parameter 'accountID'" "$E accountID=\"tenant-a\""
bad project "parameter 'projectID'" "$E projectID=\"99999999999\""
bad password-only "parameter 'password' needs 'user'" "$E password=\"Hunter2Secret\""
bad user-and-token "exclude each other" "$E user=\"u\" password=\"Hunter2Secret\" token=\"Hunter2Secret\""
bad token-file "parameter 'tokenFile'" "$E tokenFile=\"$W/no-such-token\""
bad cert-no-key "tls.certfile" "$E tls.certfile=\"$W/c.pem\""
bad unknown-param "xyzzy" "$E xyzzy=\"1\""
bad timeout "timeout" "$E timeout=\"-1\""
bad extra-fields "parameter 'extraFields'.*env" "$E extraFields=[\"env\"]"
# two actions may not share errorFile (each replays its own spill file)
cat >"$W/shared.conf" <<EOS
global(workDirectory="$W/spool")
module(load="$OVL_MODDIR/omvictorialogs.so")
action(type="omvictorialogs" $E errorFile="$W/e.json" queue.type="Direct" action.resumeRetryCount="-1")
action(type="omvictorialogs" $E errorFile="$W/e.json" queue.type="Direct" action.resumeRetryCount="-1")
EOS
expect_n1 1 "errorFile.*used by another action" "$W/shared.conf"
# a token from a file is accepted and never printed
printf 'Hunter2Secret\n' >"$W/token"
cat >"$W/token.conf" <<EOS
global(workDirectory="$W/spool")
module(load="$OVL_MODDIR/omvictorialogs.so")
action(type="omvictorialogs" $E tokenFile="$W/token" queue.type="Direct" action.resumeRetryCount="-1")
EOS
expect_n1 0 "" "$W/token.conf"
# the shipped configs
vl_start
BOOTSTRAP=127.0.0.1:9 AGG_OUT=vl agg_conf "$W/agg.conf"
expect_n1 0 "" "$W/agg.conf"
edge_vl_conf "$W/edge.conf"
expect_n1 0 "" "$W/edge.conf"
grep -q "zero-loss" "$W/agg.out" "$W/edge.out" && fail "zero-loss warning on a shipped config: $(grep zero-loss "$W/agg.out" "$W/edge.out")"
log "OK"
