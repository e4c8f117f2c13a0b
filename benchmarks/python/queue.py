"""queue: one producer, one consumer, asyncio.Queue(maxsize=1000).

The producer puts the ints 0..N-1, the consumer gets them.  Full: N = 1M;
reports ns per item (put + get, including the blocking/wakeups the bounded
queue forces).
"""

import common  # first: fixes sys.path; this file's name shadows stdlib `queue`

import asyncio
import time

MAXSIZE = 1000


async def producer(q, n):
    for i in range(n):
        await q.put(i)


async def consumer(q, n):
    total = 0
    for _ in range(n):
        total += await q.get()
    return total


async def one_round(n):
    q = asyncio.Queue(maxsize=MAXSIZE)
    t0 = time.perf_counter_ns()
    _, total = await asyncio.gather(asyncio.create_task(producer(q, n)),
                                    asyncio.create_task(consumer(q, n)))
    elapsed = time.perf_counter_ns() - t0
    assert total == n * (n - 1) // 2
    return elapsed


def main():
    args = common.parse_args()
    n = 20_000 if args.quick else 1_000_000
    common.run(args, "queue", n=n, unit="ns/op",
               make_round=lambda: one_round(n),
               to_value=lambda ns: ns / n)


if __name__ == "__main__":
    main()
