#!/usr/bin/python3
"""The docs suite: every complete program in README.md and the docs is compiled and run.

Finds the fenced blocks of every Markdown page (README.md, docs/, the READMEs of sdk/, recipes/,
bindings/, tools/) and sorts them by their language and the marker written before them:

  <!-- fragment -->        part of a program on purpose: not compiled
  <!-- not run: REASON --> a complete program the suite must not run (it installs packages,
                           runs the whole test suite...): C/C++ is still compiled, shell is
                           checked with `bash -n`, Python with py_compile

A cpp or c block with neither marker must be a complete program (it has a main(), or is a
doctest file with DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN); one that is not fails the suite with
its file:line, so an incomplete block cannot slip in unmarked. sh and python blocks with
neither marker are run as they are.

C++ blocks are compiled with g++ and checked with clang++-14 -fsyntax-only (-std=c++20 -Wall
-Wextra -Werror: the flags of docs/getting-started.md plus warnings), C blocks with gcc -std=c99,
against the build's headers and libraries through meson's uninstalled pkg-config files, in
parallel.
Then one throwaway ZooKeeper (`zkit serve` from the build) is started, and each program runs
with ZKIT_CONNECT naming it, inside a chroot of its own (so examples that create the same node
do not meet), with a timeout; it must exit 0. Shell blocks run under `bash -e` in a scratch
directory where `build` is the build directory and `zkit` is on PATH.

usage: docs_examples.py SOURCE_ROOT BUILD_ROOT [--list]
Exit status 0 when every block passed; otherwise each failure is printed with its file:line.
"""
import concurrent.futures
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MARKER = re.compile(r'^<!--\s*(fragment|not run:[^>]*?)\s*-->\s*$')
FENCE = re.compile(r'^(\s*)```(\w*)\s*$')
PROGRAM_LANGS = {'cpp', 'c', 'sh', 'python'}
RUN_TIMEOUT = 60 * float(os.environ.get('ZKIT_TEST_TIMEOUT_SCALE', '1'))
CXX_FLAGS = ['-std=c++20', '-Wall', '-Wextra', '-Werror', '-O1']
C_FLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror']


class Block:
    def __init__(self, path, line, lang, text, marker):
        self.path, self.line, self.lang, self.text, self.marker = path, line, lang, text, marker
        self.id = re.sub(r'[^A-Za-z0-9]+', '-', f'{path}-{line}').strip('-').lower()

    def where(self):
        return f'{self.path}:{self.line}'

    def complete(self):
        if self.lang in ('cpp', 'c'):
            return bool(re.search(r'\bint\s+main\s*\(', self.text)) or (
                'DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN' in self.text)
        return True

    def runs(self):
        return self.marker is None


def markdown_pages(root):
    pages = []
    for top in ('README.md',):
        if os.path.exists(os.path.join(root, top)):
            pages.append(top)
    for folder in ('docs', 'sdk', 'recipes', 'bindings', 'tools'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', 'build')) and d != 'node_modules')
            for name in sorted(filenames):
                if name.endswith('.md'):
                    pages.append(os.path.relpath(os.path.join(dirpath, name), root))
    return pages


def parse(root, page):
    """The page's program blocks, and the problems found while reading it."""
    blocks, problems = [], []
    with open(os.path.join(root, page), encoding='utf-8') as f:
        lines = f.read().split('\n')
    marker = None
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i].strip())
        if m:
            marker = m.group(1)
            i += 1
            continue
        f = FENCE.match(lines[i])
        if f:
            start, lang, indent = i + 1, f.group(2), f.group(1)
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith('```'):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            if i == len(lines):
                problems.append(f'{page}:{start}: a fence that is never closed')
            if lang in PROGRAM_LANGS:
                blocks.append(Block(page, start, lang, '\n'.join(body) + '\n', marker))
            elif marker is not None:
                problems.append(f'{page}:{start}: a marker on a ```{lang} block, which is never run')
            marker = None
            i += 1
            continue
        if lines[i].strip():
            marker = None  # a marker belongs to the block right after it
        i += 1
    return blocks, problems


def pkg_flags(build, packages, cflags_only=False):
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(build, 'meson-uninstalled'))
    what = ['--cflags'] if cflags_only else ['--cflags', '--libs']
    out = subprocess.run(['pkg-config'] + what + packages, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f'docs_examples: pkg-config {" ".join(packages)}: {out.stderr.strip()}')
    return out.stdout.split()


