"""A pytest plugin that points kazoo's own test harness at zkit.kazoo.KazooClient, so that
kazoo's tests (kazoo/tests/test_client.py from Debian's python3-kazoo) run against zkit.

kazoo's harness starts its own ZooKeeper ensemble (kazoo.testing.common.ZookeeperCluster)
from the jars named by ZOOKEEPER_CLASSPATH; this plugin sets it to Debian's jars. Every test
that does not pass is listed, with its reason, in known_failures.txt beside this file (and in
docs/python.md); those are marked xfail(strict), so a test that starts passing must be taken
off the list.
"""
import os
import pathlib
import socket

import pytest

_JARS = ["zookeeper.jar", "slf4j-api.jar", "slf4j-simple.jar", "netty-codec.jar"]  # the manifest lists the rest
_missing = [j for j in _JARS if not (pathlib.Path("/usr/share/java") / j).exists()]
if _missing:
    raise RuntimeError("kazoo conformance needs Debian's ZooKeeper jars: /usr/share/java/%s missing "
                       "(scripts/setup.sh installs zookeeper)" % ", ".join(_missing))
os.environ.setdefault("ZOOKEEPER_CLASSPATH", ":".join("/usr/share/java/" + j for j in _JARS))
# kazoo's default ensemble of 3: reconfig and the host-list tests need more than one member.
os.environ.setdefault("ZOOKEEPER_CLUSTER_SIZE", "3")
os.environ.setdefault("ZOOKEEPER_VERSION", "3.8.0")


def _free_port_offset(attempts=50):
    """A base port p with p .. p+23 free on loopback (kazoo's 3 members use p + 10 * i + 0..3),
    so that the run does not collide with other servers on the machine. Ports are probed with
    SO_REUSEADDR, as the JVM's server sockets bind them: a port whose old connections are still
    in TIME_WAIT (plenty after a benchmark) is free for a server, and without it no range was."""
    for _ in range(attempts):
        probe = socket.socket()
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
        probe.close()
        if base + 23 > 65535:
            continue
        held = []
        try:
            for port in range(base, base + 24):
                s = socket.socket()
                held.append(s)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no 24 consecutive free loopback ports for kazoo's test ensemble")


if "ZOOKEEPER_PORT_OFFSET" not in os.environ:
    os.environ["ZOOKEEPER_PORT_OFFSET"] = str(_free_port_offset())

import kazoo.client  # noqa: E402
import kazoo.testing.common  # noqa: E402
import kazoo.testing.harness  # noqa: E402

# kazoo's harness lets its servers listen on every interface; the project's tests use loopback
# only, so each server is told to bind 127.0.0.1 (client port and admin server).
_managed_init = kazoo.testing.common.ManagedZooKeeper.__init__


def _loopback_init(self, *args, **kwargs):
    _managed_init(self, *args, **kwargs)
    self.configuration_entries = list(self.configuration_entries) + [
        "clientPortAddress=127.0.0.1", "admin.serverAddress=127.0.0.1"]


kazoo.testing.common.ManagedZooKeeper.__init__ = _loopback_init

import zkit.kazoo  # noqa: E402

kazoo.client.KazooClient = zkit.kazoo.KazooClient
kazoo.testing.harness.KazooClient = zkit.kazoo.KazooClient


def _known_failures():
    out = {}
    path = pathlib.Path(__file__).with_name("known_failures.txt")
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        out[name] = reason.strip()
    return out


def pytest_collection_modifyitems(config, items):
    known = _known_failures()
    for item in items:
        key = item.nodeid.split("::", 1)[1] if "::" in item.nodeid else item.nodeid
        if key in known:
            item.add_marker(pytest.mark.xfail(reason=known[key], strict=True))
