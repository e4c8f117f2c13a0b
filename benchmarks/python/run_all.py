"""Run every workload in fresh processes and print one combined JSON list.

Each (workload, impl) cell runs in its own interpreter process, so no cell
sees another's heap or warmed-up state.  The stock-asyncio cells use
--python (default: this interpreter); uvloop cells use --uvloop-python
(default: the same) and are skipped when uvloop is not importable there.
With --processes K, each cell runs K times and the median value is reported.

    python3 benchmarks/python/run_all.py [--quick] [--processes K]
        [--uvloop-python /usr/bin/python3] [--only switch,echo]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (cell name, script, extra args); names match the scripts' "workload" field.
CELLS = [
    ("switch", "switch.py", []),
    ("pingpong", "pingpong.py", []),
    ("spawn_gather_100k", "spawn_gather.py", ["--n", "100000"]),
    ("spawn_gather_1m", "spawn_gather.py", ["--n", "1000000"]),
    ("queue", "queue.py", []),
    ("timers", "timers.py", []),
    ("echo", "echo.py", []),
    ("memory", "memory.py", []),
]

TIMEOUT_S = 900  # per process; full-mode cells take well under a minute


def has_uvloop(python):
    probe = subprocess.run([python, "-c", "import uvloop"],
                           capture_output=True)
    return probe.returncode == 0


def run_once(python, script, args):
    """Run one benchmark process and return its JSON record."""
    cmd = [python, os.path.join(HERE, script), *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT_S} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"error": f"exit {proc.returncode}: {tail[0]}"}
    return json.loads(lines[-1])


def run_cell(name, python, script, args, processes):
    records = [run_once(python, script, args) for _ in range(processes)]
    good = [r for r in records if "error" not in r]
    if len(good) < len(records):  # any failed process fails the cell
        bad = next(r for r in records if "error" in r)
        return {"workload": name, "impl": bad.get("impl", "?"),
                "error": bad["error"]}
    result = dict(good[0])
    result.pop("rounds", None)  # per-process detail; "values" replaces it
    result["value"] = statistics.median(r["value"] for r in good)
    result["processes"] = processes
    result["values"] = [r["value"] for r in good]
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--processes", type=int, default=1, metavar="K",
                        help="processes per cell; report the median of K")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter for the stock asyncio cells")
    parser.add_argument("--uvloop-python", default=None,
                        help="interpreter for the uvloop cells "
                             "(default: --python)")
    parser.add_argument("--no-uvloop", action="store_true")
    parser.add_argument("--only", default="",
                        help="comma-separated cell names to run")
    opts = parser.parse_args()

    only = set(filter(None, opts.only.split(",")))
    cells = [c for c in CELLS if not only or c[0] in only]
    flags = ["--quick"] if opts.quick else []

    runs = [(opts.python, [])]
    uv_python = opts.uvloop_python or opts.python
    if opts.no_uvloop:
        pass
    elif has_uvloop(uv_python):
        runs.append((uv_python, ["--uvloop"]))
    else:
        print(f"run_all: uvloop not importable by {uv_python}; skipping",
              file=sys.stderr)

    results = []
    for python, impl_flags in runs:
        for name, script, args in cells:
            print(f"run_all: {name} {' '.join(impl_flags)}", file=sys.stderr,
                  flush=True)
            results.append(run_cell(name, python, script,
                                    [*args, *impl_flags, *flags],
                                    opts.processes))
    # One record per line: still a valid JSON list, easy to diff and grep.
    print("[\n" + ",\n".join(json.dumps(r) for r in results) + "\n]")


if __name__ == "__main__":
    main()
