#!/usr/bin/env python3
"""Ranges over several bench runs: for each workload and metric, the engine figure's and the
ratio's lowest and highest across the JSON result files given (bench/results/*.json).
Usage: bench/scripts/ranges.py RESULT.json [RESULT.json ...]"""
import json
import sys
from collections import OrderedDict

rows = OrderedDict()
for path in sys.argv[1:]:
    with open(path) as f:
        run = json.load(f)
    for outcome in run["outcomes"]:
        for m in outcome.get("measurements", []):
            key = (outcome["workload"], m["metric"], m["unit"], m.get("baseline") or "—", m.get("target") or "")
            rows.setdefault(key, []).append((m["engine"], m.get("baselineFigure"), m.get("ratio")))

def span(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    low, high = min(values), max(values)
    return fmt(low) if low == high else f"{fmt(low)} – {fmt(high)}"

def number(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"

print(f"runs: {len(sys.argv) - 1}")
print("| workload | metric | Engine | baseline | baseline figure | ratio | target |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for (workload, metric, unit, baseline, target), figures in rows.items():
    engine = span([f[0] for f in figures], number)
    base = span([f[1] for f in figures], number)
    ratio = span([f[2] for f in figures], lambda v: f"{v:.2f}×")
    print(f"| {workload} | {metric} ({unit}) | {engine} | {baseline} | {base} | {ratio} | {target} |")
