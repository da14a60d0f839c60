#!/usr/bin/env python3
"""Builds the markdown report of a benchmark run.

usage: report.py RESULTS META
RESULTS: one line per wrk run, space-separated key=value (target, op, size, size_bytes, conns,
rep, the RESULT fields of lua/*.lua and, for TurboCache, the fields of promdelta.py).
META: key=value lines describing the run (versions, machine, settings).
"""
import statistics
import sys
from collections import defaultdict

TARGETS = [("turbocache", "TurboCache"), ("turbocache_b", "TurboCache B"), ("peer", "Peer (ducktors)"),
           ("nginx", "nginx static")]
SIZE_ORDER = {"none": -1, "4k": 0, "64k": 1, "1m": 2, "32m": 3}
SIZE_LABEL = {"none": "404", "4k": "4 KiB", "64k": "64 KiB", "1m": "1 MiB", "32m": "32 MiB"}
OP_ORDER = {"miss": -1, "get": 0, "put": 1, "mixed": 2}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
            if "requests" not in kv:
                continue
            for k in list(kv):
                if k not in ("target", "op", "size", "tier"):
                    kv[k] = float(kv[k])
            dur = kv["duration_us"] / 1e6
            kv["rps"] = kv["requests"] / dur if dur > 0 else 0.0
            # mixed cycles GET, query, GET, PUT: three of four requests carry an artifact body
            share = 0.75 if kv["op"] == "mixed" else 1.0
            kv["mibs"] = kv["rps"] * kv["size_bytes"] * share / 2**20
            # a miss is a 404 by design, which wrk counts as a status error
            kv["errors"] = sum(kv[k] for k in kv if str(k).startswith("err_")
                               and not (kv["op"] == "miss" and k == "err_status"))
            rows.append(kv)
    return rows


def ms(us):
    v = us / 1000.0
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def srv_ms(us):
    """A histogram bucket bound: sub-millisecond bounds keep three decimals."""
    return f"{us / 1000.0:.3f}" if us < 1000 else ms(us)


def whole(value):
    """A whole number, or a dash for a cell or figure that is missing."""
    return "–" if value is None else f"{value:.0f}"


def optional_median(reps, key):
    values = [r[key] for r in reps if key in r]
    return statistics.median(values) if values else None


def num(v):
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}"


class Cell:
    """One target's repetitions of one cell; medians, which one slow phase of a shared machine moves least."""
    def __init__(self, reps):
        self.reps = reps
        self.rps = statistics.median(r["rps"] for r in reps)
        self.mibs = statistics.median(r["mibs"] for r in reps)
        self.p50 = statistics.median(r["p50_us"] for r in reps)
        self.p99 = statistics.median(r["p99_us"] for r in reps)
        self.p99_worst = max(r["p99_us"] for r in reps)
        lo, hi = min(r["rps"] for r in reps), max(r["rps"] for r in reps)
        self.spread = (hi - lo) / 2 / self.rps * 100 if self.rps else 0.0
        self.errors = sum(r["errors"] for r in reps)
        self.tier = reps[0].get("tier", "")
        srv = [r["srv_p99_le_us"] for r in reps if r.get("srv_p99_le_us", -1) > 0]
        self.srv_p99 = max(srv) if srv else None
        means = [r["srv_mean_us"] for r in reps if r.get("srv_mean_us", -1) > 0]
        self.srv_mean = statistics.mean(means) if means else None
        self.cpu = optional_median(reps, "cpu_us_per_req")
        self.client_cpu = optional_median(reps, "client_cpu_pct")

    def thr(self):
        warn = " ⚠err" if self.errors else ""
        return f"{num(self.rps)} ({num(self.mibs)}){warn}"

    def lat(self):
        return f"{ms(self.p50)} / {ms(self.p99)}"


