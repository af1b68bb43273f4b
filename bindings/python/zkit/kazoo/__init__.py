"""kazoo's client API over zkit's core: change `from kazoo.client import KazooClient` to
`from zkit.kazoo import KazooClient` and the rest of a kazoo program stays as it is.

    from zkit.kazoo import KazooClient
    zk = KazooClient(hosts="127.0.0.1:2181")
    zk.start()
    zk.ensure_path("/app/config")
    data, stat = zk.get("/app/config")
    lock = zk.Lock("/app/lock", "me")      # kazoo's own recipes run unchanged
    zk.stop(); zk.close()

The return shapes (ZnodeStat, (data, stat) tuples), states (KazooState, KeeperState),
watched events (WatchedEvent), exceptions (kazoo.exceptions), the handler
(SequentialThreadingHandler) and the retry object (KazooRetry) are kazoo's own classes, so code
that checks them keeps working. Watchers and *_async completions run on the handler's callback
thread as in kazoo; state listeners run on zkit's dispatcher thread (kazoo runs them on its
connection thread): both are threads of their own, never the caller's.
"""
import re
import socket
import threading
import warnings
from functools import partial

from kazoo import exceptions as kex
from kazoo.handlers.threading import _STOP, SequentialThreadingHandler
from kazoo.hosts import collect_hosts
from kazoo.protocol.states import (Callback, EventType, KazooState, KeeperState, WatchedEvent,
                                   ZnodeStat)
from kazoo.recipe.barrier import Barrier, DoubleBarrier
from kazoo.recipe.counter import Counter
from kazoo.recipe.election import Election
from kazoo.recipe.lease import MultiNonBlockingLease, NonBlockingLease
from kazoo.recipe.lock import Lock, ReadLock, Semaphore, WriteLock
from kazoo.recipe.partitioner import SetPartitioner
from kazoo.recipe.party import Party, ShallowParty
from kazoo.recipe.queue import LockingQueue, Queue
from kazoo.recipe.watchers import ChildrenWatch, DataWatch
from kazoo.retry import KazooRetry
from kazoo.security import ACL, Id, OPEN_ACL_UNSAFE

from .. import _zkit
from ._result import Result as _Result, exception_for as _exception

__all__ = ["KazooClient", "KazooState", "KeeperState", "EventType", "WatchedEvent", "ZnodeStat"]

_EVENT_TYPES = {1: EventType.CREATED, 2: EventType.DELETED, 3: EventType.CHANGED, 4: EventType.CHILD}
_KEEPER_STATES = {
    "connecting": KeeperState.CONNECTING, "connected": KeeperState.CONNECTED,
    "suspended": KeeperState.CONNECTING, "reconnected": KeeperState.CONNECTED,
    "read_only": KeeperState.CONNECTED_RO, "expired": KeeperState.EXPIRED_SESSION,
    "auth_failed": KeeperState.AUTH_FAILED, "closed": KeeperState.CLOSED,
}


def _translate(e):
    if isinstance(e, _zkit.ZkitError):
        return _exception(*e.args)
    return e


def _check_str(name, value):
    if not isinstance(value, str):
        raise TypeError("Invalid type for '%s' (string expected)" % name)


def _norm(path, trailing=False):
    """kazoo's path rules: relative to the chroot, empty segments dropped, no "." or ".."."""
    if type(path) is str and path[:1] == "/" and path[-1:] != "/" and "//" not in path and "/." not in path:
        return path  # already in kazoo's form: the rules below would give it back unchanged
    _check_str("path", path)
    parts = [c for c in path.split("/") if c]
    if any(c in (".", "..") for c in parts):
        raise ValueError("relative paths not allowed")
    out = "/" + "/".join(parts)
    if trailing and path.endswith("/") and out != "/":
        out += "/"
    return out


class ValueTooLargeError(kex.BadArgumentsError, kex.ConnectionLoss):
    """A value above the server's limit: zkit refuses it before sending (kazoo sends it and the
    server drops the connection, hence ConnectionLoss there); both classes match."""


