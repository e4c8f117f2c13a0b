"""memory: resident-set growth per task parked in `await asyncio.sleep(3600)`.

Reads RSS, creates N sleeping tasks, yields until every task has started and
is parked in its sleep, reads RSS again, reports (after - before) / N bytes,
then cancels them.  Full: N = 100k; quick: 10k.

Only one round per process: memory freed by a previous round stays in the
allocator's pools and would make later rounds look cheaper.  Take the median
over processes instead (run_all.py --processes K).
"""

import common  # first: fixes sys.path (see common.py)

import asyncio
import gc
import os
import resource


def rss_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no procfs: peak RSS is the best we can get (KiB on Linux)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def sleeper(started):
    started[0] += 1
    await asyncio.sleep(3600)


async def spawn_and_cancel(n):
    started = [0]
    tasks = [asyncio.create_task(sleeper(started)) for _ in range(n)]
    while started[0] < n:  # one pass of the ready queue is normally enough
        await asyncio.sleep(0)
    await asyncio.sleep(0)  # let the loop settle once more before measuring
    rss = rss_bytes()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return rss


async def one_round(n):
    await spawn_and_cancel(100)  # warm-up: first-use allocations, caches
    gc.collect()
    before = rss_bytes()
    after = await spawn_and_cancel(n)
    return after - before


def main():
    args = common.parse_args()
    n = 10_000 if args.quick else 100_000
    common.run(args, "memory", n=n, unit="B/task",
               make_round=lambda: one_round(n),
               to_value=lambda growth: growth / n, rounds=1)


if __name__ == "__main__":
    main()
