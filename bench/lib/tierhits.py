#!/usr/bin/env python3
"""Which tier answered the lookups of one benchmark cell, from two /metrics scrapes of TurboCache.

usage: tierhits.py BEFORE AFTER
prints: hits=redis:N,s3:M misses=... served=<tier with most hits>  (deltas of
turbocache_tier_lookups_total{tier, result})
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
    print(f"hits={fmt('hit')}{extra} served={served}")


if __name__ == "__main__":
    main()