_MAX_VALUE = 0xfffff


def _check_size(value):
    if value is not None and len(value) > _MAX_VALUE:
        raise ValueTooLargeError("value of %d bytes is above the server's limit of %d" % (len(value), _MAX_VALUE))


def _check_bytes(name, value):
    if value is not None and not isinstance(value, bytes):
        raise TypeError("Invalid type for '%s' (must be a byte string)" % name)


def _check_int(name, value):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("Invalid type for '%s' (int expected)" % name)


def _check_bool(name, value):
    if not isinstance(value, bool):
        raise TypeError("Invalid type for '%s' (bool expected)" % name)


def _acl_tuples(acl):
    if acl is None:
        return None
    if isinstance(acl, ACL) or not isinstance(acl, (list, tuple)):
        raise TypeError("Invalid type for 'acl' (acl must be a tuple/list of ACL's)")
    return [(a.perms, a.id.scheme, a.id.id) for a in acl]


def _acls(tuples):
    return [ACL(perms, Id(scheme, ident)) for perms, scheme, ident in tuples]


# Native values to kazoo's shapes: functions made once, not a closure per operation.
_znode_stat = partial(tuple.__new__, ZnodeStat)  # ZnodeStat(*t) without namedtuple's __new__


def _stat_or_none(s):
    return None if s is None else _znode_stat(s)


def _with_stat(r):
    return (r[0], _znode_stat(r[1]))


def _first(r):
    return r[0]


def _true(_):
    return True


def _acls_with_stat(r):
    return (_acls(r[0]), _znode_stat(r[1]))


def _complete(result, convert, error, value):
    """The native completion of a result made by another handler (on zkit's dispatcher)."""
    if error is not None:
        result.set_exception(_exception(*error))
        return
    try:
        result.set(value if convert is None else convert(value))
    except Exception as e:
        result.set_exception(e)


def _servers(hosts):
    """kazoo's reading of a hosts string or list: [(host, port), ...] and the chroot ("" for
    none). Errors: ValueError (a bad host name, no host)."""
    if not isinstance(hosts, (str, list)):
        raise TypeError("Invalid type for 'hosts' (string or list expected)")
    pairs, chroot = collect_hosts(hosts)
    if not pairs:
        raise ValueError("no server in hosts %r" % (hosts,))
    return pairs, (chroot or "").rstrip("/")


def _connect_string(pairs, chroot):
    """zkit's connect string for kazoo's (host, port) list and a chroot (client.chroot is public
    in kazoo and read when the session starts, so one set without its "/" gets it)."""
    if chroot and not chroot.startswith("/"):
        chroot = "/" + chroot
    return ",".join(("[%s]:%d" if ":" in host else "%s:%d") % (host, port) for host, port in pairs) + chroot


