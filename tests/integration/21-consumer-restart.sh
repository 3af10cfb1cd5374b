#!/bin/bash
# imrdkafka with two consumer threads (workers="2", each a group member
# with its own partitions): a graceful restart in the middle of
# consumption resumes from the committed offsets: nothing missing, and the
# second run writes again at most what the first wrote beyond the offsets
# committed at its stop (distinct events written by both runs). Duplicates
# inside the second run (its two members join one after the other, and
# kafka-mock refuses commits while the group rebalances: "Group rebalance
# in progress", so the partitions moved restart from the last commit) are
# bounded only by N: each rebalance whose commits were refused re-reads what
# the moved partitions consumed since their last commit.
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
rkv_init
mock_start -b 3 -t standard-logs:8
agg_conf "$W/rsyslog.conf" -e 's|maxInFlight="50000"|maxInFlight="50000" workers="2"|'
grep -q 'workers="2"' "$W/rsyslog.conf" || fail "workers not set"
kafka_fill standard-logs $((N / 2))
rsyslog_start "$W/rsyslog.conf"
wait_out $((N / 4)) 60 || fail "consumption did not start"
rsyslog_stop 30 || fail "rsyslogd exit status"
written1=$(out_count)
log "stopped with $written1 events written; group: $(group_offsets standard-logs)"
committed=$(committed_total standard-logs)
[ "$committed" -gt 0 ] || fail "nothing committed at the stop"
[ "$committed" -le "$written1" ] || fail "committed $committed > written $written1"
# the rest arrives while the second instance runs
kafka_fill standard-logs $((N - N / 2)) $((N / 2 + 1))
stats_rotate
rsyslog_start "$W/rsyslog.conf"
wait_committed standard-logs "$N" 120 || fail "the group's offsets did not reach the end: $(group_offsets standard-logs)"
rsyslog_stop 30 || fail "rsyslogd exit status"
log "group: $(group_offsets standard-logs)"
w0=$(grep '"name": *"imrdkafka-vector-consumer-w0"' "$W/impstats.json" | tail -n 1 | sed -n 's/.*"received": *\([0-9]*\).*/\1/p')
w1=$(grep '"name": *"imrdkafka-vector-consumer-w1"' "$W/impstats.json" | tail -n 1 | sed -n 's/.*"received": *\([0-9]*\).*/\1/p')
log "second run: worker 0 received ${w0:-0}, worker 1 received ${w1:-0}"
[ "${w0:-0}" -gt 0 ] && [ "${w1:-0}" -gt 0 ] || fail "both workers should have consumed"
seq_check "$OUT" "$N" || fail "sequence check"
seqs() { grep -o 'seq=[0-9]*' | sort -u; }
again=$(comm -12 <(head -n "$written1" "$OUT" | seqs) <(tail -n +$((written1 + 1)) "$OUT" | seqs) | wc -l)
log "duplicates: $(seq_dups) in all; the second run wrote again $again of the first run's events, at most $((written1 - committed)) were uncommitted at the stop"
[ "$again" -le $((written1 - committed)) ] || fail "$again events written by both runs: the restart did not resume from the committed offsets"
[ "$(seq_dups)" -le "$N" ] || fail "$(seq_dups) duplicates: more than one re-read of every event"
log "OK"
