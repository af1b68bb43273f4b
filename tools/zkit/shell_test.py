#!/usr/bin/python3
"""zkit shell driven in a pseudo-terminal, as a person would use it, against a real ZooKeeper
(zkit serve): prompt and colours, Tab completion of commands and server paths, line editing,
history (Up), watch events printed while the prompt waits, Ctrl-D. Then the same shell piped:
plain output, no prompt, no colour codes.

usage: shell_test.py PATH/TO/zkit
"""
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ZKIT = sys.argv[1] if len(sys.argv) > 1 else ""
passed = 0


def fail(msg):
    print(f"shell_test: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def ok(what):
    global passed
    passed += 1
    print(f"ok {passed} - {what}")


ANSI = re.compile(rb"\x1b\[[0-9;]*[A-Za-z]")


class Pty:
    """A child on a pseudo-terminal; expect() reads until a pattern shows (bounded)."""

    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.seen = b""

    def send(self, data):
        os.write(self.fd, data)

    def expect(self, pattern, what, timeout=20.0):
        """Waits for `pattern` (a regex over the output with colour codes removed)."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern, re.S)
        while True:
            plain = ANSI.sub(b"", self.seen).replace(b"\r", b"")
            m = rx.search(plain.decode("utf-8", "replace"))
            if m:
                self.seen = b""  # the next expect looks at what comes after
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                fail(f"{what}: waited {timeout} s for /{pattern}/, saw: {plain!r}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    fail(f"{what}: the shell ended; saw: {plain!r}")
                self.raw = getattr(self, "raw", b"") + chunk
                self.seen += chunk

    def wait(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            try:
                r, _, _ = select.select([self.fd], [], [], 0.1)
                if r:
                    os.read(self.fd, 4096)
            except OSError:
                pass
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        fail("the shell did not exit")


def main():
    if not ZKIT or not os.access(ZKIT, os.X_OK):
        fail(f"usage: shell_test.py PATH/TO/zkit (got {ZKIT!r})")
    work = tempfile.mkdtemp()
    serve = subprocess.Popen([ZKIT, "serve", "--ready-file", f"{work}/ready"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(900):
            if os.path.exists(f"{work}/ready"):
                break
            if serve.poll() is not None:
                fail("zkit serve exited: " + serve.stderr.read().decode())
            time.sleep(0.1)
        else:
            fail("zkit serve wrote no ready file within 90 s")
        connect = open(f"{work}/ready").read().strip()
        env = dict(os.environ, HOME=work, TERM="xterm", ZKIT_CONNECT=connect)
        env.pop("NO_COLOR", None)
        env.pop("ZKIT_HISTORY", None)
        setup = subprocess.run([ZKIT, "create", "-p", "/shell/alpha/one", "1"], env=env,
                               capture_output=True)
        if setup.returncode != 0:
            fail("create -p: " + setup.stderr.decode())
        subprocess.run([ZKIT, "create", "/shell/beta", "b"], env=env, check=True,
                       capture_output=True)

        sh = Pty([ZKIT, "shell"], env)
        sh.expect(r"zkit 127\.0\.0\.1:\d+> ", "the prompt")
        if b"\x1b[" not in sh.raw:
            fail("no colour codes on a terminal")
        ok("the shell shows a coloured prompt on a terminal")

        sh.send(b"cre\t")
        sh.expect(r"create $", "Tab completes a command word")
        sh.send(b"/shell/gamma hello\r")
        sh.expect(r"/shell/gamma\n.*> ", "create from the shell")
        ok("Tab completes a command; the command runs")

        sh.send(b"get /shell/al\t")
        sh.expect(r"get /shell/alpha$", "Tab completes a unique server path")
        sh.send(b"/\t")
        sh.expect(r"get /shell/alpha/one$", "Tab completes a child")
        sh.send(b"\r")
        sh.expect(r"\n1\n.*> ", "get prints the data")
        ok("Tab completes paths read from the server")

        sh.send(b"ls /shell/\t")
        sh.expect(r"/shell/alpha  /shell/beta  /shell/gamma", "Tab lists several candidates")
        sh.send(b"\x15ls /shell\r")  # Ctrl-U drops what was typed
        sh.expect(r"alpha\nbeta\ngamma\n.*> ", "ls after Ctrl-U")
        ok("ambiguous completion lists the candidates; Ctrl-U clears the line")

        # Line editing: type, go left, insert, Home, insert.
        sh.send(b"et /shell/bta\x1b[D\x1b[De\x01g\r")
        sh.expect(r"\nb\n.*> ", "the line edited with arrows and Ctrl-A")
        ok("Left, insert and Ctrl-A edit the line")

        sh.send(b"\x1b[A")  # Up: the last line again
        sh.expect(r"get /shell/beta$", "Up recalls the last line")
        sh.send(b"\r")
        sh.expect(r"\nb\n.*> ", "the recalled line runs")
        ok("Up recalls history")

        sh.send(b"get /shell/nope\r")
        sh.expect(r"zkit: get /shell/nope: no_node.*> ", "an error goes on")
        ok("a failed command is reported and the shell goes on")

        sh.send(b"watch /shell\r")
        sh.expect(r"watching /shell\n.*> ", "watch")
        subprocess.run([ZKIT, "set", "/shell/beta", "changed"], env=env, check=True,
                       capture_output=True)
        sh.expect(r"watch: node_data_changed /shell/beta\n.*> ", "the event while the prompt waits")
        ok("a watch event is printed while the prompt waits, and the prompt comes back")

        sh.send(b"\x04")  # Ctrl-D on an empty line
        code = sh.wait()
        if code != 0:
            fail(f"Ctrl-D: exit {code}")
        hist = open(f"{work}/.zkit_history").read().splitlines()
        if "watch /shell" not in hist or "get /shell/beta" not in hist:
            fail(f"history file: {hist}")
        ok("Ctrl-D exits 0 and the history is kept in ~/.zkit_history")

        piped = subprocess.run([ZKIT, "shell"], env=env, capture_output=True,
                               input=b"ls /shell\nget /shell/nope\nget /shell/beta\n")
        if piped.returncode != 0:
            fail(f"piped shell: exit {piped.returncode}: {piped.stderr!r}")
        if piped.stdout != b"alpha\nbeta\ngamma\nchanged":
            fail(f"piped shell stdout: {piped.stdout!r}")
        if b"\x1b" in piped.stdout + piped.stderr:
            fail("piped shell wrote colour codes")
        if not piped.stderr.startswith(b"zkit: get /shell/nope: no_node"):
            fail(f"piped shell stderr: {piped.stderr!r}")
        ok("piped: plain lines, no prompt, no colours")
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        shutil.rmtree(work, ignore_errors=True)
    print(f"shell: {passed} passed, 0 failed")


if __name__ == "__main__":
    main()
