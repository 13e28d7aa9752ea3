#!/usr/bin/env bash
# cks serve and moto's server side by side in one run, on loopback, with the same clients:
# ListKeys, DescribeKey, Encrypt and DescribeCustomKeyStores with 1 and 8 clients (requests/s, p50, p99),
# through cks-load (native threads, keep-alive, real SigV4 signatures: what the servers themselves cost),
# a thin Python keep-alive client and boto3; then cks serve's memory (VmRSS/VmHWM, and the private part)
# with 10,000 keys. Stops both servers (only their PIDs) on exit.
#
# Usage: scripts/bench-server.sh [seconds-per-loop]   (default 5, at most 20)
# Needs: swift, python3 with boto3, moto[server] (moto_server). Prints Markdown tables; raw lines go to
# $CKS_BENCH_OUT (default a temporary file, named at the end).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HERE="$ROOT/scripts"
SECS="${1:-5}"
WORK="$(mktemp -d /tmp/cks-bench.XXXXXX)"
OUT="${CKS_BENCH_OUT:-$WORK/results.jsonl}"
MOTO_PID=""; CKS_PID=""

stop() {
  for pid in $CKS_PID $MOTO_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $CKS_PID $MOTO_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK/world"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  for _ in $(seq 1 200); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}
rss() { # server, pid, when, keys: VmRSS and VmHWM, plus PSS and private pages (smaps_rollup)
  cat "/proc/$2/status" "/proc/$2/smaps_rollup" | awk -v s="$1" -v w="$3" -v k="$4" '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2}
    /^Pss:/ {p=$2} /^Private_(Clean|Dirty):/ {v+=$2}
    END {printf "{\"server\": \"%s\", \"when\": \"%s\", \"keys\": \"%s\", \"rss_kib\": %d, \"hwm_kib\": %d, \"pss_kib\": %d, \"private_kib\": %d}\n", s, w, k, r, h, p, v}'
}

# The release build as one would install it: the Swift runtime and Foundation linked in statically, which
# saves their relocations and spares the dynamic linker's work (about 3 MiB less resident, faster start).
echo "== building cks and cks-load (release, --static-swift-stdlib, .build-static)" >&2
(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-static --product cks >&2)
(cd "$ROOT" && swift build -c release --static-swift-stdlib --scratch-path .build-static --product cks-load >&2)
CKS="$ROOT/.build-static/release/cks"
LOAD="$ROOT/.build-static/release/cks-load"

MOTO_PORT="$(free_port)"; CKS_PORT="$(free_port)"
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
CKS_HOME="$WORK/world" CKS_PACE=instant "$CKS" serve --host 127.0.0.1 --port "$CKS_PORT" >"$WORK/cks.log" 2>&1 &
CKS_PID=$!
wait_port "$MOTO_PORT"; wait_port "$CKS_PORT"
for _ in $(seq 1 50); do grep -q "AWS_SECRET_ACCESS_KEY=" "$WORK/cks.log" && break; sleep 0.1; done
AKID="$(grep -o 'AWS_ACCESS_KEY_ID=[^ ]*' "$WORK/cks.log" | cut -d= -f2-)"
SECRET="$(grep -o 'AWS_SECRET_ACCESS_KEY=[^ ]*' "$WORK/cks.log" | cut -d= -f2-)"
echo "== moto_server pid $MOTO_PID (moto $(python3 -c 'import moto; print(moto.__version__)')), cks serve pid $CKS_PID; $(nproc) CPUs" >&2

: >"$OUT"
rss moto "$MOTO_PID" "at start" 0 >>"$OUT"
rss cks "$CKS_PID" "at start (demo world)" 27 >>"$OUT"
echo "== moto" >&2
"$LOAD" --port "$MOTO_PORT" --name moto --seconds "$SECS" | tee -a "$OUT" >&2
python3 "$HERE/bench_server.py" --endpoint "http://127.0.0.1:$MOTO_PORT" --name moto --seconds "$SECS" | tee -a "$OUT" >&2
echo "== cks serve (the key is in the CONNECTED store payments-prod; every request is SigV4-verified)" >&2
"$LOAD" --port "$CKS_PORT" --name cks --seconds "$SECS" --access-key "$AKID" --secret-key "$SECRET" \
  --key-store-id cks-1a2b3c4d5e6f70819 | tee -a "$OUT" >&2
python3 "$HERE/bench_server.py" --endpoint "http://127.0.0.1:$CKS_PORT" --name cks --seconds "$SECS" \
  --access-key "$AKID" --secret-key "$SECRET" --key-store-id cks-1a2b3c4d5e6f70819 | tee -a "$OUT" >&2
rss moto "$MOTO_PID" "after the runs" "$(python3 "$HERE/bench_server.py" --endpoint "http://127.0.0.1:$MOTO_PORT" --create-keys 0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"])')" >>"$OUT"
rss cks "$CKS_PID" "after the runs" "" >>"$OUT"
echo "== cks serve: 10,000 keys" >&2
KEYS="$(python3 "$HERE/bench_server.py" --endpoint "http://127.0.0.1:$CKS_PORT" --access-key "$AKID" --secret-key "$SECRET" \
  --create-keys 10000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"])')"
"$LOAD" --port "$CKS_PORT" --name cks --seconds "$SECS" --clients 8 --ops ListKeys,DescribeKey,Encrypt \
  --access-key "$AKID" --secret-key "$SECRET" --key-store-id cks-1a2b3c4d5e6f70819 >/dev/null
rss cks "$CKS_PID" "with 10,000 keys, after ListKeys/DescribeKey/Encrypt load" "$KEYS" >>"$OUT"

python3 "$HERE/bench_table.py" "$OUT"
echo >&2
echo "raw results: $OUT" >&2
