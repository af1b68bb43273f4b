"""The first program of docs/python.md. Run by the `python` suite (test_examples.py)."""
import sys
import threading

import zkit

hosts = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:2181"
changed = threading.Event()
with zkit.Client(hosts) as zk:
    try:
        zk.create("/hello", b"world")
    except zkit.ZkitError as e:
        code, name, message = e.args
        if name != "node_exists":
            raise
    data, stat = zk.get("/hello", watch=lambda event: changed.set())
    print("/hello =", data, "version", stat.version)
    zk.set("/hello", b"again", stat.version)
    changed.wait(10)
    with zk.mutex("/locks/hello") as token:
        print("holding the lock with fencing token", token)