def main():
    rows = load(sys.argv[1])
    meta = []
    with open(sys.argv[2]) as f:
        meta = [l.rstrip("\n") for l in f if "=" in l]
    groups = defaultdict(list)
    for r in rows:
        groups[(r["op"], r["size"], int(r["conns"]), r["target"])].append(r)
    cells = {k: Cell(v) for k, v in groups.items()}
    keys = sorted({(op, size, c) for (op, size, c, _) in cells},
                  key=lambda k: (OP_ORDER.get(k[0], 9), SIZE_ORDER.get(k[1], 9), k[2]))

    out = []
    w = out.append
    w("## Run")
    w("")
    for m in meta:
        k, v = m.split("=", 1)
        w(f"- **{k}**: {v}")
    w("")
    w("## Results (median of repetitions)")
    w("")
    w("Throughput is requests/s with payload MiB/s in brackets; latency is client-side (wrk) "
      "p50 / p99 in ms. TC÷peer, TC÷nginx and TC÷B are throughput ratios of the medians, "
      "p99÷nginx the ratio of the median p99s; MISS rows are GETs of hashes no server holds (404). *TC tier* is the tier whose "
      "byte counters moved during the cell; *srv p99* is the upper bound of the bucket of "
      "TurboCache's own request histogram that holds the 99th percentile (buckets from 50 µs), "
      "i.e. server time from request parsed to response written. MIXED rows cycle GET, batch query, GET, "
      "PUT per connection (MiB/s counts the GETs and the PUT); their *srv p99* is that "
      "of the GETs. *CPU µs/req* is the server process's own CPU (user and kernel, nginx's workers "
      "included) per request, TurboCache / nginx: the cost beside the load generator's on the shared cores. "
      "*wrk CPU %* is the load generator's CPU time over the cell's wall time (100 = one core busy), "
      "TurboCache's cell / nginx's: with the client pinned to one core (see *pinning*), near 100 means "
      "the client, not the server, set the pace.")
    w("")
    hdr = ["Op", "Size", "Conns"]
    for _, label in TARGETS:
        hdr += [f"{label} req/s (MiB/s)", f"{label} p50 / p99 ms"]
    hdr += ["TC÷peer", "TC÷nginx", "p99÷nginx", "TC÷B", "TC tier", "TC srv p99 ms", "CPU µs/req TC / nginx",
            "wrk CPU % TC / nginx"]
    w("| " + " | ".join(hdr) + " |")
    w("|" + "|".join(["---"] * 3 + ["--:"] * (len(hdr) - 3)) + "|")
    ratios = defaultdict(list)   # "<op>_peer" for every op, "get_nginx"
    for op, size, c in keys:
        line = [op.upper(), SIZE_LABEL.get(size, size), str(c)]
        for t, _ in TARGETS:
            cell = cells.get((op, size, c, t))
            line += [cell.thr(), cell.lat()] if cell else ["–", "–"]
        tc = cells.get((op, size, c, "turbocache"))
        peer = cells.get((op, size, c, "peer"))
        ngx = cells.get((op, size, c, "nginx"))
        rp = tc.rps / peer.rps if tc and peer and peer.rps else None
        rn = tc.rps / ngx.rps if tc and ngx and ngx.rps else None
        ln = tc.p99 / ngx.p99 if tc and ngx and ngx.p99 else None
        tb = cells.get((op, size, c, "turbocache_b"))
        rb = tc.rps / tb.rps if tc and tb and tb.rps else None
        if rp is not None:
            ratios[f"{op}_peer"].append((rp, size, c))
        if rn is not None and op == "get":
            ratios["get_nginx"].append((rn, size, c))
        line += [f"{rp:.2f}×" if rp else "–", f"{rn:.2f}×" if rn else "–", f"{ln:.2f}×" if ln else "–",
                 f"{rb:.2f}×" if rb else "–"]
        line += [tc.tier if tc else "–"]
        if tc and tc.srv_p99:
            line += [f"≤{srv_ms(tc.srv_p99)}"]
        else:
            line += ["–"]
        line += [f"{whole(tc and tc.cpu)} / {whole(ngx and ngx.cpu)}",
                 f"{whole(tc and tc.client_cpu)} / {whole(ngx and ngx.client_cpu)}"]
        w("| " + " | ".join(line) + " |")
    w("")

    w("## Memory-tier GET hit, 1 connection (bar: p99 server time under 1 ms, SPEC §6)")
    w("")
    w("The bar is judged on the server's histogram; client p99 (wrk, on the same machine as the "
      "server) is shown for reference and includes scheduling delays outside the server.")
    w("")
    w("| Size | tier | client p50 ms | client p99 ms (each rep) | worst client p99 | server p99 (histogram) | server mean ms | bar |")
    w("|---|---|--:|--:|--:|--:|--:|---|")
    mem_ok = []
    for size in ("64k", "1m"):
        cell = cells.get(("get", size, 1, "turbocache"))
        if not cell:
            continue
        each = ", ".join(ms(r["p99_us"]) for r in cell.reps)
        ok = bool(cell.srv_p99) and cell.srv_p99 < 1000 and cell.tier == "memory"
        mem_ok.append((ok, size, cell))
        srv = "–" if not cell.srv_p99 else f"≤{srv_ms(cell.srv_p99)} ms"
        sm = ms(cell.srv_mean) if cell.srv_mean else "–"
        w(f"| {SIZE_LABEL[size]} | {cell.tier} | {ms(cell.p50)} | {each} | {ms(cell.p99_worst)} | {srv} | {sm} | "
          f"{'met' if ok else 'NOT met'} |")
    w("")

    w("## Bars")
    w("")
    w("| Bar | Result | Verdict |")
    w("|---|---|---|")
    if mem_ok:
        detail = "; ".join(f"{SIZE_LABEL[s]}: server p99 ≤{srv_ms(c.srv_p99) if c.srv_p99 else '–'} ms "
                           f"(client worst p99 {ms(c.p99_worst)} ms)" for _, s, c in mem_ok)
        w(f"| Memory-tier GET p99 server time < 1 ms at 1 connection | {detail} | "
          f"{'met' if all(o for o, _, _ in mem_ok) else 'NOT met'} |")
    for key, label, need in (("get_peer", "GET-hit throughput ≥ 3× peer", 3.0),
                             ("put_peer", "PUT throughput ≥ 3× peer", 3.0),
                             ("get_nginx", "GET-hit throughput within 2× of nginx (≥ 0.5×)", 0.5)):
        rs = ratios[key]
        if not rs:
            continue
        worst = min(rs)
        failing = [f"{SIZE_LABEL[s]}/c{c} {r:.2f}×" for r, s, c in sorted(rs, key=lambda x: (SIZE_ORDER[x[1]], x[2])) if r < need]
        passing = sum(1 for r, _, _ in rs if r >= need)
        res = f"{passing}/{len(rs)} cells; worst {worst[0]:.2f}× ({SIZE_LABEL[worst[1]]}, {worst[2]} conns)"
        if failing:
            res += "; below: " + ", ".join(failing)
        verdict = "met" if passing == len(rs) else ("NOT met" if passing == 0 else "partly met")
        w(f"| {label} | {res} | {verdict} |")
    many = [(k, c) for k, c in cells.items() if k[0] == "mixed" and k[3] == "turbocache" and k[2] >= 200]
    if many:
        errs = int(sum(c.errors for _, c in many))
        reqs = int(sum(r["requests"] for _, c in many for r in c.reps))
        detail = ", ".join(f"{SIZE_LABEL[k[1]]} c{k[2]}" for k, _ in sorted(many, key=lambda x: SIZE_ORDER[x[0][1]]))
        w(f"| ≥ 200 concurrent clients mixing GET, query and PUT: zero errors | {errs} errors in {reqs} requests ({detail}) | "
          f"{'met' if errs == 0 else 'NOT met'} |")
    w("")

    w("## Every repetition")
    w("")
    w("| Target | Op | Size | Conns | rep | load | req/s | MiB/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU µs/req | wrk CPU % | spread of req/s over reps |")
    w("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for op, size, c in keys:
        for t, label in TARGETS:
            cell = cells.get((op, size, c, t))
            if not cell:
                continue
            for r in cell.reps:
                w(f"| {label} | {op.upper()} | {SIZE_LABEL.get(size, size)} | {c} | {int(r['rep'])} | {r.get('load1', '–')} | {num(r['rps'])} | "
                  f"{num(r['mibs'])} | {ms(r['p50_us'])} | {ms(r['p90_us'])} | {ms(r['p99_us'])} | {ms(r['max_us'])} | "
                  f"{int(r['errors'])} | {whole(r.get('cpu_us_per_req'))} | "
                  f"{whole(r.get('client_cpu_pct'))} | ±{cell.spread:.0f}% |")
    w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
