#!/usr/bin/env python3
"""Throughput and latency of a KMS-compatible endpoint, for scripts/bench-server.sh.

Two clients, each run with 1 and N concurrent clients (separate processes, so the client's GIL is not the
limit):
  raw    keep-alive http.client with requests signed once with real SigV4 (valid for 5 minutes), so the
         figure is the server's cost plus a thin client; works against servers that verify signatures.
  boto3  one boto3 client per process, as an application would call the endpoint.
Each loop stops after --seconds (at most 20). Prints one JSON object per (client, op, clients) line.
Talks to loopback only.

Usage: bench_server.py --endpoint http://127.0.0.1:4599 --name cks --access-key AKID --secret-key SECRET
                       [--key-id KEY | --key-store-id STORE] [--seconds 5] [--clients 1,8] [--client raw,boto3]
       bench_server.py --endpoint … --create-keys 10000   (make keys until the endpoint holds that many)
"""
import argparse
import datetime
import hashlib
import hmac
import http.client
import json
import math
import multiprocessing
import statistics
import sys
import time
import urllib.parse

OPS = ["ListKeys", "DescribeKey", "Encrypt", "DescribeCustomKeyStores"]
PLAINTEXT_B64 = "aGVsbG8ta21zLWJlbmNoLTMyLWJ5dGVzLXBheWxvYWQ="  # 32 bytes, as the peer scripts send


def sign(host, target, body, access_key, secret_key, region="us-east-1", service="kms"):
    """Headers of a SigV4-signed KMS JSON 1.1 POST / (the signature holds for 5 minutes)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {"content-type": "application/x-amz-json-1.1", "host": host, "x-amz-date": amz_date, "x-amz-target": target}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["POST", "/", "", "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed,
                           hashlib.sha256(body).hexdigest()])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret_key).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
    return headers


def body_of(op, key_id):
    return {"ListKeys": {}, "DescribeKey": {"KeyId": key_id}, "DescribeCustomKeyStores": {},
            "Encrypt": {"KeyId": key_id, "Plaintext": PLAINTEXT_B64}}[op]


def raw_call(host, port, access_key, secret_key, op, payload):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("POST", "/", body=payload, headers=sign(f"{host}:{port}", "TrentService." + op, payload, access_key, secret_key))
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def raw_worker(args):
    host, port, access_key, secret_key, op, key_id, deadline = args
    payload = json.dumps(body_of(op, key_id)).encode()
    headers = sign(f"{host}:{port}", "TrentService." + op, payload, access_key, secret_key)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    latencies, errors = [], 0
    while True:
        start = time.perf_counter()
        if start >= deadline:
            break
        connection.request("POST", "/", body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status == 200:
            latencies.append(time.perf_counter() - start)
        else:
            errors += 1
    connection.close()
    return latencies, errors


_clients = {}


def warm_up():
    """Pool initializer: import boto3 before any timed loop."""
    try:
        import boto3  # noqa: F401
    except ImportError:
        pass


def boto3_worker(args):
    endpoint, access_key, secret_key, op, key_id, deadline = args
    import boto3
    from botocore.config import Config
    if endpoint not in _clients:
        _clients[endpoint] = boto3.client("kms", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=access_key,
                                          aws_secret_access_key=secret_key, config=Config(retries={"total_max_attempts": 1}))
    client = _clients[endpoint]
    call = {"ListKeys": lambda: client.list_keys(), "DescribeKey": lambda: client.describe_key(KeyId=key_id),
            "Encrypt": lambda: client.encrypt(KeyId=key_id, Plaintext=b"hello-kms-bench-32-bytes-payload"),
            "DescribeCustomKeyStores": lambda: client.describe_custom_key_stores()}[op]
    call_ok = True
    try:
        call()  # warm-up: connection and service model
    except Exception:
        call_ok = False
    latencies, errors = [], 0
    while True:
        start = time.perf_counter()
        if start >= deadline:
            break
        try:
            call()
        except Exception:
            errors += 1
            if not call_ok:
                time.sleep(0.001)
            continue
        latencies.append(time.perf_counter() - start)
    return latencies, errors


def percentile(sorted_values, p):
    """Nearest rank: the smallest value with at least p % of the samples at or below it."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


