#!/usr/bin/env python3
"""Compiler speed: gsc against the schema compilers users would pick instead.

Usage: bench/compilers.py [--runs N] [--sizes 1000,10000] [--markdown]

Generates equivalent schemas with bench/gen_schemas.py (N record types with
10 fields each, N/10 enums, N/20 services), then times, in the same run and
on the same machine:

front end (parse and check, no code):
  gsc check s{N}.gs
  capnp compile -o- s{N}.capnp
  protoc --descriptor_set_out=/dev/null s{N}.proto
Rust code generation (into an empty directory each run):
  gsc compile s{N}.gs -o OUT
  thrift --gen rs -out OUT s{N}.thrift
  flatc --rust -o OUT s{N}.fbs
Each command runs --runs times; the median wall time (process start
included) gives lines per second. For code generation it also counts the
lines of Rust written per schema line. Installs Debian's capnproto,
protobuf-compiler, thrift-compiler and flatbuffers-compiler when missing
(needs root or sudo).
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
    tools = (("capnp", "capnproto"), ("protoc", "protobuf-compiler"),
             ("thrift", "thrift-compiler"), ("flatc", "flatbuffers-compiler"))
    missing = [pkg for tool, pkg in tools if shutil.which(tool) is None]
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


def median_seconds(cmd, cwd, runs, fresh=None):
    """Median wall time of `cmd`; `fresh` is a directory emptied before each run."""
    times = []
    for _ in range(runs):
        if fresh:
            shutil.rmtree(fresh, ignore_errors=True)
            os.makedirs(fresh)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr.decode(errors="replace")))
    return statistics.median(times)


def rust_lines(directory):
    total = 0
    for dirpath, _, files in os.walk(directory):
        for name in files:
            if name.endswith(".rs"):
                with open(os.path.join(dirpath, name), errors="replace") as fh:
                    total += sum(1 for _ in fh)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args()
    ensure_tools()
    gsc = build_gsc()
    checks, gens = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        for n in [int(s) for s in args.sizes.split(",")]:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_schemas.py"), str(n), tmp], check=True)
            lines = {ext: sum(1 for _ in open(os.path.join(tmp, "s%d.%s" % (n, ext))))
                     for ext in ("gs", "capnp", "proto", "thrift", "fbs")}
            result = {}
            for name, cmd, ext in [
                ("gsc check", [gsc, "check", "s%d.gs" % n], "gs"),
                ("capnp compile -o-", ["capnp", "compile", "-o-", "s%d.capnp" % n], "capnp"),
                ("protoc --descriptor_set_out", ["protoc", "--descriptor_set_out=/dev/null", "s%d.proto" % n], "proto"),
            ]:
                secs = median_seconds(cmd, tmp, args.runs)
                result[name] = (secs, lines[ext], lines[ext] / secs, None)
            checks.append((n, result))
            result = {}
            for name, cmd, ext in [
                ("gsc compile", [gsc, "compile", "s%d.gs" % n, "-o", out], "gs"),
                ("thrift --gen rs", ["thrift", "--gen", "rs", "-out", out, "s%d.thrift" % n], "thrift"),
                ("flatc --rust", ["flatc", "--rust", "-o", out, "s%d.fbs" % n], "fbs"),
            ]:
                secs = median_seconds(cmd, tmp, max(3, args.runs // 2), fresh=out)
                result[name] = (secs, lines[ext], lines[ext] / secs, rust_lines(out) / lines[ext])
            gens.append((n, result))
    for title, rows, ours in (("Front end", checks, "gsc check"), ("Rust code generation", gens, "gsc compile")):
        print("\n## %s\n" % title if args.markdown else "\n%s" % title)
        if args.markdown:
            print("| types | tool | schema lines | median time | lines/s | Rust lines per schema line | gsc speed-up |")
            print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for n, result in rows:
            for name, (secs, lines, rate, per_line) in result.items():
                ratio = result[ours][2] / rate
                gen = "" if per_line is None else "%.1f" % per_line
                if args.markdown:
                    print("| %d | `%s` | %d | %.1f ms | %.0fk | %s | %s |" % (
                        n, name, lines, secs * 1000, rate / 1000, gen or "—", "—" if name == ours else "%.1f×" % ratio))
                else:
                    print("%6d types  %-28s %7d lines  %8.1f ms  %8.0fk lines/s  %5s  %s" % (
                        n, name, lines, secs * 1000, rate / 1000, gen,
                        "" if name == ours else "gsc is %.1fx faster" % ratio))
        if len(rows) >= 2:
            (n1, r1), (n2, r2) = rows[0], rows[-1]
            t1, t2 = r1[ours][0], r2[ours][0]
            l1, l2 = r1[ours][1], r2[ours][1]
            print("\n%s scaling: %dx the lines took %.1fx the time (linear: ratio 1.0 -> %.2f)"
                  % (ours, round(l2 / l1), t2 / t1, (t2 / t1) / (l2 / l1)))


if __name__ == "__main__":
    main()
