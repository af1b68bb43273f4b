"""zkit.kazoo's IAsyncResult for kazoo's SequentialThreadingHandler: kazoo's threading
AsyncResult (a subclass of it, with the same methods and the same behaviour), made cheap
enough to make one per operation.

kazoo's own result makes a threading.Condition per result (a few microseconds of Python) and
puts each rawlink callback on the handler's completion queue one by one. This one shares one
plain lock among all the results of a client, makes a waiter only for a caller that actually
blocks, and, when zkit's dispatcher completes it, gathers its callbacks into the batch the
dispatcher is working through: the client puts the whole batch on the completion queue as one
item (see KazooClient._flush), so the callbacks still run on the handler's completion thread,
in completion order, with one queue put and one wake-up per batch.
"""
import functools
import logging
import threading

from kazoo import exceptions as kex
from kazoo.handlers.threading import AsyncResult as _ThreadingAsyncResult, KazooTimeoutError
from kazoo.handlers.utils import _NONE

_new_waiter = threading.Lock
# The logger and message of kazoo's completion worker, for a callback that raises.
_worker_log = logging.getLogger("kazoo.handlers.threading")


_CLOSING = -116
_REQUEST_TIMEOUT = -122


def exception_for(code, name, message):
    """The kazoo exception for a zkit error."""
    if code == _CLOSING:
        return kex.ConnectionClosedError(message)
    if code == _REQUEST_TIMEOUT:
        # Like connection loss: the request may or may not have been applied.
        return kex.ConnectionLoss(message)
    if code in kex.EXCEPTIONS:
        return kex.EXCEPTIONS[code](message)
    return kex.ZookeeperError("%s: %s" % (name, message))


def run_callbacks(items):
    """Runs a batch's (callback, result) pairs in order, as kazoo's worker runs each item."""
    for callback, result in items:
        try:
            callback(result)
        except Exception:
            _worker_log.exception("Exception in worker queue thread")


class Result(_ThreadingAsyncResult):
    """One operation's result. `lock` is shared by the client's results; `batch` is the list
    that the dispatcher of the session this operation went to hands on after each batch;
    `convert` turns the native value into kazoo's shape (None: taken as it is)."""

    _timeout_factory = KazooTimeoutError

    def __init__(self, handler, lock, batch, convert):
        self._handler = handler
        self._lock = lock
        self._batch = batch
        self._convert = convert
        self._exception = _NONE
        self._callbacks = []
        self._waiters = None
        self.value = None

    # --- completion ------------------------------------------------------------------------
    def __call__(self, error, value):
        """The native completion, on zkit's dispatcher thread: (error tuple or None, value)."""
        if error is None:
            convert = self._convert
            if convert is not None:
                try:
                    value = convert(value)
                except Exception as e:
                    self._settle(None, e, self._batch)
                    return
            self._settle(value, None, self._batch)
        else:
            self._settle(None, exception_for(*error), self._batch)

    def set(self, value=None):
        self._settle(value, None, None)

    def set_exception(self, exception):
        self._settle(None, exception, None)

    def _settle(self, value, exception, batch):
        with self._lock:
            self.value = value  # before _exception: a reader that sees it set sees the value
            self._exception = exception
            waiters, self._waiters = self._waiters, None
            callbacks = self._callbacks[:] if self._callbacks else None
        if waiters:
            for w in waiters:
                w.release()
        if callbacks:
            if batch is not None:
                batch.extend([(cb, self) for cb in callbacks])
            else:
                self._dispatch(callbacks)

    def _dispatch(self, callbacks):
        handler = self._handler
        for callback in callbacks:
            if handler.running:
                handler.completion_queue.put(functools.partial(callback, self))
            else:
                callback(self)

    def _do_callbacks(self):
        self._dispatch(list(self._callbacks))

    # --- waiting -----------------------------------------------------------------------------
    def _wait(self, timeout):
        with self._lock:
            if self._exception is not _NONE:
                return
            waiter = _new_waiter()
            waiter.acquire()
            if self._waiters is None:
                self._waiters = []
            self._waiters.append(waiter)
        # As threading.Condition.wait: no timeout waits for good, one <= 0 does not wait.
        if timeout is None:
            waiter.acquire()
        elif timeout > 0:
            waiter.acquire(True, timeout)

    def get(self, block=True, timeout=None):
        if self._exception is _NONE and block:
            self._wait(timeout)
        exception = self._exception
        if exception is None:
            return self.value
        if exception is _NONE:
            raise self._timeout_factory()
        raise exception

    def get_nowait(self):
        return self.get(block=False)

    def wait(self, timeout=None):
        if self._exception is _NONE:
            self._wait(timeout)
        return self._exception is not _NONE

    # --- callbacks ---------------------------------------------------------------------------
    def rawlink(self, callback):
        with self._lock:
            if callback not in self._callbacks:
                self._callbacks.append(callback)
            # As kazoo's: once ready, linking dispatches the callbacks now.
            ready = self._exception is not _NONE
            callbacks = self._callbacks[:] if ready else None
        if ready:
            self._dispatch(callbacks)

    def unlink(self, callback):
        with self._lock:
            if self._exception is not _NONE:
                return
            if callback in self._callbacks:
                self._callbacks.remove(callback)
