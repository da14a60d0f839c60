#!/usr/bin/env python3
"""Which tier answered the lookups of one benchmark cell, from two /metrics scrapes of TurboCache.

usage: tierhits.py BEFORE AFTER
prints: hits=redis:N,s3:M lookups_<result>=... served=<tier with most hits> tier_get_p99_le_us=X
(deltas of turbocache_tier_lookups_total{tier, result}; X is the bucket bound of the served tier's
turbocache_tier_latency_seconds{op="get"}: the tier's get call, which for S3 ends when the
response stream is open, not when the body has been read)
"""
import sys

from promdelta import parse


def main():
    before, after = parse(sys.argv[1]), parse(sys.argv[2])
    by = {}
    for key, value in after.items():
        name, labels = key
        if name != "turbocache_tier_lookups_total":
            continue
        lab = dict(labels)
        d = value - before.get(key, 0.0)
        if d > 0:
            by.setdefault(lab.get("result", "?"), {})[lab.get("tier", "?")] = int(d)

    def fmt(result):
        tiers = by.get(result, {})
        return ",".join(f"{t}:{n}" for t, n in sorted(tiers.items())) or "none"

    hits = by.get("hit", {})
    served = max(hits, key=hits.get) if hits else "none"
    others = {r: fmt(r) for r in sorted(by) if r != "hit"}
    extra = "".join(f" lookups_{r}={v}" for r, v in others.items())
    buckets, count = [], 0.0
    for key, value in after.items():
        name, labels = key
        lab = dict(labels)
        if lab.get("tier") != served or lab.get("op") != "get":
            continue
        d = value - before.get(key, 0.0)
        if name == "turbocache_tier_latency_seconds_bucket":
            le = lab["le"]
            buckets.append((float("inf") if le == "+Inf" else float(le), d))
        elif name == "turbocache_tier_latency_seconds_count":
            count = d
    p99 = -1
    for le, cum in sorted(buckets):
        if count > 0 and cum >= 0.99 * count:
            p99 = -1 if le == float("inf") else round(le * 1e6)
            break
    print(f"hits={fmt('hit')}{extra} served={served} tier_get_p99_le_us={p99}")


if __name__ == "__main__":
    main()
