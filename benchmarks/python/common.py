"""Shared plumbing for the CPython side of the asyncio benchmarks.

Every workload script does `import common` *before* anything else.  Besides
the helpers below, importing this module removes the benchmark directory from
sys.path: the script directory is sys.path[0], and our `queue.py` would
otherwise shadow the stdlib `queue` module for anything imported later
(e.g. concurrent.futures.thread, used by the default executor).
"""

import os
import sys

# Done before any other import, so nothing below can pick up our queue.py.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402

ROUNDS = 3


def parse_args(add_arguments=None):
    """Parse the flags every workload accepts, plus workload-specific ones."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--uvloop", action="store_true",
                        help="run on uvloop instead of the stock asyncio loop")
    parser.add_argument("--quick", action="store_true",
                        help="small counts, for smoke tests (< 1 s)")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help="rounds in this process; the median is reported")
    if add_arguments:
        add_arguments(parser)
    return parser.parse_args()


def emit(record):
    """Print the single JSON result line; stdout carries nothing else."""
    print(json.dumps(record), flush=True)


def select_loop(workload, use_uvloop):
    """Return (loop_factory, impl). A missing uvloop is reported, not raised."""
    if not use_uvloop:
        impl = f"{sys.implementation.name}-{platform.python_version()}"
        return None, impl  # None: asyncio.Runner's default loop
    try:
        import uvloop
    except ImportError:
        emit({"workload": workload, "impl": "uvloop",
              "error": "uvloop not installed"})
        sys.exit(0)
    return uvloop.new_event_loop, f"uvloop-{uvloop.__version__}"


def run(args, workload, *, n, unit, make_round, to_value, rounds=None,
        digits=1):
    """Run `rounds` rounds and emit the median.

    make_round() returns a fresh coroutine that does one round and returns
    its raw measurement (normally elapsed ns, taken with perf_counter_ns
    inside the running loop, so loop creation/teardown is excluded).
    to_value(raw) converts that to the reported unit.  Each round gets a
    fresh event loop so no state (ready queue, timer heap) carries over.
    """
    loop_factory, impl = select_loop(workload, args.uvloop)
    values = []
    for _ in range(rounds or args.rounds):
        gc.collect()  # start each round without garbage from the last one
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            raw = runner.run(make_round())
        values.append(round(to_value(raw), digits))
    emit({"workload": workload, "impl": impl,
          "value": statistics.median(values), "unit": unit, "n": n,
          "rounds": values, "python": platform.python_version()})

