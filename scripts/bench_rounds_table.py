#!/usr/bin/env python3
"""Medians and ratios from scripts/bench-rounds.sh output: one Markdown row per load client (cks-load's native
threads or wrk), operation and client count (moto, before and after requests/s, each cks against moto, p99s),
after the memory and load-average lines.

Usage: bench_rounds_table.py results.jsonl
"""
import collections
import json
import statistics
import sys

rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    record = json.loads(line)
    if "rps" in record:
        rows[(record.get("client", "native"), record["op"], record["clients"], record["server"])].append(record)
    else:
        print(record)


def median(client, op, clients, server, field):
    values = [r[field] for r in rows[(client, op, clients, server)]]
    return statistics.median(values) if values else float("nan")


print("| client | op | clients | moto rps | before rps | after rps | before / moto | after / moto | before p99 | after p99 | after p50 |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for client, op, clients in sorted({(l, o, c) for l, o, c, _ in rows}, key=lambda k: (k[0], -k[2], k[1])):
    moto, before, after = (median(client, op, clients, s, "rps") for s in ("moto", "before", "after"))
    print(f"| {client} | {op} | {clients} | {moto:,.0f} | {before:,.0f} | {after:,.0f} | {before / moto:.0f}× | {after / moto:.0f}× "
          f"| {median(client, op, clients, 'before', 'p99_ms'):.2f} ms | {median(client, op, clients, 'after', 'p99_ms'):.2f} ms "
          f"| {median(client, op, clients, 'after', 'p50_ms'):.2f} ms |")
