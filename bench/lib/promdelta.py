#!/usr/bin/env python3
"""Server-side view of one benchmark cell, from two /metrics scrapes of TurboCache.

usage: promdelta.py BEFORE AFTER METHOD STATUS
prints: srv_count=N srv_mean_us=X srv_p50_le_us=Y srv_p99_le_us=Z tier=memory|disk|...
The p50/p99 are histogram bucket upper bounds ("<= this"); the server's histogram starts at
1 ms, so anything faster reads as "<= 1000 us".
"""
import re
import sys

ROUTE = "/v8/artifacts/{hash}"
# Label values may contain braces (route="/v8/artifacts/{hash}"): take all up to the last "}".
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}\s+(\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if not m:
                continue
            labels = tuple(sorted(LABEL.findall(m.group(2))))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


def main():
    before, after, method, status = parse(sys.argv[1]), parse(sys.argv[2]), sys.argv[3], sys.argv[4]

    def delta(key):
        return after.get(key, 0.0) - before.get(key, 0.0)

    want = {("method", method), ("route", ROUTE), ("status", status)}
    buckets = []
    count = total = 0.0
    for key in after:
        name, labels = key
        ls = set(labels)
        if name == "turbocache_http_requests_seconds_bucket" and want <= ls:
            le = dict(labels)["le"]
            buckets.append((float("inf") if le == "+Inf" else float(le), delta(key)))
        elif name == "turbocache_http_requests_seconds_count" and want <= ls:
            count = delta(key)
        elif name == "turbocache_http_requests_seconds_sum" and want <= ls:
            total = delta(key)
    buckets.sort()

    def quantile(q):
        if count <= 0:
            return -1
        for le, cum in buckets:
            if cum >= q * count:
                return -1 if le == float("inf") else round(le * 1e6)
        return -1

    tiers = []
    metric = "turbocache_tier_bytes_read_bytes_total" if method == "GET" else "turbocache_tier_bytes_written_bytes_total"
    for key in after:
        if key[0] == metric:
            d = delta(key)
            if d > 0:
                tiers.append((dict(key[1])["tier"], d))
    tiers.sort(key=lambda t: -t[1])
    tier = "+".join(t for t, _ in tiers) if tiers else "none"
    mean = round(total / count * 1e6) if count > 0 else -1
    print(f"srv_count={int(count)} srv_mean_us={mean} srv_p50_le_us={quantile(0.5)} "
          f"srv_p99_le_us={quantile(0.99)} tier={tier}")


if __name__ == "__main__":
    main()
