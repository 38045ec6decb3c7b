#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench -p gslang-bench` run as the
markdown tables of BENCHMARKS.md: per data set, encode and decode, with the
ratios to gscluster and to the floor, and each library's encoded size.

Usage: python3 bench/codec/summarize.py [CRITERION_DIR...]
(default: $CARGO_TARGET_DIR/criterion, else target/criterion). Given the
directories of several runs (copies of criterion's output), each time is the
median of the runs' medians, and a column gives the range over the runs.
"""
import json
import os
import sys

import statistics

ROOTS = sys.argv[1:] or [os.path.join(
    os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")]

# Encoded sizes in bytes, as asserted by bench/codec/tests/equal_work.rs.
SIZES = {
    "game_message": dict(gscluster=144, bincode_varint=126, bincode_fixint=217,
                         postcard=115, borsh=174, prost=163, rkyv=192),
    "blob": dict(gscluster=65556, bincode_varint=65558, bincode_fixint=65568,
                 postcard=65556, borsh=65560, prost=65558, rkyv=65568),
    "floats": dict(gscluster=65539, bincode_varint=65539, bincode_fixint=65544,
                   postcard=65539, borsh=65540, prost=65540, rkyv=65544),
}

# (criterion function, label, API, size key)
ENCODE = [
    ("gscluster", "**gscluster**", "`gscluster::encode_into`", "gscluster"),
    ("bincode-varint-vec", "bincode 2, varint", "`encode_into_std_write` (Vec)", "bincode_varint"),
    ("bincode-varint-slice", "bincode 2, varint", "`encode_into_slice`", "bincode_varint"),
    ("bincode-fixint-vec", "bincode 2, fixint", "`encode_into_std_write` (Vec)", "bincode_fixint"),
    ("bincode-fixint-slice", "bincode 2, fixint", "`encode_into_slice`", "bincode_fixint"),
    ("postcard-vec", "postcard 1", "`to_extend` (Vec)", "postcard"),
    ("postcard-slice", "postcard 1", "`to_slice`", "postcard"),
    ("borsh", "borsh 1", "`BorshSerialize::serialize` (Vec)", "borsh"),
    ("prost", "prost 0.14", "`Message::encode` (Vec)", "prost"),
    ("rkyv", "rkyv 0.8", "`to_bytes_in` (AlignedVec)", "rkyv"),
    ("floor-memcpy", "floor: memcpy", "`extend_from_slice` of the bytes", "gscluster"),
]
DECODE = [
    ("gscluster", "**gscluster**", "`gscluster::from_bytes`"),
    ("bincode-varint", "bincode 2, varint", "`decode_from_slice`"),
    ("bincode-fixint", "bincode 2, fixint", "`decode_from_slice`"),
    ("postcard", "postcard 1", "`from_bytes`"),
    ("borsh", "borsh 1", "`borsh::from_slice`"),
    ("prost", "prost 0.14", "`Message::decode`"),
    ("rkyv", "rkyv 0.8", "`rkyv::from_bytes` (validated, owned)"),
    ("rkyv-access", "rkyv 0.8, view ¹", "`rkyv::access` (validated)"),
    ("rkyv-access-unchecked", "rkyv 0.8, view ¹", "`access_unchecked` (unsafe)"),
    ("floor-clone", "floor: clone", "`value.clone()`"),
]


def runs(group, fn):
    """The benchmark's median in each run."""
    out = []
    for root in ROOTS:
        with open(os.path.join(root, group, fn, "new", "estimates.json")) as f:
            out.append(json.load(f)["median"]["point_estimate"])
    return out


def median(group, fn):
    return statistics.median(runs(group, fn))


def spread(group, fn):
    if len(ROOTS) == 1:
        return ""
    r = runs(group, fn)
    return f" {fmt(min(r))}–{fmt(max(r))} |"


RANGE_HEAD = " range over runs |" if len(ROOTS) > 1 else ""
RANGE_RULE = "---:|" if len(ROOTS) > 1 else ""


def fmt(ns):
    if ns < 1:
        return f"{ns * 1000:.0f} ps"
    if ns < 1000:
        return f"{ns:.1f} ns"
    return f"{ns / 1000:.2f} µs"


def ratio(a, b):
    r = a / b
    return f"{r:.2f}" if r >= 0.1 else f"{r:.3f}"


NAMES = dict(game_message="GameMessage", blob="Blob", floats="Floats")

for ds in ["game_message", "blob", "floats"]:
    group = f"{ds}_encode"
    ours, floor = median(group, "gscluster"), median(group, "floor-memcpy")
    print(f"\n#### `{NAMES[ds]}` encode\n")
    print(f"| library | API | median |{RANGE_HEAD} × gscluster | × memcpy | size (bytes) |")
    print(f"|---|---|---:|{RANGE_RULE}---:|---:|---:|")
    for fn, label, api, size in ENCODE:
        t = median(group, fn)
        print(f"| {label} | {api} | {fmt(t)} |{spread(group, fn)} {ratio(t, ours)} "
              f"| {ratio(t, floor)} | {SIZES[ds][size]} |")
    group = f"{ds}_decode"
    ours, floor = median(group, "gscluster"), median(group, "floor-clone")
    memcpy = median(f"{ds}_encode", "floor-memcpy")
    print(f"\n#### `{NAMES[ds]}` decode\n")
    print(f"| library | API | median |{RANGE_HEAD} × gscluster | × clone | × memcpy |")
    print(f"|---|---|---:|{RANGE_RULE}---:|---:|---:|")
    for fn, label, api in DECODE:
        t = median(group, fn)
        vs_memcpy = ratio(t, memcpy) if ds != "game_message" else "—"
        print(f"| {label} | {api} | {fmt(t)} |{spread(group, fn)} {ratio(t, ours)} "
              f"| {ratio(t, floor)} | {vs_memcpy} |")


def goal(label, ratios, limit):
    """A row of the goals table: the median over the runs of the per-run
    ratio, its range, and whether the median is within the limit."""
    mid = statistics.median(ratios)
    rng = f" ({min(ratios):.2f}–{max(ratios):.2f})" if len(ratios) > 1 else ""
    verdict = "**met**" if mid <= limit else "**missed**"
    print(f"| {label} | {mid:.2f}×{rng} | ≤ {limit}× | {verdict} |")


def per_run(group, fn, ref_group, ref_fns):
    """In each run, the benchmark's median over the fastest of `ref_fns`."""
    ours = runs(group, fn)
    refs = [runs(ref_group, r) for r in ref_fns]
    return [o / min(r[i] for r in refs) for i, o in enumerate(ours)]


OTHERS = [fn for fn, *_ in ENCODE if fn not in ("gscluster", "floor-memcpy")]
print("\n#### Goals\n")
print("| goal | ratio (range over runs) | limit | |")
print("|---|---:|---:|---|")
goal("`GameMessage` encode / fastest other library",
     per_run("game_message_encode", "gscluster", "game_message_encode", OTHERS), 1.0)
goal("`GameMessage` decode / clone",
     per_run("game_message_decode", "gscluster", "game_message_decode", ["floor-clone"]), 1.5)
for ds in ["blob", "floats"]:
    for op in ["encode", "decode"]:
        goal(f"`{NAMES[ds]}` {op} / memcpy",
             per_run(f"{ds}_{op}", "gscluster", f"{ds}_encode", ["floor-memcpy"]), 1.1)
