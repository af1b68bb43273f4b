import threading
import time

import pytest

import zkit
from zkit import CreateMode, EventType, ZkitError


def test_crud_in_each_mode(zk, base):
    assert zk.state == "connected"
    assert zk.create(base, b"v1") == base
    assert zk.create(base + "/s-", b"", CreateMode.PERSISTENT_SEQUENTIAL).startswith(base + "/s-")
    zk.create(base + "/e", b"", CreateMode.EPHEMERAL)
    zk.create(base + "/c", b"", CreateMode.CONTAINER)
    data, stat = zk.get(base)
    assert data == b"v1" and stat.version == 0 and isinstance(stat, zkit.Stat)
    assert zk.exists(base + "/e").ephemeral_owner == zk.session_id
    assert zk.exists(base + "/none") is None
    assert zk.set(base, b"v2", 0).version == 1
    with pytest.raises(ZkitError) as e:
        zk.set(base, b"v3", 0)
    assert e.value.args[1] == "bad_version"
    names, stat = zk.get_children(base)
    assert len(names) == 3 and stat.num_children == 3
    with pytest.raises(ZkitError) as e:
        zk.delete(base)
    assert e.value.args[1] == "not_empty"


def test_null_data_reads_back_none_and_empty_stays_bytes(zk, base):
    zk.create(base, None)
    assert zk.get(base)[0] is None
    zk.set(base, b"")
    assert zk.get(base)[0] == b""
    zk.set(base, None)
    assert zk.get(base)[0] is None
    zk.create(base + "/empty")  # the default data is empty, not null
    assert zk.get(base + "/empty")[0] == b""
    assert [d for d, _ in zk.get_data_many([base, base + "/empty"])] == [None, b""]
    with pytest.raises(TypeError):
        zk.set(base, "text")  # neither bytes nor None
    committed, _ = zk.multi([("create", base + "/txn-null", None, 0, None), ("set", base + "/empty", None, 0)])
    assert committed
    assert [d for d, _ in zk.get_data_many([base + "/txn-null", base + "/empty"])] == [None, None]


def test_bad_path_refused(zk):
    with pytest.raises(ZkitError) as e:
        zk.create("no-slash")
    assert e.value.args[1] == "bad_arguments"


def test_watch_fires_once(zk, base):
    events = []
    fired = threading.Event()

    def watcher(e):
        events.append(e)
        fired.set()
    assert zk.exists(base, watch=watcher) is None
    zk.create(base)
    assert fired.wait(10)
    assert events[0].type == EventType.CREATED and events[0].path == base
    later = threading.Event()
    zk.set(base, b"a")
    zk.get(base, watch=lambda e: later.set())
    zk.set(base, b"b")
    assert later.wait(10)
    assert len(events) == 1


def test_persistent_recursive_watch(zk, base):
    events = []
    third = threading.Event()

    def watcher(e):
        events.append(e)
        if len(events) == 3:
            third.set()
    handle = zk.add_watch(base, watcher, recursive=True)
    zk.create(base)
    zk.create(base + "/a")
    zk.set(base + "/a", b"x")
    assert third.wait(10)
    assert [e.type for e in events] == [EventType.CREATED, EventType.CREATED, EventType.CHANGED]
    handle.remove()
    after = threading.Event()
    zk.get(base + "/a", watch=lambda e: after.set())
    zk.set(base + "/a", b"y")
    assert after.wait(10)
    assert len(events) == 3


def test_multi_with_one_failing_op_and_multi_read(zk, base):
    committed, results = zk.multi([("create", base, b"", 0, None), ("check", base + "/missing", -1),
                                   ("set", base, b"x", -1)])
    assert not committed
    assert [r[1] for r in results] == ["ok", "no_node", "runtime_inconsistency"]
    assert zk.exists(base) is None
    zk.create(base, b"one")
    zk.create(base + "/k", b"two")
    got = zk.get_data_many([base, base + "/k"])
    assert [d for d, _ in got] == [b"one", b"two"]


def test_who_am_i_and_3_6_ops(zk, base):
    assert ("ip", "127.0.0.1") in [tuple(i) for i in zk.who_am_i()]
    zk.create(base)
    zk.create(base + "/e", b"", CreateMode.EPHEMERAL)
    zk.create(base + "/p")
    zk.create(base + "/p/q")
    assert base + "/e" in zk.get_ephemerals(base)
    assert zk.get_all_children_number(base) == 3


def test_mutex_tokens_increase(hosts, base):
    with zkit.Client(hosts) as a, zkit.Client(hosts) as b:
        with a.mutex(base) as t1:
            with pytest.raises(ZkitError) as e:
                with b.mutex(base, timeout=0):
                    pass
            assert e.value.args[1] == "request_timeout"
        with b.mutex(base, timeout=10) as t2:
            assert t2 > t1 > 0


def test_leader_latch_hands_over(hosts, base):
    with zkit.Client(hosts) as a, zkit.Client(hosts) as b:
        # Joining only starts the election (the node is made in the background), so b joins
        # once a leads.
        with a.leader_latch(base, "a") as la:
            t1 = la.await_leadership(10)
            assert la.has_leadership() and t1 > 0
            lb = b.leader_latch(base, "b")
            with pytest.raises(ZkitError) as e:
                lb.await_leadership(0)
            assert e.value.args[1] == "request_timeout"
            assert not lb.has_leadership()
            la.close()  # leaves: b takes over
            assert lb.await_leadership(10) > t1
            assert lb.has_leadership()
            lb.close()
        # Both left: nothing of theirs is under the election any more.
        assert a.get_children(base)[0] == []


def test_blocking_call_releases_the_gil(zk, hosts, base):
    # While one thread waits in a blocking call held up by a contended lock, another thread
    # keeps running Python code.
    ticks = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)
    with zkit.Client(hosts) as other:
        with other.mutex(base):
            t = threading.Thread(target=spin)
            t.start()
            before = len(ticks)
            with pytest.raises(ZkitError):
                with zk.mutex(base, timeout=0.5):
                    pass
            stop.set()
            t.join()
            assert len(ticks) > before


def test_callbacks_run_on_the_dispatcher_not_the_caller(zk, base):
    threads = []
    fired = threading.Event()

    def watcher(e):
        threads.append(threading.current_thread().name)
        fired.set()
    zk.exists(base, watch=watcher)
    zk.create(base)
    assert fired.wait(10)
    assert threads == ["zkit-dispatcher"]


def test_close_fails_pending_exactly_once(hosts):
    client = zkit.Client(hosts)
    results = []
    lock = threading.Lock()

    def done(error, value):
        with lock:
            results.append(error)
    for _ in range(100):
        client._core.sync("/", callback=done)
    client.close()
    assert len(results) == 100
