"""Renders bench/turbo-run.sh's results as markdown: per target the median wall time of its cold
and warm turbo runs, their spread, the ratios to turbo's own local cache and to nginx, and the
server's CPU time during the runs.

Usage: turbo_report.py RESULTS META
"""
import statistics
import sys
from collections import defaultdict

ORDER = ["turbocache", "nginx", "peer", "local"]


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = dict(item.split("=", 1) for item in line.split())
            rows.append(fields)
    return rows


def spread(values):
    med = statistics.median(values)
    return f"{med:,.0f} ({min(values):,}–{max(values):,})", med


def ratio(value, base):
    return f"{value / base:.2f}×" if base else "–"


def main(results, meta):
    runs = defaultdict(list)
    cpu = defaultdict(list)
    for row in parse(results):
        key = (row["target"], row["phase"])
        runs[key].append(int(row["ms"]))
        cpu[key].append(int(row["server_cpu_ms"]))
    targets = [t for t in ORDER if (t, "cold") in runs]
    medians = {key: statistics.median(values) for key, values in runs.items()}

    print("Wall time of `turbo run build` (ms, median and range); the ratios are of the medians.")
    print("*local* is turbo's own local cache, no server: the floor for both runs.")
    print()
    print("| target | cold run | ÷ local | ÷ nginx | warm run | ÷ local | ÷ nginx | server CPU ms, cold / warm |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for t in targets:
        cells = [t]
        for phase in ("cold", "warm"):
            text, med = spread(runs[(t, phase)])
            cells += [text, ratio(med, medians.get(("local", phase))), ratio(med, medians.get(("nginx", phase)))]
        cells.append("–" if t == "local" else
                     f"{statistics.median(cpu[(t, 'cold')]):,.0f} / {statistics.median(cpu[(t, 'warm')]):,.0f}")
        print("| " + " | ".join(cells) + " |")
    print()
    print("## Settings")
    print()
    with open(meta) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            print(f"- **{key}**: {value}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