class KazooClient(object):
    """kazoo.client.KazooClient's public API, on zkit's session."""

    def __init__(self, hosts="127.0.0.1:2181", timeout=10.0, client_id=None, handler=None,
                 default_acl=None, auth_data=None, sasl_options=None, read_only=None,
                 randomize_hosts=True, connection_retry=None, command_retry=None, logger=None,
                 keyfile=None, certfile=None, ca=None, use_ssl=False, verify_certs=True,
                 **kwargs):
        if client_id is not None:
            raise kex.ConfigurationError("zkit.kazoo: resuming a session by client_id is not supported")
        if use_ssl:
            raise kex.ConfigurationError("zkit.kazoo: TLS is configured on zkit.Options, not here")
        self.handler = handler if handler else SequentialThreadingHandler()
        self._own_handler = not handler
        if isinstance(self.handler, type):
            raise kex.ConfigurationError("Handler must be an instance of a class, not the class: %s"
                                         % self.handler)
        # As in kazoo: hosts is a list of (host, port); a bad host name raises ValueError.
        self.hosts, self.chroot = _servers(hosts)
        self.default_acl = default_acl
        self.auth_data = set(auth_data) if auth_data else set()
        self.read_only = bool(read_only)
        self.randomize_hosts = randomize_hosts
        self._timeout = float(timeout)
        self.state = KazooState.LOST
        self.state_listeners = set()
        self._listeners_lock = threading.Lock()
        self._core = None
        self._dispatcher = None
        # kazoo's own handler gets zkit.kazoo's cheaper result (same class, same behaviour);
        # any other handler makes its own results.
        self._fast_results = type(self.handler) is SequentialThreadingHandler
        self._stopped = True
        self._lock = threading.RLock()
        if isinstance(command_retry, KazooRetry):
            self.retry = command_retry
        else:
            self.retry = KazooRetry(sleep_func=self.handler.sleep_func, **(command_retry or {}))
        if isinstance(connection_retry, KazooRetry):
            self._conn_retry = connection_retry
        else:
            self._conn_retry = KazooRetry(sleep_func=self.handler.sleep_func, **(connection_retry or {}))
        # kazoo's recipes, bound to this client.
        self.Barrier = partial(Barrier, self)
        self.Counter = partial(Counter, self)
        self.DoubleBarrier = partial(DoubleBarrier, self)
        self.ChildrenWatch = partial(ChildrenWatch, self)
        self.DataWatch = partial(DataWatch, self)
        self.Election = partial(Election, self)
        self.NonBlockingLease = partial(NonBlockingLease, self)
        self.MultiNonBlockingLease = partial(MultiNonBlockingLease, self)
        self.Lock = partial(Lock, self)
        self.ReadLock = partial(ReadLock, self)
        self.WriteLock = partial(WriteLock, self)
        self.Party = partial(Party, self)
        self.Queue = partial(Queue, self)
        self.LockingQueue = partial(LockingQueue, self)
        self.SetPartitioner = partial(SetPartitioner, self)
        self.Semaphore = partial(Semaphore, self)
        self.ShallowParty = partial(ShallowParty, self)

    # --- state -------------------------------------------------------------------------------
    @property
    def client_state(self):
        core = self._core
        return _KEEPER_STATES.get(core.state, KeeperState.CLOSED) if core else KeeperState.CLOSED

    @property
    def client_id(self):
        core = self._core
        if core is None or self.state != KazooState.CONNECTED:
            return None
        return (core.session_id, core.session_password)

    @property
    def connected(self):
        return self.state == KazooState.CONNECTED

    def set_hosts(self, hosts, randomize_hosts=None):
        """Replaces the server list; the chroot cannot change."""
        _check_str("hosts", hosts)
        new_hosts, chroot = _servers(hosts)
        if chroot and chroot != self.chroot:
            raise kex.ConfigurationError("Changing chroot at runtime is not currently supported")
        if self._core is not None:
            try:
                self._core.update_servers(_connect_string(new_hosts, self.chroot))
            except _zkit.ZkitError as e:
                raise _translate(e)
        self.hosts = new_hosts

    def add_listener(self, listener):
        if not (listener and callable(listener)):
            raise kex.ConfigurationError("listener must be callable")
        with self._listeners_lock:
            self.state_listeners.add(listener)

    def remove_listener(self, listener):
        with self._listeners_lock:
            self.state_listeners.discard(listener)

    def _make_state_change(self, state):
        if state == self.state:
            return
        self.state = state
        with self._listeners_lock:
            listeners = list(self.state_listeners)
        for listener in listeners:
            try:
                if listener(state) is True:
                    self.remove_listener(listener)
            except Exception:
                import logging
                logging.getLogger(__name__).exception("Error in connection state listener")

    def _on_session_state(self, core, name):
        if core is not self._core:
            return  # a session this client has moved on from
        if name in ("connected", "reconnected", "read_only"):
            self._make_state_change(KazooState.CONNECTED)
        elif name == "suspended":
            self._make_state_change(KazooState.SUSPENDED)
        elif name == "expired":
            # kazoo's behaviour: the client stays usable with a new session.
            self._make_state_change(KazooState.LOST)
            threading.Thread(target=self._renew, args=(core,), name="zkit-kazoo-renew", daemon=True).start()
        elif name in ("auth_failed", "closed"):
            self._make_state_change(KazooState.LOST)

    # --- lifecycle -----------------------------------------------------------------------------
    def _open_core(self, timeout):
        core = _zkit.Core(_connect_string(self.hosts, self.chroot), int(self._timeout * 1000), int(self._timeout * 1000), self.read_only)
        dispatcher = threading.Thread(target=core.run_dispatcher, name="zkit-dispatcher", daemon=True)
        dispatcher.start()
        for scheme, credential in self.auth_data:
            core.add_auth(scheme, credential, None)
        return core, dispatcher

    def _install(self, core, dispatcher):
        old = (self._core, self._dispatcher)
        self._core, self._dispatcher = core, dispatcher
        core.add_listener(lambda name, core=core: self._on_session_state(core, name))
        self._make_state_change(KazooState.CONNECTED)
        return old

    def _retire(self, core, dispatcher):
        if core is None:
            return
        core.close()
        core.stop_dispatcher()
        if dispatcher is not None and dispatcher is not threading.current_thread():
            dispatcher.join()

    def _renew(self, expired):
        while True:
            with self._lock:
                if self._stopped or self._core is not expired:
                    return
                try:
                    old = self._install(*self._open_core(self._timeout))
                except _zkit.ZkitError:
                    old = None
            if old is not None:
                self._retire(*old)
                return
            self.handler.sleep_func(0.1)

    def start(self, timeout=15):
        """Connects; raises handler.timeout_exception when no session is made within `timeout`."""
        with self._lock:
            if not self._stopped:
                return
            if self._own_handler and self._fast_results and not self.handler.running:
                # The handler this client made takes completions from zkit's loop thread
                # without a Python thread in between (see _result.py); kazoo's stop() gives
                # it a queue.Queue again, so each start() puts one back.
                self.handler.completion_queue = _zkit.WorkQueue(_STOP)
            self.handler.start()
            try:
                opened = self._open_core(timeout)
            except _zkit.ZkitError as e:
                if e.args[0] == -4:
                    raise self.handler.timeout_exception("Connection time-out")
                raise _translate(e)
            self._stopped = False
            self._install(*opened)
        if self.chroot and not self.exists("/"):
            warnings.warn("No chroot path exists, the chroot path should be created before normal use.")

    def start_async(self):
        event = self.handler.event_object()

        def run():
            try:
                self.start()
            except Exception:
                pass
            event.set()
        self.handler.spawn(run)
        return event

    def stop(self):
        """Closes the session; later calls raise ConnectionClosedError."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            core, dispatcher = self._core, self._dispatcher
            self._retire(core, dispatcher)
            self._make_state_change(KazooState.LOST)
            self.handler.stop()

    def restart(self):
        self.stop()
        self.start()

    def close(self):
        """Frees what stop() left (kept for kazoo's API: stop() already did it)."""
        self._core = None
        self._dispatcher = None

    # --- plumbing -------------------------------------------------------------------------------
    def _live_core(self):
        core = self._core
        if core is None or self._stopped:
            raise kex.ConnectionClosedError("Connection has been closed")
        return core

    def _call(self, method, convert, *args):
        """Runs core.method(*args, callback) and returns a kazoo IAsyncResult whose value is
        convert(native value) (the native value when convert is None)."""
        core = self._live_core()
        if self._fast_results:
            result = callback = _Result(self.handler, convert, self.handler.completion_queue)
        else:
            result = self.handler.async_result()
            callback = partial(_complete, result, convert)
        try:
            getattr(core, method)(*args, callback)
        except _zkit.ZkitError as e:
            result.set_exception(_translate(e))
        return result

    def _sync(self, method, convert, *args):
        """The blocking form of _call: the caller waits in zkit's core with the GIL released and
        is woken by the loop thread's completion itself (no dispatcher, no result object)."""
        core = self._live_core()
        try:
            value = getattr(core, method)(*args, None)
        except _zkit.ZkitError as e:
            raise _exception(*e.args) from None
        return value if convert is None else convert(value)

    def _watcher(self, watch):
        if watch is None:
            return None
        if not callable(watch):
            raise TypeError("Invalid type for 'watch' (must be a callable)")

        def fire(type_, state, path):
            # kazoo never calls a one-shot watcher for the end of a session or a removal.
            if type_ not in _EVENT_TYPES:
                return
            event = WatchedEvent(_EVENT_TYPES[type_], _KEEPER_STATES.get(state, KeeperState.CONNECTED), path)
            self.handler.dispatch_callback(Callback("watch", watch, (event,)))
        return fire

    def unchroot(self, path):
        if not self.chroot:
            return path
        if path.startswith(self.chroot):
            return path[len(self.chroot):] or "/"
        return path

    # --- operations -----------------------------------------------------------------------------
    def command(self, cmd=b"ruok"):
        """A four-letter word sent to the server the session is connected to; returns its answer."""
        core = self._core
        where = core.connected_host if core is not None and self.connected else ""
        if not where:
            raise kex.ConnectionLoss("Connection dropped")
        host, _, port = where.rpartition(":")
        with socket.create_connection((host.strip("[]"), int(port)), timeout=self._timeout) as s:
            s.sendall(cmd)
            chunks = []
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")

    def server_version(self, retries=3):
        """The connected server's version, e.g. (3, 8, 0), asked 1 + retries times at most: an
        answer without at least major.minor is taken as torn and asked again (as kazoo does)."""
        def fetch():
            for line in self.command(b"envi").splitlines():
                key, sep, value = line.partition("=")
                if sep and key.strip() == "zookeeper.version":
                    digits = re.match(r"[\d.]*", value.strip()).group(0)
                    try:
                        return tuple(int(d) for d in digits.split("."))
                    except ValueError:
                        return None
            return None

        for _ in range(1 + max(0, retries)):
            version = fetch()
            if version and len(version) > 1:
                return version
        raise kex.KazooException("Unable to fetch useable server version after trying %s times"
                                 % (1 + max(0, retries)))

    def add_auth(self, scheme, credential):
        return self.add_auth_async(scheme, credential).get()

    def add_auth_async(self, scheme, credential):
        _check_str("scheme", scheme)
        _check_str("credential", credential)
        self.auth_data.add((scheme, credential))
        return self._call("add_auth", _true, scheme, credential)

    def sync_async(self, path):
        path = _norm(path)
        return self._call("sync", lambda _: path, path)

    def sync(self, path):
        path = _norm(path)
        self._sync("sync", None, path)
        return path

    def create(self, path, value=b"", acl=None, ephemeral=False, sequence=False, makepath=False,
               include_data=False):
        acl = acl or self.default_acl
        if makepath:
            return self.create_async(path, value, acl=acl, ephemeral=ephemeral, sequence=sequence,
                                     makepath=makepath, include_data=include_data).get()
        path, value, mode, acl, convert = self._create_args(path, value, acl, ephemeral, sequence,
                                                            makepath, include_data)
        return self._sync("create", convert, path, value, mode, acl, 0)

    def _create_args(self, path, value, acl, ephemeral, sequence, makepath, include_data):
        _check_bytes("value", value)
        _check_size(value)
        path = _norm(path, trailing=sequence is True)
        _check_bool("ephemeral", ephemeral)
        _check_bool("sequence", sequence)
        _check_bool("makepath", makepath)
        _check_bool("include_data", include_data)
        acl = _acl_tuples(acl or self.default_acl)
        mode = (1 if ephemeral else 0) + (2 if sequence else 0)
        return path, value, mode, acl, _with_stat if include_data else _first  # None: null data

    def create_async(self, path, value=b"", acl=None, ephemeral=False, sequence=False,
                     makepath=False, include_data=False):
        path, value, mode, acl, convert = self._create_args(path, value, acl, ephemeral, sequence,
                                                            makepath, include_data)
        if not makepath:
            return self._call("create", convert, path, value, mode, acl, 0)
        result = self.handler.async_result()

        def work():  # on a thread of its own: it waits on the calls it makes
            try:
                try:
                    result.set(self._sync("create", convert, path, value, mode, acl, 0))
                    return
                except kex.NoNodeError:
                    pass
                parent = path.rstrip("/").rsplit("/", 1)[0]
                if parent:
                    self.ensure_path(parent, acl=acl and _acls(acl))
                result.set(self._sync("create", convert, path, value, mode, acl, 0))
            except Exception as e:
                result.set_exception(e)
        self.handler.spawn(work)
        return result

    def ensure_path(self, path, acl=None):
        return self.ensure_path_async(path, acl).get()

    def ensure_path_async(self, path, acl=None):
        path = _norm(path)
        acl = acl or self.default_acl
        result = self.handler.async_result()

        def work():
            try:
                parts = [p for p in path.split("/") if p]
                current = ""
                if self.chroot:
                    # "/" is the chroot node itself, which may not exist yet (kazoo makes it).
                    self._ensure_chroot()
                for part in parts:
                    current += "/" + part
                    try:
                        self.create(current, b"", acl=acl)
                    except kex.NodeExistsError:
                        pass
                result.set(True)
            except Exception as e:
                result.set_exception(e)
        self.handler.spawn(work)
        return result

    def _ensure_chroot(self):
        outside = _zkit.Core(_connect_string(self.hosts, ""), int(self._timeout * 1000), int(self._timeout * 1000), self.read_only)
        try:
            current = ""
            for part in [p for p in self.chroot.split("/") if p]:
                current += "/" + part
                try:
                    outside.create(current, b"", 0, _acl_tuples(self.default_acl))
                except _zkit.ZkitError as e:
                    if e.args[0] != -110:
                        raise _translate(e)
        finally:
            outside.close()
            outside.stop_dispatcher()

    # Each operation below comes twice: the *_async form (_call) and the blocking form (_sync),
    # over the same checks.
    def exists(self, path, watch=None):
        return self._sync("exists", _stat_or_none, _norm(path), self._watcher(watch))

    def exists_async(self, path, watch=None):
        return self._call("exists", _stat_or_none, _norm(path), self._watcher(watch))

    def get(self, path, watch=None):
        return self._sync("get", _with_stat, _norm(path), self._watcher(watch))

    def get_async(self, path, watch=None):
        return self._call("get", _with_stat, _norm(path), self._watcher(watch))

    def get_children(self, path, watch=None, include_data=False):
        _check_bool("include_data", include_data)
        return self._sync("get_children", _with_stat if include_data else _first, _norm(path),
                          self._watcher(watch))

    def get_children_async(self, path, watch=None, include_data=False):
        path = _norm(path)
        _check_bool("include_data", include_data)
        return self._call("get_children", _with_stat if include_data else _first, path, self._watcher(watch))

    def get_acls(self, path):
        return self._sync("get_acl", _acls_with_stat, _norm(path))

    def get_acls_async(self, path):
        return self._call("get_acl", _acls_with_stat, _norm(path))

    def set_acls(self, path, acls, version=-1):
        return self._sync("set_acl", _znode_stat, *self._set_acls_args(path, acls, version))

    def set_acls_async(self, path, acls, version=-1):
        return self._call("set_acl", _znode_stat, *self._set_acls_args(path, acls, version))

    def _set_acls_args(self, path, acls, version):
        path = _norm(path)
        _check_int("version", version)
        return path, _acl_tuples(acls), version

    def set(self, path, value, version=-1):
        return self._sync("set", _znode_stat, *self._set_args(path, value, version))

    def set_async(self, path, value, version=-1):
        return self._call("set", _znode_stat, *self._set_args(path, value, version))

    def _set_args(self, path, value, version):
        path = _norm(path)
        _check_bytes("value", value)
        _check_size(value)
        _check_int("version", version)
        return path, value, version  # None: null data

    def transaction(self):
        return TransactionRequest(self)

    def delete(self, path, version=-1, recursive=False):
        path = _norm(path)
        _check_bool("recursive", recursive)
        if recursive:
            return self._delete_recursive(path)
        _check_int("version", version)
        return self._sync("delete", _true, path, version)

    def delete_async(self, path, version=-1):
        path = _norm(path)
        _check_int("version", version)
        return self._call("delete", _true, path, version)

    def _delete_recursive(self, path):
        try:
            children = self.get_children(path)
        except kex.NoNodeError:
            return True
        for child in children:
            self._delete_recursive(path.rstrip("/") + "/" + child)
        try:
            self.delete(path)
        except kex.NoNodeError:
            pass
        return True

    def reconfig(self, joining, leaving, new_members, from_config=-1):
        """Changes the ensemble's membership; returns (new configuration, ZnodeStat)."""
        return self.reconfig_async(joining, leaving, new_members, from_config).get()

    def reconfig_async(self, joining, leaving, new_members, from_config):
        for name, value in (("joining", joining), ("leaving", leaving), ("new_members", new_members)):
            if value and not isinstance(value, str):
                raise TypeError("Invalid type for '%s' (string expected)" % name)
        _check_int("from_config", from_config)
        # kazoo sends an empty string as no value; so does zkit.
        return self._call("reconfig", _with_stat, joining or None, leaving or None, new_members or None,
                          from_config)

    # --- beyond kazoo: ZooKeeper 3.6+ operations ------------------------------------------------
    def add_watch(self, path, watch, recursive=False):
        """A persistent (recursive) watch; returns a handle whose remove() stops it."""
        _check_str("path", path)
        fire = self._watcher(watch)
        try:
            return self._live_core().add_watch(path, recursive, fire)
        except _zkit.ZkitError as e:
            raise _translate(e)

    def who_am_i(self):
        return self._sync("who_am_i", None)

    def get_ephemerals(self, prefix="/"):
        return self._sync("get_ephemerals", None, prefix)

    def get_all_children_number(self, path):
        return self._sync("get_all_children_number", None, path)


class TransactionRequest(object):
    """kazoo's transaction: ops gathered, then committed all or nothing. commit() returns a
    result per op: the created path, True, a ZnodeStat, or (when it failed) an exception
    instance: RolledBackError for the ops that were not applied because another one failed."""

    def __init__(self, client):
        self.client = client
        self.operations = []
        self.committed = False

    def create(self, path, value=b"", acl=None, ephemeral=False, sequence=False):
        _check_str("path", path)
        _check_bytes("value", value)
        _check_bool("ephemeral", ephemeral)
        _check_bool("sequence", sequence)
        acl = _acl_tuples(acl or self.client.default_acl)
        # None (which kazoo refuses here) stores null data, as create(path, None) does.
        self._add(("create", path, value, (1 if ephemeral else 0) + (2 if sequence else 0), acl))

    def delete(self, path, version=-1):
        _check_str("path", path)
        _check_int("version", version)
        self._add(("delete", path, version))

    def set_data(self, path, value, version=-1):
        _check_str("path", path)
        _check_bytes("value", value)
        _check_int("version", version)
        self._add(("set", path, value, version))

    def check(self, path, version):
        _check_str("path", path)
        _check_int("version", version)
        self._add(("check", path, version))

    def _add(self, op):
        if self.committed:
            raise ValueError("Transaction already committed")
        self.operations.append(op)

    def commit_async(self):
        if self.committed:
            raise ValueError("Transaction already committed")
        self.committed = True
        ops = list(self.operations)

        def convert(r):
            committed, results = r
            out = []
            for op, (code, _name, path, stat, _data, _children) in zip(ops, results):
                if not committed:
                    out.append(kex.EXCEPTIONS[code]())
                elif op[0] == "create":
                    out.append(path)
                elif op[0] == "set":
                    out.append(ZnodeStat(*stat))
                else:
                    out.append(True)
            return out
        return self.client._call("multi", convert, ops)

    def commit(self):
        return self.commit_async().get()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        if not exc_type:
            self.commit()
