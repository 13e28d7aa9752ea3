#!/usr/bin/env python3
"""Turns the JSON lines of cks-load and bench_server.py (and the RSS lines of bench-server.sh) into Markdown tables,
moto and cks side by side. Usage: bench_table.py results.jsonl"""
import json
import sys


def cell(result):
    if result is None:
        return "—", "—", "—"
    if result["requests"] == 0:
        return f"0 ({result['errors']} errors)", "—", "—"
    return f"{result['rps']:,.0f}", f"{result['p50_ms']:.2f}", f"{result['p99_ms']:.2f}"


def main():
    rows, memory = {}, []
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            item = json.loads(line)
            if "rss_kib" in item:
                memory.append(item)
            elif "rps" in item:
                rows.setdefault((item["client"], item["op"], item["clients"]), {})[item["server"]] = item
    for client in ("native", "raw", "boto3"):
        keys = [k for k in rows if k[0] == client]
        if not keys:
            continue
        title = {"native": "cks-load: native keep-alive clients (threads), real SigV4 signatures: the servers' own cost",
                 "raw": "keep-alive http.client, real SigV4 signatures (a thin Python client per process)",
                 "boto3": "boto3, one client per process (what an application sees)"}[client]
        print(f"\n**{title}**\n")
        print("| Operation | clients | moto rps | moto p50 ms | moto p99 ms | cks rps | cks p50 ms | cks p99 ms | cks / moto |")
        print("|---|---|---|---|---|---|---|---|---|")
        for _, op, clients in sorted(keys, key=lambda k: (["ListKeys", "DescribeKey", "Encrypt", "DescribeCustomKeyStores"].index(k[1]), k[2])):
            moto, cks = rows[(client, op, clients)].get("moto"), rows[(client, op, clients)].get("cks")
            ratio = "—"
            if moto and cks and moto["rps"] > 0:
                ratio = f"{cks['rps'] / moto['rps']:.0f}×"
            elif cks and cks["rps"] > 0 and moto and moto["rps"] == 0:
                ratio = "moto: not implemented"
            print(f"| {op} | {clients} | {' | '.join(cell(moto))} | {' | '.join(cell(cks))} | {ratio} |")
    if memory:
        print("\n| Server | when | keys | VmRSS MiB | VmHWM MiB | PSS MiB | private MiB |")
        print("|---|---|---|---|---|---|---|")
        for m in memory:
            extra = " | ".join(f"{m[k] / 1024:.1f}" if k in m else "—" for k in ("pss_kib", "private_kib"))
            print(f"| {m['server']} | {m['when']} | {m.get('keys', '—')} | {m['rss_kib'] / 1024:.1f} | {m['hwm_kib'] / 1024:.1f} | {extra} |")


if __name__ == "__main__":
    main()
