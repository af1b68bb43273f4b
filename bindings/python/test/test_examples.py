# The examples of docs/python.md run as they are.
import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


def test_first_program(hosts):
    out = subprocess.run([sys.executable, str(EXAMPLES / "first.py"), hosts], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "/hello = b'world' version 0" in out.stdout
    assert "holding the lock with fencing token" in out.stdout
