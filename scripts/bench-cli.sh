#!/usr/bin/env bash
# The CLI beside the aws CLI, whole processes (issue 14's second aim): `cks list --output json` on the
# simulator, and with --backend aws against a `cks serve`, beside `aws kms describe-custom-key-stores` against
# the same `cks serve`. One `hyperfine -N` run, so the machine's load falls on all three alike; prints
# hyperfine's table and the medians with their ratio to the aws CLI.
#
# Usage: scripts/bench-cli.sh [cks] [runs]    (default .build/release/cks, 20 runs)
# Needs: hyperfine, the aws CLI, python3. Loopback only.
set -euo pipefail
CKS="$(realpath "${1:-.build/release/cks}")"; RUNS="${2:-20}"
W=$(mktemp -d /tmp/bench-cli.XXXXXX)
SERVE=""
trap '[[ -n "$SERVE" ]] && kill $SERVE 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir -p $W/serve $W/local
CKS_HOME=$W/serve CKS_PACE=instant "$CKS" serve --port $P > $W/serve.log 2>&1 & SERVE=$!
for _ in $(seq 100); do grep -q SECRET $W/serve.log && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=$(grep -o 'AWS_ACCESS_KEY_ID=[^ ]*' $W/serve.log | cut -d= -f2)
export AWS_SECRET_ACCESS_KEY=$(grep -o 'AWS_SECRET_ACCESS_KEY=[^ ]*' $W/serve.log | cut -d= -f2)
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
URL=http://127.0.0.1:$P
CKS_HOME=$W/local "$CKS" list --output json > /dev/null   # the demo world exists before the runs
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json $W/runs.json \
  -n "cks list --output json" "env CKS_HOME=$W/local $CKS list --output json" \
  -n "cks list --output json --backend aws (cks serve)" "$CKS list --output json --backend aws --endpoint-url $URL" \
  -n "aws kms describe-custom-key-stores (cks serve)" "aws kms describe-custom-key-stores --endpoint-url $URL"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - $W/runs.json <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
aws = results[-1]["median"]
for r in results:
    print(f"{r['command']:<52} median {r['median'] * 1000:8.1f} ms   {aws / r['median']:5.1f}x the aws CLI")
PY
