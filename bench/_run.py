"""`make bench` / `make bench-quick`: every bench under bench/, on SQLite and, when PostgreSQL
can run here (bench/pg.py `available()`), on PostgreSQL too; then a table of the JSON lines.

Each bench runs as its own process with CADANS_BENCH_DB set (a bench that reads no database says
`DATABASE_INDEPENDENT = True` and runs once). Its JSON lines pass through to stdout as they come
(and are collected into the summary on stderr); its stderr is passed through. A bench that
crashes is reported and the others still run; the exit code is then 1. A missed target is not a
crash ("ok": false says so).

Usage: python bench/_run.py [NAME ...]   (names are file stems: `make bench BENCH=web_concurrency`)
Not a benchmark itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

NOT_BENCHES = {"hello_app", "pg"}  # helpers without a leading underscore


def benches(names: list[str]) -> list[Path]:
    found = [p for p in sorted(HERE.glob("[a-z]*.py")) if p.stem not in NOT_BENCHES]
    if names:
        unknown = set(names) - {p.stem for p in found}
        if unknown:
            raise SystemExit(f"geen bench: {', '.join(sorted(unknown))}")
        found = [p for p in found if p.stem in names]
    return found


def main() -> int:
    from bench.pg import available

    names = [a for a in sys.argv[1:] if a] + os.environ.get("BENCH", "").split()
    pg_ok, reason = available()
    print(f"== PostgreSQL: {reason}", file=sys.stderr, flush=True)
    kinds = ["sqlite", "postgresql"] if pg_ok else ["sqlite"]
    lines, failed = [], []
    began = time.monotonic()
    for path in benches(names):
        independent = "DATABASE_INDEPENDENT = True" in path.read_text()
        for kind in (["none"] if independent else kinds):
            print(f"== {path.stem} ({kind})", file=sys.stderr, flush=True)
            env = {**os.environ, "CADANS_BENCH_DB": "sqlite" if kind == "none" else kind}
            start = time.monotonic()
            proc = subprocess.Popen([sys.executable, str(path)], env=env, cwd=HERE.parent,
                                    stdout=subprocess.PIPE, text=True)
            for raw in proc.stdout:
                sys.stdout.write(raw)
                sys.stdout.flush()
                try:
                    line = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(line, dict) and "bench" in line:
                    lines.append(line)
            if proc.wait() != 0:
                failed.append(f"{path.stem} ({kind}): exit {proc.returncode}")
            print(f"   {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
    print(f"\n== {len(lines)} figures in {(time.monotonic() - began) / 60:.1f} min",
          file=sys.stderr)
    for line in lines:
        print(f"{'OK ' if line.get('ok') else 'MIS'} {line.get('bench', '?'):38s} "
              f"{line.get('db', '?'):10s} {line.get('figure')!s:>10} {line.get('unit', '')!s:8s}"
              f" floor {line.get('floor')!s:>9} ratio {line.get('ratio')!s:>7} "
              f"target {line.get('target', '')}", file=sys.stderr)
    for text in failed:
        print(f"FOUT {text}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
