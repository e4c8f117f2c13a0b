"""switch: 1000 tasks, each doing `await asyncio.sleep(0)` in a loop.

Full: 1000 sleeps per task (1M in total); reports ns per sleep(0), i.e. the
cost of one task suspend/resume round through the loop's ready queue.
"""

import common  # first: fixes sys.path (see common.py)

import asyncio
import time

TASKS = 1000


async def worker(iterations):
    for _ in range(iterations):
        await asyncio.sleep(0)


async def one_round(iterations):
    t0 = time.perf_counter_ns()
    await asyncio.gather(*[asyncio.create_task(worker(iterations))
                           for _ in range(TASKS)])
    return time.perf_counter_ns() - t0


def main():
    args = common.parse_args()
    iterations = 10 if args.quick else 1000
    n = TASKS * iterations
    common.run(args, "switch", n=n, unit="ns/op",
               make_round=lambda: one_round(iterations),
               to_value=lambda ns: ns / n)


if __name__ == "__main__":
    main()
