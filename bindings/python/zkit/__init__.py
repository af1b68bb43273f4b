"""zkit: a ZooKeeper client whose core is zkit's C++ session (one loop thread per client).

    import zkit
    with zkit.Client("127.0.0.1:2181") as zk:
        zk.create("/hello", b"world")
        data, stat = zk.get("/hello")
        with zk.mutex("/locks/ledger") as token:
            ...  # token: the fencing token of this hold (strictly increasing across holders)

Blocking calls release the GIL while they wait. Watchers, listeners and the callbacks of the
*_async calls run on one dispatcher thread per client, in order, never on the loop thread.
For kazoo's API, see zkit.kazoo; for asyncio, zkit.aio.
"""
import threading
from collections import namedtuple

from . import _zkit
from ._zkit import ZkitError

__all__ = ["Client", "LeaderLatch", "ZkitError", "Stat", "WatchEvent", "CreateMode", "open_acl_unsafe"]

Stat = namedtuple("Stat", "czxid mzxid ctime mtime version cversion aversion "
                          "ephemeral_owner data_length num_children pzxid")
WatchEvent = namedtuple("WatchEvent", "type state path")


class CreateMode:
    PERSISTENT = 0
    EPHEMERAL = 1
    PERSISTENT_SEQUENTIAL = 2
    EPHEMERAL_SEQUENTIAL = 3
    CONTAINER = 4
    PERSISTENT_WITH_TTL = 5
    PERSISTENT_SEQUENTIAL_WITH_TTL = 6


class EventType:
    NONE = -1
    CREATED = 1
    DELETED = 2
    CHANGED = 3
    CHILD = 4
    DATA_WATCH_REMOVED = 5
    CHILD_WATCH_REMOVED = 6
    PERSISTENT_WATCH_REMOVED = 7


def open_acl_unsafe():
    return [(31, "world", "anyone")]


def _stat(t):
    return None if t is None else Stat(*t)


def _data(data):
    """A node's data for the native call: None (null data) stays None."""
    return None if data is None else bytes(data)


def _watcher(fn):
    if fn is None:
        return None
    return lambda type_, state, path: fn(WatchEvent(type_, state, path))


class Client:
    """One ZooKeeper session. Opening connects and waits until the session is established."""

    def __init__(self, hosts="127.0.0.1:2181", session_timeout=10.0, request_timeout=None,
                 read_only=False):
        rt = -1 if request_timeout is None else int(request_timeout * 1000)
        self._core = _zkit.Core(hosts, int(session_timeout * 1000), rt, read_only)
        # Run on the dispatcher after each batch of completions (zkit.aio hands a batch's
        # results to its event loop there in one go).
        self._after_batch = []
        self._dispatcher = threading.Thread(target=self._core.run_dispatcher, args=(self._run_after_batch,),
                                            name="zkit-dispatcher", daemon=True)
        self._dispatcher.start()

    def _run_after_batch(self):
        for fn in self._after_batch:
            fn()

    # --- lifecycle -----------------------------------------------------------------------
    def close(self):
        """Closes the session: pending calls fail with closing, each callback once."""
        self._core.close()
        self._core.stop_dispatcher()
        if threading.current_thread() is not self._dispatcher:
            self._dispatcher.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def state(self):
        return self._core.state

    @property
    def session_id(self):
        return self._core.session_id

    @property
    def session_password(self):
        return self._core.session_password

    def add_listener(self, fn):
        """fn(state_name) on every transition; returns an id for remove_listener."""
        return self._core.add_listener(fn)

    def remove_listener(self, listener_id):
        self._core.remove_listener(listener_id)

    # --- operations ----------------------------------------------------------------------
    def create(self, path, data=b"", mode=CreateMode.PERSISTENT, acl=None, ttl=0.0):
        """Returns the created path (with its sequence suffix). data=None stores null data."""
        return self._core.create(path, _data(data), mode, acl, int(ttl * 1000))[0]

    def delete(self, path, version=-1):
        self._core.delete(path, version)

    def exists(self, path, watch=None):
        return _stat(self._core.exists(path, _watcher(watch)))

    def get(self, path, watch=None):
        """(data, Stat); data is None for a node with null data."""
        data, stat = self._core.get(path, _watcher(watch))
        return data, Stat(*stat)

    def set(self, path, data, version=-1):
        return Stat(*self._core.set(path, _data(data), version))

    def get_children(self, path, watch=None):
        names, stat = self._core.get_children(path, _watcher(watch))
        return names, Stat(*stat)

    def sync(self, path="/"):
        self._core.sync(path)

    def get_acl(self, path):
        acl, stat = self._core.get_acl(path)
        return acl, Stat(*stat)

    def set_acl(self, path, acl, version=-1):
        return Stat(*self._core.set_acl(path, acl, version))

    def add_auth(self, scheme, credentials):
        self._core.add_auth(scheme, credentials)

    def multi(self, ops):
        """A transaction or a multi-read: ops are tuples such as ("create", path, data, mode,
        acl), ("delete", path, version), ("set", path, data, version), ("check", path,
        version), ("get", path), ("get_children", path). Returns (committed, results), each
        result (code, code_name, path, stat, data, children)."""
        return self._core.multi(list(ops))

    def get_data_many(self, paths):
        """Multi-read: (data, Stat) for each path in one request; ZkitError for the first
        that failed."""
        committed, results = self._core.multi([("get", p) for p in paths])
        out = []
        for code, name, _path, stat, data, _children in results:
            if code != 0:
                raise ZkitError(code, name, "get in a multi-read failed with " + name)
            out.append((data, Stat(*stat)))
        return out

    def add_watch(self, path, watcher, recursive=False):
        """A persistent (or persistent recursive) watch; returns a handle with remove()."""
        return self._core.add_watch(path, recursive, _watcher(watcher))

    def remove_watches(self, path, kind=3, local=False):
        self._core.remove_watches(path, kind, local)

    def who_am_i(self):
        return self._core.who_am_i()

    def get_ephemerals(self, prefix="/"):
        return self._core.get_ephemerals(prefix)

    def get_all_children_number(self, path):
        return self._core.get_all_children_number(path)

    # --- recipes -------------------------------------------------------------------------
    def mutex(self, path, timeout=None):
        """`with client.mutex(path) as token:` holds zkit's Mutex (Curator's layout)."""
        return _MutexHold(self, path, timeout)

    def leader_latch(self, path, participant_id=""):
        """Joins the election at `path` (zkit's LeaderLatch, Curator's layout) and returns the
        latch: await_leadership(timeout=None) returns the term's fencing token (raises
        ZkitError request_timeout when not leading in time), has_leadership(), close()
        leaves. `with client.leader_latch(path) as latch:` closes it on the way out."""
        return LeaderLatch(self, path, participant_id)


class LeaderLatch:
    """A participant in an election; see Client.leader_latch."""

    def __init__(self, client, path, participant_id=""):
        self._l = _zkit.LeaderLatch(client._core, path, participant_id)

    def await_leadership(self, timeout=None):
        return self._l.await_leadership(-1.0 if timeout is None else float(timeout))

    def has_leadership(self):
        return self._l.has_leadership()

    def close(self):
        self._l.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _MutexHold:
    def __init__(self, client, path, timeout):
        self._m = _zkit.Mutex(client._core, path)
        self._timeout = -1.0 if timeout is None else float(timeout)

    def __enter__(self):
        try:
            return self._m.acquire(self._timeout)
        except BaseException:
            self._m.close()
            raise

    def __exit__(self, *exc):
        try:
            self._m.release()
        finally:
            self._m.close()
