"""Run each hostile input through a real `pdsweep scan` (subprocess, one input per scan) and print a
table: input, status + reason recorded, peak RSS of the process tree, wall time.

    python benchmarks/hostile_table.py            # archives, file system, corrupt parsers
    python benchmarks/hostile_table.py --big      # also the 10 GB sparse file and a 500 MB text file
    python benchmarks/hostile_table.py --only bomb
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "tests", "hostile"), os.path.join(HERE, "..", "tests"),
                os.path.join(HERE, "..")]

import hostile_inputs as inputs   # noqa: E402
from hostile_run import ScanRun, statuses   # noqa: E402

MB = 1024 * 1024


def cases(big: bool) -> list[tuple[str, str, object]]:
    """(label, file or dir name to report, builder(dir) that writes it)."""
    out = []
    with tempfile.TemporaryDirectory() as probe:
        archives = inputs.build_archives(probe)
    for name, what in archives.items():
        out.append((what, name, lambda d, n=name: _one_archive(d, n)))
    fs = ["loops/a/up", "loops/self", "out-dir", "passwd", "fifo", "sock", "zero-device",
          "deep/" + "d/" * 300 + "bottom.txt"]
    for name in fs:
        out.append((f"file system: {name.split('/')[0] if name.startswith('deep') else name}", name,
                    lambda d, n=name: _one_fs(d, n)))
    for name, builder in inputs.corrupt_documents().items():
        out.append((f"corrupt/odd: {name}", name, lambda d, n=name, b=builder: _write(d, n, b())))
    out.append(("slow PDF: 400k one-character draws on one page (100 KB; CLI time limit 120 s)", "slow.pdf",
                lambda d: _write(d, "slow.pdf", inputs.slow_pdf())))
    if big:
        out.append(("sparse file, 10 GB of zeros", "sparse.img", _sparse))
        out.append(("lowercase text, 500 MB", "big.txt", lambda d: _text(d, 500 * MB)))
    return out


def _write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def _one_archive(d, name):
    with tempfile.TemporaryDirectory() as all_dir:
        inputs.build_archives(all_dir)
        shutil.copy(os.path.join(all_dir, name), os.path.join(d, name))


def _one_fs(d, name):
    """Build the whole small tree, then drop everything but `name` (and what it needs)."""
    outside = d + "-outside"
    inputs.build_filesystem(d, outside)
    keep = name.split("/")[0]
    for entry in os.listdir(d):
        if entry != keep:
            path = os.path.join(d, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)


def _sparse(d):
    with open(os.path.join(d, "sparse.img"), "wb") as f:
        f.truncate(10 * 1024 * MB)


def _text(d, size):
    line = b"the quarterly figures were discussed at length and agreed by all present, see notes.\n"
    block = line * 1000 + b"contact jo.bloggs@example.org about the minutes.\n"
    with open(os.path.join(d, "big.txt"), "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)


def summarise(found: dict, root: str, name: str) -> str:
    uri = os.path.join(root, name)
    own = found.get(uri)
    text = f"{own[0]}" + (f" ({own[1]})" if own and own[1] else "") if own else "(no row)"
    members = Counter(f"{s}: {r}" if r else s for u, (s, r) in found.items() if u.startswith(uri + "!/"))
    if members:
        text += "; members: " + ", ".join(f"{n}x {k}" for k, n in members.most_common(3))
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    print("| input | recorded (status: reason) | peak RSS | wall | exit |")
    print("|---|---|---|---|---|")
    for label, name, build in cases(args.big):
        if args.only and args.only not in label and args.only not in name:
            continue
        with tempfile.TemporaryDirectory(prefix="ht-") as work:
            root = os.path.join(work, "t")
            os.makedirs(root)
            build(root)
            run = ScanRun.scan(root, os.path.join(work, "inv"), [], work, timeout=3600)
            found = statuses(os.path.join(work, "inv")) if run.rc == 0 else {}
            left = " left files behind" if run.tmp_left else ""
            print(f"| {label} | {summarise(found, root, name)} | {run.peak_rss / MB:.0f} MB "
                  f"| {run.wall_s:.1f} s | {run.rc}{left} |", flush=True)


if __name__ == "__main__":
    main()
