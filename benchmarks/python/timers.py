"""timers: N x loop.call_later(uniform random 0..MAX s, cb), run until all fire.

Full: N = 1M, MAX = 1 s; quick: N = 10k, MAX = 0.05 s.  Delays come from a
fixed seed and are generated before the clock starts, so only scheduling and
firing are timed.  Reports total wall time in seconds, from the first
call_later to the last callback (ideal is just over MAX).
"""

import common  # first: fixes sys.path (see common.py)

import asyncio
import random
import time

SEED = 42


async def one_round(delays):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    remaining = len(delays)

    def fired():
        nonlocal remaining
        remaining -= 1
        if remaining == 0:
            done.set_result(None)

    t0 = time.perf_counter_ns()
    for d in delays:
        loop.call_later(d, fired)
    await done
    return time.perf_counter_ns() - t0


def main():
    args = common.parse_args()
    n, max_delay = (10_000, 0.05) if args.quick else (1_000_000, 1.0)
    rng = random.Random(SEED)
    delays = [rng.uniform(0.0, max_delay) for _ in range(n)]
    common.run(args, "timers", n=n, unit="s",
               make_round=lambda: one_round(delays),
               to_value=lambda ns: ns / 1e9, digits=4)


if __name__ == "__main__":
    main()
