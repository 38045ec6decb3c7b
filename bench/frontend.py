#!/usr/bin/env python3
"""Front-end speed: `gsc check` against the front ends of capnp and protoc.

Usage: bench/frontend.py [--runs N] [--sizes 1000,10000] [--markdown]

Generates equivalent schemas with bench/gen_schemas.py (N record types with
10 fields each, N/10 enums, N/20 services), then times, in the same run and
on the same machine:
  gsc check s{N}.gs
  capnp compile -o- s{N}.capnp          (parse + check, no code generation)
  protoc --descriptor_set_out=/dev/null s{N}.proto
Each command runs --runs times; the median wall time (process start
included) gives lines per second. Installs Debian's capnproto and
protobuf-compiler when they are missing (needs root or sudo).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ensure_tools():
    missing = [pkg for tool, pkg in (("capnp", "capnproto"), ("protoc", "protobuf-compiler"))
               if shutil.which(tool) is None]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("installing", " ".join(missing), file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(sudo + ["apt-get", "install", "-y", "-q"] + missing, env=env).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-q"] + missing, env=env, check=True)


def build_gsc():
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "gsc"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "gsc")


def median_seconds(cmd, cwd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr.decode(errors="replace")))
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args()
    ensure_tools()
    gsc = build_gsc()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_schemas.py"), str(n), tmp], check=True)
            lines = {ext: sum(1 for _ in open(os.path.join(tmp, "s%d.%s" % (n, ext)))) for ext in ("gs", "capnp", "proto")}
            tools = [
                ("gsc check", [gsc, "check", "s%d.gs" % n], "gs"),
                ("capnp compile -o-", ["capnp", "compile", "-o-", "s%d.capnp" % n], "capnp"),
                ("protoc --descriptor_set_out", ["protoc", "--descriptor_set_out=/dev/null", "s%d.proto" % n], "proto"),
            ]
            result = {}
            for name, cmd, ext in tools:
                secs = median_seconds(cmd, tmp, args.runs)
                result[name] = (secs, lines[ext], lines[ext] / secs)
            rows.append((n, result))
    gsc_name = "gsc check"
    if args.markdown:
        print("| types | tool | lines | median time | lines/s | gsc speed-up |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for n, result in rows:
        for name, (secs, lines, rate) in result.items():
            ratio = result[gsc_name][2] / rate
            if args.markdown:
                print("| %d | `%s` | %d | %.1f ms | %.0fk | %s |" % (
                    n, name, lines, secs * 1000, rate / 1000, "—" if name == gsc_name else "%.1f×" % ratio))
            else:
                print("%6d types  %-28s %7d lines  %8.1f ms  %8.0fk lines/s  %s" % (
                    n, name, lines, secs * 1000, rate / 1000, "" if name == gsc_name else "gsc is %.1fx faster" % ratio))
    if len(rows) >= 2:
        (n1, r1), (n2, r2) = rows[0], rows[-1]
        t1, t2 = r1[gsc_name][0], r2[gsc_name][0]
        l1, l2 = r1[gsc_name][1], r2[gsc_name][1]
        print("\ngsc scaling: %dx the lines took %.1fx the time (linear: ratio 1.0 -> %.2f)"
              % (round(l2 / l1), t2 / t1, (t2 / t1) / (l2 / l1)))


if __name__ == "__main__":
    main()
