#!/usr/bin/env bash
# Two cks builds and moto side by side: each round runs ListKeys, DescribeKey and Encrypt with 8 and 1 clients
# against moto, cks BEFORE and cks AFTER in turn (the same cks-load client, SECS s each), so load from other
# work falls on all three alike; memory (VmRSS, PSS) at start and after, and with KEYS10K=1 after 10,000 keys.
# Prints one JSON line per measurement to OUT, with the load average at the start, after each round and at
# the end; scripts/bench_rounds_table.py turns it into medians and ratios.
#
# With WRK=1 each measurement is taken a second time with wrk (one thread, as many connections as clients)
# replaying the same request signed by cks-load at the start of the round: a client in C that takes less of
# the 2 cores from the servers than cks-load's threads. Lines say "client": "native" or "wrk".
# A build may be given with its environment, e.g. "env CKS_SERVE_THREADS=1 .build/release/cks".
#
# Usage: scripts/bench-rounds.sh BEFORE-cks AFTER-cks [rounds] [seconds] [out.jsonl]
# Needs: moto_server, python3, a release cks-load (.build/release/cks-load, or CKS_LOAD), wrk for WRK=1.
# Loopback only.
set -uo pipefail
BEFORE="$1"; AFTER="$2"; ROUNDS="${3:-3}"; SECS="${4:-3}"; OUT="${5:-$(mktemp /tmp/cks-rounds.XXXXXX.jsonl)}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOAD="${CKS_LOAD:-$ROOT/.build/release/cks-load}"
W=$(mktemp -d /tmp/cks-rounds.XXXXXX)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$W"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
MP=$(port); BP=$(port); AP=$(port)
moto_server -H 127.0.0.1 -p $MP > $W/moto.log 2>&1 & PIDS="$PIDS $!"; MOTO=$!
mkdir -p $W/b $W/a
CKS_HOME=$W/b CKS_PACE=instant $BEFORE serve --port $BP > $W/b.log 2>&1 & PIDS="$PIDS $!"; BPID=$!
CKS_HOME=$W/a CKS_PACE=instant $AFTER serve --port $AP > $W/a.log 2>&1 & PIDS="$PIDS $!"; APID=$!
for i in $(seq 100); do grep -q SECRET $W/b.log && grep -q SECRET $W/a.log && curl -s -o /dev/null http://127.0.0.1:$MP/ && break; sleep 0.2; done
cred() { echo "--access-key $(grep -o 'AWS_ACCESS_KEY_ID=[^ ]*' $1 | cut -d= -f2) --secret-key $(grep -o 'AWS_SECRET_ACCESS_KEY=[^ ]*' $1 | cut -d= -f2)"; }
BC=$(cred $W/b.log); AC=$(cred $W/a.log)
rss() { awk -v s=$1 -v w="$3" '/^VmRSS/{r=$2} /^Pss:/{p=$2} END{printf "{\"mem\": \"%s\", \"when\": \"%s\", \"rss_kib\": %d, \"pss_kib\": %d}\n", s, w, r, p}' /proc/$2/status /proc/$2/smaps_rollup; }
: > $OUT
echo "{\"load_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> $OUT
sleep 1
rss moto $MOTO start >> $OUT; rss before $BPID start >> $OUT; rss after $APID start >> $OUT
KS="--key-store-id cks-1a2b3c4d5e6f70819"
# wrk NAME PORT OP CLIENTS: one wrk measurement with the round's script for that server and operation.
wrk1() { WRK_NAME=$1 WRK_CLIENTS=$4 wrk -t 1 -c $4 -d ${SECS}s -s $W/wrk-$1/$3.lua http://127.0.0.1:$2/ | grep '^{' >> $OUT; }
for r in $(seq $ROUNDS); do
 if [[ "${WRK:-0}" == 1 ]]; then
  mkdir -p $W/wrk-moto $W/wrk-before $W/wrk-after
  $LOAD --port $MP --ops ListKeys,DescribeKey,Encrypt --wrk-scripts $W/wrk-moto
  $LOAD --port $BP --ops ListKeys,DescribeKey,Encrypt --wrk-scripts $W/wrk-before $BC $KS
  $LOAD --port $AP --ops ListKeys,DescribeKey,Encrypt --wrk-scripts $W/wrk-after $AC $KS
 fi
 for op in ListKeys DescribeKey Encrypt; do
  for c in 8 1; do
   $LOAD --port $MP --name moto --ops $op --clients $c --seconds $SECS >> $OUT
   $LOAD --port $BP --name before --ops $op --clients $c --seconds $SECS $BC $KS >> $OUT
   $LOAD --port $AP --name after --ops $op --clients $c --seconds $SECS $AC $KS >> $OUT
   if [[ "${WRK:-0}" == 1 ]]; then
    wrk1 moto $MP $op $c; wrk1 before $BP $op $c; wrk1 after $AP $op $c
   fi
  done
 done
 echo "{\"load_round$r\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> $OUT
done
rss moto $MOTO "after runs" >> $OUT; rss before $BPID "after runs" >> $OUT; rss after $APID "after runs" >> $OUT
if [[ "${KEYS10K:-0}" == 1 ]]; then
 for s in b a; do
  P=$([[ $s == b ]] && echo $BP || echo $AP); C=$([[ $s == b ]] && echo "$BC" || echo "$AC")
  python3 "$ROOT/scripts/bench_server.py" --endpoint http://127.0.0.1:$P $C --create-keys 10000 > /dev/null
  $LOAD --port $P --name x --ops ListKeys,DescribeKey,Encrypt --clients 8 --seconds $SECS $C --key-store-id cks-1a2b3c4d5e6f70819 > /dev/null
 done
 rss before $BPID "10k keys after load" >> $OUT; rss after $APID "10k keys after load" >> $OUT
fi
echo "{\"load_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> $OUT
echo "results: $OUT" >&2
