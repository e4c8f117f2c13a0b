"""pingpong: two tasks hand a token back and forth through futures.

A sets the future B is awaiting, then awaits a fresh future of its own; B
wakes, sets A's future, and awaits a fresh one.  Each set_result that wakes
the other side is one handoff.  Full: 1M handoffs; reports ns per handoff.
"""

import common  # first: fixes sys.path (see common.py)

import asyncio
import time


async def one_round(handoffs):
    loop = asyncio.get_running_loop()
    rounds = handoffs // 2  # each round trip is two handoffs
    # inbox[0] is what A awaits, inbox[1] what B awaits.  Each side creates
    # its fresh future *before* waking the other, so the other always sets
    # the current one.
    inbox = [None, loop.create_future()]

    async def ping():  # A
        token = 0
        for _ in range(rounds):
            mine = inbox[0] = loop.create_future()
            inbox[1].set_result(token + 1)
            token = await mine
        return token

    async def pong():  # B
        for _ in range(rounds):
            token = await inbox[1]
            inbox[1] = loop.create_future()
            inbox[0].set_result(token + 1)

    t0 = time.perf_counter_ns()
    final, _ = await asyncio.gather(asyncio.create_task(ping()),
                                    asyncio.create_task(pong()))
    elapsed = time.perf_counter_ns() - t0
    assert final == 2 * rounds, final  # every handoff incremented the token
    return elapsed


def main():
    args = common.parse_args()
    n = 20_000 if args.quick else 1_000_000
    common.run(args, "pingpong", n=n, unit="ns/op",
               make_round=lambda: one_round(n),
               to_value=lambda ns: ns / n)


if __name__ == "__main__":
    main()
