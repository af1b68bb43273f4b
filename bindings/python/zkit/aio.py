"""zkit.aio: zkit's operations as awaitables on the running asyncio loop.

    import asyncio, zkit.aio
    async def main():
        zk = await zkit.aio.connect("127.0.0.1:2181")
        await zk.create("/a", b"x")
        data, stat = await zk.get("/a")
        async with zk.mutex("/locks/a") as token:
            ...
        await zk.close()
    asyncio.run(main())

Each call is queued when it is made (so requests leave in call order) and completes a future
of the loop it was made on; the loop thread never touches the asyncio loop itself.
"""
import asyncio
from functools import partial

from . import Client, Stat, ZkitError, _data, _stat, _watcher, CreateMode

__all__ = ["connect", "AsyncClient"]


async def connect(hosts="127.0.0.1:2181", session_timeout=10.0, request_timeout=None):
    """Opens a session without blocking the event loop."""
    client = await asyncio.to_thread(Client, hosts, session_timeout, request_timeout)
    return AsyncClient(client)


def _settle(items):
    """On the asyncio loop: completes the futures of one dispatcher batch, in order."""
    for future, convert, error, value in items:
        if future.cancelled():
            continue
        if error is not None:
            future.set_exception(ZkitError(*error))
            continue
        try:
            future.set_result(convert(value) if convert else value)
        except Exception as e:
            future.set_exception(e)


def _first(r):
    return r[0]


def _with_stat(r):
    return (r[0], Stat._make(r[1]))


class AsyncClient:
    def __init__(self, client):
        self.sync_client = client
        self._core = client._core
        # What one batch of zkit's dispatcher completed, per asyncio loop: handed to each loop
        # in one call_soon_threadsafe (one wake-up) after the batch, not one per completion.
        self._completed = {}
        client._after_batch.append(self._flush)

    def _call(self, method, *args, convert=None):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        getattr(self._core, method)(*args, partial(self._done, loop, future, convert))
        return future

    def _done(self, loop, future, convert, error, value):  # on zkit's dispatcher thread
        items = self._completed.get(loop)
        if items is None:
            items = self._completed[loop] = []
        items.append((future, convert, error, value))

    def _flush(self):  # on zkit's dispatcher thread, after each batch
        if not self._completed:
            return
        completed, self._completed = self._completed, {}
        for loop, items in completed.items():
            try:
                loop.call_soon_threadsafe(_settle, items)
            except RuntimeError:
                pass  # that loop is closed: nobody waits on its futures any more

    def create(self, path, data=b"", mode=CreateMode.PERSISTENT, acl=None, ttl=0.0):
        return self._call("create", path, _data(data), mode, acl, int(ttl * 1000), convert=_first)

    def delete(self, path, version=-1):
        return self._call("delete", path, version)

    def exists(self, path, watch=None):
        return self._call("exists", path, _watcher(watch), convert=_stat)

    def get(self, path, watch=None):
        return self._call("get", path, _watcher(watch), convert=_with_stat)

    def set(self, path, data, version=-1):
        return self._call("set", path, _data(data), version, convert=Stat._make)

    def get_children(self, path, watch=None):
        return self._call("get_children", path, _watcher(watch), convert=_with_stat)

    def sync(self, path="/"):
        return self._call("sync", path)

    def multi(self, ops):
        return self._call("multi", list(ops))

    def who_am_i(self):
        return self._call("who_am_i")

    def mutex(self, path, timeout=None):
        """`async with client.mutex(path) as token:`; waiting does not block the loop."""
        return _AsyncMutexHold(self.sync_client.mutex(path, timeout))

    async def close(self):
        await asyncio.to_thread(self.sync_client.close)


class _AsyncMutexHold:
    def __init__(self, hold):
        self._hold = hold

    async def __aenter__(self):
        return await asyncio.to_thread(self._hold.__enter__)

    async def __aexit__(self, *exc):
        await asyncio.to_thread(self._hold.__exit__, *exc)
