#!/usr/bin/env python3
"""A distant link in user space, for bench and tests: listens on LISTEN and relays to UPSTREAM on loopback with a
one-way delay each direction (RTT = 2 x DELAY s), a rate limit per connection and one shared by all (bytes/s).
Usage: wan-relay.py LISTEN UPSTREAM [DELAY=0.020] [PER_CONNECTION=8e6] [TOTAL=60e6]"""
import asyncio, sys, time

LISTEN, UPSTREAM = int(sys.argv[1]), int(sys.argv[2])
DELAY = float(sys.argv[3]) if len(sys.argv) > 3 else 0.020
PER_CONN = float(sys.argv[4]) if len(sys.argv) > 4 else 8e6
TOTAL = float(sys.argv[5]) if len(sys.argv) > 5 else 60e6
CHUNK = 64 * 1024


class Bucket:
    def __init__(self, rate):
        self.rate = rate
        self.next = time.monotonic()

    async def take(self, n):
        now = time.monotonic()
        start = max(now, self.next)
        self.next = start + n / self.rate
        if start > now:
            await asyncio.sleep(start - now)


total = Bucket(TOTAL)


async def pipe(reader, writer):
    own = Bucket(PER_CONN)
    queue = asyncio.Queue()

    async def pump():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except Exception:
            pass

    task = asyncio.ensure_future(pump())
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            await own.take(len(data))
            await total.take(len(data))
            await queue.put((time.monotonic() + DELAY, data))
    except Exception:
        pass
    await queue.put((0, None))
    try:
        await task
    except Exception:
        pass


async def handle(client_reader, client_writer):
    try:
        up_reader, up_writer = await asyncio.open_connection('127.0.0.1', UPSTREAM)
    except Exception:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, up_writer), pipe(up_reader, client_writer))
    for w in (up_writer, client_writer):
        try:
            w.close()
        except Exception:
            pass


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', LISTEN)
    async with server:
        await server.serve_forever()

asyncio.run(main())
