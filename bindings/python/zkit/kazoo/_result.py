"""zkit.kazoo's IAsyncResult for kazoo's SequentialThreadingHandler: kazoo's threading
AsyncResult (a subclass of it, with the same methods and the same behaviour), made cheap
enough to make one per operation.

kazoo's own result makes a threading.Condition per result (a few microseconds of Python), is
settled by its connection thread and puts each rawlink callback on the handler's completion
queue one by one. This one is native (zkit._zkit.KazooResult, see kazoo_result.hpp): zkit's
loop thread settles it without the GIL, wakes a caller blocked in get() or wait() itself and,
when callbacks are linked, moves the result into the handler's completion queue (a native
zkit._zkit.WorkQueue that zkit.kazoo gives the handler it makes), whose worker thread runs them:
the callbacks still run on the handler's completion thread, in completion order, and no other
Python thread stands between. The Python value (a ZnodeStat, a (data, stat) tuple) is built when
first read, so a caller that only asks successful() never pays for it.
"""
import functools
import logging
import queue

from kazoo import exceptions as kex
from kazoo.handlers.threading import AsyncResult as _ThreadingAsyncResult, KazooTimeoutError
from kazoo.handlers.utils import _NONE

from .. import _zkit

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


class Result(_zkit.KazooResult, _ThreadingAsyncResult):
    """One operation's result: Result(handler, convert=None, queue=None). `convert` turns the
    native value into kazoo's shape (None: taken as it is); `queue` is the handler's completion
    queue when it is a zkit._zkit.WorkQueue (any other: zkit's dispatcher hands a completed
    result's callbacks on, as kazoo's results do)."""

    _timeout_factory = KazooTimeoutError

    def __call__(self):
        """The completion queue's item for a result the loop thread settled: its callbacks."""
        for callback in self._settled_callbacks():
            try:
                callback(self)
            except Exception:
                _worker_log.exception("Exception in worker queue thread")

    def _hand_on(self, callbacks):
        """kazoo's _do_callbacks: to the handler's completion thread, or at once when stopped."""
        handler = self._handler
        items = [(callback, self) for callback in callbacks]
        if handler.running:
            handler.completion_queue.put(functools.partial(run_callbacks, items))
        else:
            run_callbacks(items)


_zkit.configure_kazoo(_NONE, exception_for, queue.Empty)
