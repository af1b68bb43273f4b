import asyncio

import pytest

import zkit.aio


@pytest.mark.asyncio
async def test_awaitable_operations(hosts, base):
    zk = await zkit.aio.connect(hosts)
    try:
        assert await zk.create(base, b"x") == base
        data, stat = await zk.get(base)
        assert data == b"x" and stat.version == 0
        a = zk.set(base, b"y")
        b = zk.get(base)  # queued after the set: sees it
        await a
        data, _ = await b
        assert data == b"y"
        await zk.set(base, None)  # null data reads back as None
        data, _ = await zk.get(base)
        assert data is None
        await zk.create(base + "/null", None)
        data, _ = await zk.get(base + "/null")
        assert data is None
        with pytest.raises(zkit.ZkitError):
            await zk.create(base)
    finally:
        await zk.close()


@pytest.mark.asyncio
async def test_async_with_mutex(hosts, base):
    zk = await zkit.aio.connect(hosts)
    try:
        async with zk.mutex(base) as t1:
            assert t1 > 0
        async with zk.mutex(base) as t2:
            assert t2 > t1
    finally:
        await zk.close()
