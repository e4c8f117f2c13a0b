"""spawn_gather: create N trivial tasks and gather them.

`async def f(i): return i`, N x create_task, then `await gather(*tasks)`.
--n 100000 (workload spawn_gather_100k) or --n 1000000 (spawn_gather_1m);
reports ns per task, covering creation, scheduling, completion and gather.
"""

import common  # first: fixes sys.path (see common.py)

import asyncio
import time

NAMES = {100_000: "spawn_gather_100k", 1_000_000: "spawn_gather_1m"}


async def f(i):
    return i


async def one_round(n):
    t0 = time.perf_counter_ns()
    tasks = [asyncio.create_task(f(i)) for i in range(n)]
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter_ns() - t0
    assert len(results) == n and results[-1] == n - 1
    return elapsed


def main():
    args = common.parse_args(lambda p: p.add_argument(
        "--n", type=int, default=100_000, help="number of tasks"))
    # The name follows --n even in quick mode, so quick runs of both sizes
    # stay distinguishable; "n" in the output says what actually ran.
    workload = NAMES.get(args.n, f"spawn_gather_{args.n}")
    n = min(args.n, 10_000) if args.quick else args.n
    common.run(args, workload, n=n, unit="ns/op",
               make_round=lambda: one_round(n),
               to_value=lambda ns: ns / n)


if __name__ == "__main__":
    main()
