#!/usr/bin/python3
"""Generates the API reference (docs/api/Doxyfile) and fails on any Doxygen warning.

Every public symbol of the public headers must be documented: each undocumented one, and each
comment Doxygen cannot read, is listed as file:line: text, so a new header's gaps are easy to
find. HTML goes to OUT_DIR/html.

usage: api_reference.py SOURCE_ROOT OUT_DIR
"""
import os
import re
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    root, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    doxygen = shutil.which('doxygen')
    if doxygen is None:
        raise SystemExit('api_reference: doxygen is missing: apt-get install doxygen')
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    p = subprocess.run([doxygen, os.path.join('docs', 'api', 'Doxyfile')], cwd=root,
                       env=dict(os.environ, ZKIT_DOXYGEN_OUT=out), capture_output=True, text=True)
    warnings = []
    for line in p.stderr.splitlines():
        line = line.strip()
        if not line:
            continue
        line = re.sub(r'^' + re.escape(root) + '/', '', line)
        warnings.append(line.replace(': error: ', ': ').replace(': warning: ', ': '))
    warnings = sorted(set(warnings), key=lambda w: [int(t) if t.isdigit() else t
                                                      for t in re.split(r'(\d+)', w)])
    if warnings or p.returncode != 0:
        print(f'api_reference: {len(warnings)} Doxygen warnings (document each public symbol '
              'with a comment right above it, or a trailing one after a member):', file=sys.stderr)
        for w in warnings:
            print(f'  {w}', file=sys.stderr)
        return 1
    print(f'api_reference: no warnings; {os.path.join(out, "html", "index.html")}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
