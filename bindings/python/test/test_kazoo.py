# zkit.kazoo.KazooClient with kazoo's own classes: return shapes, exceptions, watches, and
# kazoo's recipes running on it unchanged.
import threading

import pytest
from kazoo.exceptions import BadVersionError, NoNodeError, NodeExistsError
from kazoo.protocol.states import EventType, KazooState, ZnodeStat

from zkit.kazoo import KazooClient


@pytest.fixture
def kz(hosts):
    client = KazooClient(hosts=hosts)
    client.start()
    yield client
    client.stop()
    client.close()


def test_shapes_and_exceptions(kz, base):
    states = []
    kz.add_listener(states.append)
    assert kz.connected and kz.state == KazooState.CONNECTED
    assert kz.create(base + "/a/b", b"v", makepath=True) == base + "/a/b"
    data, stat = kz.get(base + "/a/b")
    assert data == b"v" and isinstance(stat, ZnodeStat) and stat.version == 0
    with pytest.raises(NodeExistsError):
        kz.create(base + "/a/b")
    with pytest.raises(NoNodeError):
        kz.get(base + "/none")
    with pytest.raises(BadVersionError):
        kz.set(base + "/a/b", b"w", version=7)
    assert kz.get_async(base + "/a/b").get()[0] == b"v"
    t = kz.transaction()
    t.create(base + "/t")
    t.check(base + "/missing", 0)
    results = t.commit()
    assert type(results[1]).__name__ == "NoNodeError" and kz.exists(base + "/t") is None
    kz.delete(base, recursive=True)
    assert kz.exists(base) is None


def test_transaction_none_is_null_data_and_empty_stays_bytes(kz, base):
    kz.create(base, b"x")
    t = kz.transaction()
    t.create(base + "/null", None)
    t.create(base + "/empty", b"")
    t.set_data(base, None, 0)
    assert t.commit() == [base + "/null", base + "/empty", kz.exists(base)]
    assert kz.get(base + "/null")[0] is None
    assert kz.get(base + "/empty")[0] == b""
    assert kz.get(base)[0] is None


def test_watches_and_recipes(kz, hosts, base):
    seen = []
    changed = threading.Event()

    @kz.DataWatch(base + "/cfg")
    def on_data(data, stat):
        seen.append(data)
        if data == b"2":
            changed.set()
    kz.create(base + "/cfg", b"1", makepath=True)
    kz.set(base + "/cfg", b"2")
    assert changed.wait(10)
    assert seen[0] is None or seen[0] == b""  # before the node exists
    fired = []
    ev = threading.Event()
    kz.exists(base + "/x", watch=lambda e: (fired.append(e), ev.set()))
    kz.create(base + "/x")
    assert ev.wait(10) and fired[0].type == EventType.CREATED

    other = KazooClient(hosts=hosts)
    other.start()
    try:
        mine, theirs = kz.Lock(base + "/lock", "a"), other.Lock(base + "/lock", "b")
        assert mine.acquire(timeout=10)
        assert not theirs.acquire(blocking=False)
        mine.release()
        assert theirs.acquire(timeout=10)
        theirs.release()
    finally:
        other.stop()


def test_async_results_are_kazoos_and_call_back_in_order_on_the_completion_thread(kz, base):
    # zkit.kazoo's results are kazoo's threading AsyncResult (a cheaper subclass of it); the
    # callbacks linked to a batch of them run on the handler's completion thread, in the order
    # the replies came, each once.
    from kazoo.handlers.threading import AsyncResult, KazooTimeoutError
    kz.ensure_path(base)
    count = 200
    seen, threads, finished = [], set(), threading.Event()

    def done(result):
        seen.append(result.get_nowait())
        threads.add(threading.current_thread())
        if len(seen) == count:
            finished.set()
    results = [kz.create_async("%s/n%03d" % (base, i), b"v") for i in range(count)]
    for r in results:
        assert isinstance(r, AsyncResult)
        r.rawlink(done)
    assert finished.wait(10)
    assert seen == ["%s/n%03d" % (base, i) for i in range(count)]
    assert len(threads) == 1
    worker = threads.pop()
    assert worker is not threading.current_thread() and worker.name != "zkit-dispatcher"
    assert all(r.ready() and r.successful() for r in results)
    failed = kz.get_async(base + "/none")
    assert failed.wait(10) and isinstance(failed.exception, NoNodeError)
    with pytest.raises(NoNodeError):
        failed.get()
    from zkit.kazoo._result import Result
    pending = Result(kz.handler)  # one that no request completes
    assert not pending.wait(0)
    with pytest.raises(KazooTimeoutError):
        pending.get(timeout=0.01)
    kz.delete(base, recursive=True)


def test_a_completion_callback_may_wait_on_another_call(kz, base):
    # kazoo lets a completion callback block on a ZooKeeper call; zkit's loop thread settles
    # results itself, so the completion thread waiting inside a callback cannot stall them.
    kz.ensure_path(base)
    kz.create(base + "/a", b"1")
    got, finished = [], threading.Event()

    def done(result):
        got.append((result.get(), kz.get_async(base + "/a").get(timeout=10)[0]))
        finished.set()
    kz.exists_async(base + "/a").rawlink(done)
    assert finished.wait(10)
    assert isinstance(got[0][0], ZnodeStat) and got[0][1] == b"1"
    # Linking to a result that is already ready dispatches it on the completion thread too.
    ready = kz.get_async(base + "/a")
    assert ready.wait(10) and ready.successful()
    threads, again = [], threading.Event()
    ready.rawlink(lambda r: (threads.append(threading.current_thread()), again.set()))
    assert again.wait(10) and threads[0] is not threading.current_thread()
    assert ready.get() == (b"1", kz.exists(base + "/a"))
    kz.delete(base, recursive=True)


def test_results_call_back_on_a_handler_of_the_callers_and_after_a_restart(hosts, base):
    # With the caller's own SequentialThreadingHandler (kazoo's queue.Queue, which the loop
    # thread cannot feed) and again after stop() / start(), callbacks still run once each on
    # the handler's completion thread.
    from kazoo.handlers.threading import SequentialThreadingHandler
    for client in (KazooClient(hosts=hosts, handler=SequentialThreadingHandler()), KazooClient(hosts=hosts)):
        for _ in range(2):
            client.start()
            client.ensure_path(base)
            seen, finished = [], threading.Event()

            def done(result, seen=seen, finished=finished):
                seen.append((result.get_nowait(), threading.current_thread().name))
                if len(seen) == 50:
                    finished.set()
            for i in range(50):
                client.create_async("%s/n%02d" % (base, i)).rawlink(done)
            assert finished.wait(10)
            assert [path for path, _ in seen] == ["%s/n%02d" % (base, i) for i in range(50)]
            assert len({name for _, name in seen}) == 1 and seen[0][1] not in ("zkit-dispatcher", "MainThread")
            client.delete(base, recursive=True)
            client.stop()
        client.close()
