"""echo: asyncio-streams echo server and clients over loopback TCP.

Server on 127.0.0.1, ephemeral port, echoes whatever it reads.  C clients
connect first (not timed), then each does R round trips of a 64-byte message:
write, drain, readexactly(64).  Full: 50 x 2000; quick: 5 x 200.  Reports
round trips per second over all clients.
"""

import common  # first: fixes sys.path (see common.py)

import asyncio
import time

MESSAGE = bytes(range(64))


async def handle(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def client(reader, writer, round_trips):
    for _ in range(round_trips):
        writer.write(MESSAGE)
        await writer.drain()
        reply = await reader.readexactly(len(MESSAGE))
    assert reply == MESSAGE


async def one_round(clients, round_trips):
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    conns = [await asyncio.open_connection("127.0.0.1", port)
             for _ in range(clients)]

    t0 = time.perf_counter_ns()
    await asyncio.gather(*[client(r, w, round_trips) for r, w in conns])
    elapsed = time.perf_counter_ns() - t0

    for _, w in conns:
        w.close()
        await w.wait_closed()
    server.close()
    await server.wait_closed()
    return elapsed


def main():
    args = common.parse_args()
    clients, round_trips = (5, 200) if args.quick else (50, 2000)
    n = clients * round_trips
    common.run(args, "echo", n=n, unit="rt/s",
               make_round=lambda: one_round(clients, round_trips),
               to_value=lambda ns: n / (ns / 1e9), digits=0)


if __name__ == "__main__":
    main()
