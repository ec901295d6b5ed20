#!/usr/bin/env python3
"""Function lengths of the workspace's library and binary code (issue 11's bars).

Counts the lines of every `fn` item in crates/*/src (tests excluded: `#[cfg(test)]` modules,
tests.rs files, tests/, benches/, examples/), from its signature to its closing brace, and
prints the share over 50 lines and every function over the limit (default 80).

    python3 tools/fn_lengths.py [--limit 80] [--list 50]
"""
import argparse
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    out = []
    skip_indent = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if skip_indent is not None:
            if line.startswith(skip_indent + "}") :
                skip_indent = None
            i += 1
            continue
        if line.strip() == "#[cfg(test)]" and i + 1 < len(lines) and re.match(r"\s*mod \w+", lines[i + 1]):
            skip_indent = re.match(r"(\s*)", lines[i + 1]).group(1)
            i += 2
            continue
        m = FN.match(line)
        if m and not line.rstrip().endswith(";"):
            indent = m.group(1)
            name = m.group(7)
            j = i
            # The body ends at the first line after the signature that closes at this indent.
            while j < len(lines) and not (lines[j].startswith(indent + "}") and lines[j].strip() in ("}", "})", "};")):
                if j > i and FN.match(lines[j]) and len(FN.match(lines[j]).group(1)) <= len(indent):
                    break
                j += 1
            if j < len(lines) and lines[j].startswith(indent + "}"):
                out.append((name, i + 1, j - i + 1))
            i += 1
            continue
        i += 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("--list", type=int, default=None, help="also list functions over this many lines")
    args = ap.parse_args()
    rows = []
    for crate in sorted(os.listdir(os.path.join(ROOT, "crates"))):
        src = os.path.join(ROOT, "crates", crate, "src")
        for d, _, files in os.walk(src):
            for f in files:
                if not f.endswith(".rs") or f == "tests.rs":
                    continue
                p = os.path.join(d, f)
                for name, line, n in functions(p):
                    rows.append((n, os.path.relpath(p, ROOT), line, name))
    total = len(rows)
    over50 = [r for r in rows if r[0] > 50]
    over = sorted([r for r in rows if r[0] > args.limit], reverse=True)
    print(f"{total} functions; {len(over50)} over 50 lines ({100 * len(over50) / max(total, 1):.1f}%); "
          f"{len(over)} over {args.limit}")
    shown = over if args.list is None else sorted([r for r in rows if r[0] > args.list], reverse=True)
    for n, p, line, name in shown:
        print(f"{n:5d}  {p}:{line}  {name}")


if __name__ == "__main__":
    main()
