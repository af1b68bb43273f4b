#!/usr/bin/python3
"""The forms zkit cannot make safe fail to compile, with a message that says what to write.

Usage: refused_forms.py <source root> <compiler command...>
Each snippet is compiled with -fsyntax-only; a refused one must fail with its message, an
accepted one must compile (so the refusals are not a broken header).
"""
import os
import subprocess
import sys
import tempfile

root = sys.argv[1]
cxx = sys.argv[2:]
version = subprocess.run(cxx + ['-dumpfullversion'], capture_output=True, text=True).stdout.strip()
is_clang = 'clang' in subprocess.run(cxx + ['--version'], capture_output=True, text=True).stdout
old_gcc = not is_clang and int(version.split('.')[0]) < 13

PRELUDE = '''#include "zkit/zkit.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"
zkit::Task<void> f(zkit::Session& s, zkit::recipes::ServiceRegistry& reg) {
  (void)s;
  (void)reg;
'''

# (name, body, refused?, message the refusal must contain)
CASES = [
    ('capturing lambda inside co_await',
     'auto sp = std::make_shared<int>(); auto r = co_await s.exists("/a", [sp](const zkit::WatchEvent&) { ++*sp; }); (void)r;',
     old_gcc, 'name it first'),
    ('named capturing watcher',
     'auto sp = std::make_shared<int>(); zkit::Watcher w = [sp](const zkit::WatchEvent&) { ++*sp; };'
     ' auto r = co_await s.exists("/a", std::move(w)); (void)r;',
     False, ''),
    ('reference-capturing lambda inside co_await',
     'int n = 0; auto r = co_await s.get("/a", [&n](const zkit::WatchEvent&) { ++n; }); (void)r;',
     False, ''),
    ('options in place inside co_await',
     'auto r = co_await s.create("/a", "", {.mode = zkit::CreateMode::ephemeral}); (void)r;',
     False, ''),
    ('ACL list built in place',
     'auto r = co_await s.create("/a", "", {.acl = zkit::AclList{}}); (void)r;',
     True, 'name the AclList in a variable'),
    ('instance in place inside co_await',
     'auto r = co_await reg.register_instance({.name = "svc", .id = "i-1", .port = 9000}); (void)r;',
     False, ''),
    ('named ServiceInstance moved in',
     'zkit::recipes::ServiceInstance me; auto r = co_await reg.register_instance(std::move(me)); (void)r;',
     False, ''),
]

failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, body, refused, message in CASES:
        src = os.path.join(tmp, 'snippet.cpp')
        with open(src, 'w') as f:
            f.write(PRELUDE + '  ' + body + '\n}\n')
        cmd = cxx + ['-std=c++20', '-fsyntax-only', '-Wall', '-Wextra', '-Werror',
                     '-I' + os.path.join(root, 'sdk/include'), '-I' + os.path.join(root, 'recipes/include'), src]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if refused:
            ok = p.returncode != 0 and message in p.stderr
            what = 'refused with "%s"' % message
        else:
            ok = p.returncode == 0
            what = 'compiles'
        print('%s: %s: %s' % ('ok' if ok else 'FAIL', name, what))
        if not ok:
            failed += 1
            print(p.stderr[-2000:])
sys.exit(1 if failed else 0)
