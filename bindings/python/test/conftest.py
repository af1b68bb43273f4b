import os
import uuid

import pytest


@pytest.fixture(scope="session")
def hosts():
    connect = os.environ.get("ZKIT_TEST_CONNECT")
    if not connect:
        raise RuntimeError("ZKIT_TEST_CONNECT is not set: run this suite with `meson test --suite python` "
                           "(bindings/c/test/with_cluster starts the server)")
    return connect


@pytest.fixture
def base():
    """A fresh path per test."""
    return "/t-" + uuid.uuid4().hex[:12]


@pytest.fixture
def zk(hosts):
    import zkit
    client = zkit.Client(hosts)
    yield client
    client.close()