def compile_jobs(blocks, build, work):
    """(block, compiler name, argv, output) for every compile the suite makes."""
    cxx_flags = pkg_flags(build, ['zkit_testing', 'zkit_recipes', 'zkit'])
    c_flags = pkg_flags(build, ['zkit_c'])
    jobs = []
    for b in blocks:
        if b.marker == 'fragment' or b.lang not in ('cpp', 'c'):
            continue
        src = os.path.join(work, b.id + ('.cpp' if b.lang == 'cpp' else '.c'))
        with open(src, 'w', encoding='utf-8') as f:
            f.write(b.text)
        if b.lang == 'cpp':
            exe = os.path.join(work, f'{b.id}.g++')
            jobs.append((b, 'g++', ['g++'] + CXX_FLAGS + [src, '-o', exe] + cxx_flags, exe))
            # clang checks the same code, warnings included; only g++'s build runs.
            cflags = [f for f in cxx_flags if f.startswith(('-I', '-D', '-pthread'))]
            jobs.append((b, 'clang++-14', ['clang++-14'] + CXX_FLAGS + ['-fsyntax-only', src] + cflags,
                         None))
        else:
            exe = os.path.join(work, f'{b.id}.gcc')
            jobs.append((b, 'gcc', ['gcc'] + C_FLAGS + [src, '-o', exe] + c_flags, exe))
    return jobs


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    """A throwaway ZooKeeper from `zkit serve`; killed by PID when the suite ends."""

    def __init__(self, zkit, work):
        self.ready = os.path.join(work, 'zk-ready')
        self.log = open(os.path.join(work, 'serve.log'), 'w')
        self.proc = None
        for _ in range(3):  # the free port may be taken before the server binds it
            self.proc = subprocess.Popen([zkit, 'serve', '--port', str(free_port()),
                                          '--ready-file', self.ready],
                                         stdout=subprocess.DEVNULL, stderr=self.log)
            deadline = time.monotonic() + 60 * float(os.environ.get('ZKIT_TEST_TIMEOUT_SCALE', '1'))
            while time.monotonic() < deadline and self.proc.poll() is None:
                if os.path.exists(self.ready):
                    with open(self.ready) as f:
                        self.connect = f.read().strip()
                    return
                time.sleep(0.05)
            self.stop()
        raise SystemExit('docs_examples: zkit serve did not start a server:\n' +
                         open(self.log.name).read())

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run(argv, env, cwd, timeout=RUN_TIMEOUT, stdin=None):
    try:
        p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL if stdin is None else stdin)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'') + (e.stderr or b'')
        return 'timeout', out.decode() if isinstance(out, bytes) else out


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    root, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    blocks, failures = [], []
    for page in markdown_pages(root):
        found, problems = parse(root, page)
        blocks += found
        failures += problems
    for b in blocks:
        if b.marker is None and not b.complete():
            failures.append(f'{b.where()}: a ```{b.lang} block that is not a complete program '
                            '(no main()): complete it, or mark it <!-- fragment --> if it is a '
                            'piece on purpose')
    if '--list' in sys.argv:
        for b in blocks:
            print(f'{b.where()}: {b.lang} {b.marker or ("run" if b.complete() else "INCOMPLETE")}')
        return 0

    work = tempfile.mkdtemp(prefix='zkit-docs-')
    keep = os.environ.get('ZKIT_KEEP_TEST_DIRS') == '1'
    server = None
    try:
        # Compile everything at once, one job per core.
        started = time.monotonic()
        jobs = compile_jobs([b for b in blocks if b.complete()], build, work)
        built = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = pool.map(lambda j: (j, run(j[2], dict(os.environ), work, timeout=300)), jobs)
            for (b, name, argv, exe), (rc, out) in results:
                if rc != 0:
                    failures.append(f'{b.where()}: {name} fails to compile it:\n{out}')
                elif name in ('g++', 'gcc'):
                    built[b.id] = exe
        for b in blocks:
            if b.marker and b.marker.startswith('not run') and b.lang == 'sh':
                rc, out = run(['bash', '-n', '-c', b.text], dict(os.environ), work)
                if rc != 0:
                    failures.append(f'{b.where()}: bash -n: {out}')
            if b.marker and b.marker.startswith('not run') and b.lang == 'python':
                try:
                    compile(b.text, b.where(), 'exec')
                except SyntaxError as e:
                    failures.append(f'{b.where()}: {e}')

        print(f'compiled in {time.monotonic() - started:.0f} s')
        started = time.monotonic()
        to_run = [b for b in blocks if b.runs() and b.complete() and
                  (b.lang in ('sh', 'python') or b.id in built)]
        zkit = os.path.join(build, 'tools', 'zkit', 'zkit')
        server = Server(zkit, work)
        shell_dir = os.path.join(work, 'shell')
        os.makedirs(os.path.join(shell_dir, 'bin'))
        os.symlink(build, os.path.join(shell_dir, 'build'))
        os.symlink(zkit, os.path.join(shell_dir, 'bin', 'zkit'))
        libdirs = ':'.join(os.path.join(build, d) for d in ('sdk', 'recipes', 'bindings/c'))
        pythonpath = os.path.join(build, 'bindings', 'python')

        def run_one(b):
            chroot = '/docs-' + b.id
            rc, out = run([zkit, '--connect', server.connect, 'create', '-p', chroot], dict(os.environ), work)
            if rc != 0:
                return b, 'setup', f'zkit create {chroot}: {out}'
            env = dict(os.environ, ZKIT_CONNECT=server.connect + chroot,
                       LD_LIBRARY_PATH=libdirs + ':' + os.environ.get('LD_LIBRARY_PATH', ''),
                       PYTHONPATH=pythonpath + ':' + os.environ.get('PYTHONPATH', ''),
                       PATH=os.path.join(shell_dir, 'bin') + ':' + os.environ['PATH'])
            if b.lang == 'sh':
                argv = ['bash', '-e', '-o', 'pipefail', '-c', b.text]
            elif b.lang == 'python':
                argv = ['/usr/bin/python3', '-c', b.text]
            else:
                argv = [built[b.id]]
            rc, out = run(argv, env, shell_dir)
            return b, rc, out

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for b, rc, out in pool.map(run_one, to_run):
                if rc != 0:
                    failures.append(f'{b.where()}: the {b.lang} program '
                                    f'{"timed out" if rc == "timeout" else f"exited {rc}"}:\n{out}')
                else:
                    print(f'ok - {b.where()} ({b.lang})')
        print(f'{len(to_run)} programs ran in {time.monotonic() - started:.0f} s '
              f'(the server included), {len(jobs)} compiles, '
              f'{sum(1 for b in blocks if b.marker == "fragment")} fragments')
    finally:
        if server:
            server.stop()
        if keep:
            print(f'docs_examples: kept {work}')
        else:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print(f'FAIL: {f}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