def measure(pool, worker, make_args, clients, seconds, lead=0.5):
    # Every process starts its loop at the same moment; perf_counter is system-wide on Linux (CLOCK_MONOTONIC).
    deadline = time.perf_counter() + lead + seconds
    started = deadline - seconds
    results = pool.map(worker, [make_args(deadline) for _ in range(clients)], chunksize=1)
    wall = max(time.perf_counter(), deadline) - started
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    return {
        "requests": len(latencies), "errors": errors, "wall_s": round(wall, 3),
        "rps": round(len(latencies) / wall, 1) if latencies else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 3) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 3) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 3) if latencies else None,
    }


def create_keys(host, port, access_key, secret_key, total):
    """CreateKey until ListKeys counts `total` keys (4 connections)."""
    count = 0
    marker = None
    while True:
        body = {"Limit": 1000, **({"Marker": marker} if marker else {})}
        status, data = raw_call(host, port, access_key, secret_key, "ListKeys", json.dumps(body).encode())
        page = json.loads(data)
        count += len(page.get("Keys", []))
        marker = page.get("NextMarker")
        if not page.get("Truncated"):
            break
    missing = max(0, total - count)
    per = [missing // 4 + (1 if i < missing % 4 else 0) for i in range(4)]
    with multiprocessing.Pool(4) as pool:
        made = pool.map(create_worker, [(host, port, access_key, secret_key, n) for n in per])
    return count + sum(made)


def create_worker(args):
    host, port, access_key, secret_key, n = args
    payload = json.dumps({"Description": "bench"}).encode()
    connection = http.client.HTTPConnection(host, port, timeout=30)
    made = 0
    for i in range(n):
        if i % 2000 == 0:
            headers = sign(f"{host}:{port}", "TrentService.CreateKey", payload, access_key, secret_key)
        connection.request("POST", "/", body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        made += response.status == 200
    connection.close()
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--name", default="server")
    parser.add_argument("--access-key", default="test")
    parser.add_argument("--secret-key", default="test")
    parser.add_argument("--key-id")
    parser.add_argument("--key-store-id", help="create the benchmark key in this custom key store (Origin AWS_CLOUDHSM)")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--client", default="raw,boto3")
    parser.add_argument("--ops", default=",".join(OPS))
    parser.add_argument("--create-keys", type=int)
    a = parser.parse_args()
    url = urllib.parse.urlparse(a.endpoint)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("refusing a non-loopback endpoint")
    host, port = url.hostname, url.port
    if a.create_keys is not None:
        print(json.dumps({"server": a.name, "keys": create_keys(host, port, a.access_key, a.secret_key, a.create_keys)}), flush=True)
        return
    seconds = min(a.seconds, 20.0)
    key_id = a.key_id
    if not key_id:
        request = {"Description": "bench-fixed"}
        if a.key_store_id:
            request.update(CustomKeyStoreId=a.key_store_id, Origin="AWS_CLOUDHSM")
        status, data = raw_call(host, port, a.access_key, a.secret_key, "CreateKey", json.dumps(request).encode())
        key_id = json.loads(data)["KeyMetadata"]["KeyId"]
    counts = [int(c) for c in a.clients.split(",")]
    with multiprocessing.Pool(max(counts), initializer=warm_up) as pool:
        for client in a.client.split(","):
            for op in a.ops.split(","):
                for clients in counts:
                    if client == "raw":
                        make = lambda d: (host, port, a.access_key, a.secret_key, op, key_id, d)
                        result = measure(pool, raw_worker, make, clients, seconds)
                    else:
                        make = lambda d: (a.endpoint, a.access_key, a.secret_key, op, key_id, d)
                        result = measure(pool, boto3_worker, make, clients, seconds, lead=2.0)
                    print(json.dumps({"server": a.name, "client": client, "op": op, "clients": clients, **result}), flush=True)


if __name__ == "__main__":
    main()
