#!/usr/bin/python3
"""Every relative link in README.md and the docs leads somewhere: the file exists, and an
anchor (`page.md#section`) names one of that page's headings, as GitHub spells them.

usage: docs_links.py SOURCE_ROOT
Exit status 0 when every link resolves; otherwise each broken one is printed as file:line.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from docs_examples import markdown_pages  # noqa: E402  the same pages as the examples

LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)\)')
HEADING = re.compile(r'^#{1,6}\s+(.*?)\s*#*\s*$')


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(path, cache={}):
    if path not in cache:
        found, fenced = set(), False
        counts = {}
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.lstrip().startswith('```'):
                    fenced = not fenced
                m = None if fenced else HEADING.match(line)
                if m:
                    s = slug(m.group(1))
                    n = counts.get(s, 0)
                    counts[s] = n + 1
                    found.add(s if n == 0 else f'{s}-{n}')
        cache[path] = found
    return cache[path]


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    root = os.path.abspath(sys.argv[1])
    broken, checked = [], 0
    for page in markdown_pages(root):
        full = os.path.join(root, page)
        fenced = False
        with open(full, encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                if line.lstrip().startswith('```'):
                    fenced = not fenced
                if fenced:
                    continue
                for target in LINK.findall(line):
                    if re.match(r'^[a-z]+:', target):  # http:, https:, mailto:
                        continue
                    checked += 1
                    file_part, _, anchor = target.partition('#')
                    dest = os.path.normpath(os.path.join(os.path.dirname(full), file_part)) \
                        if file_part else full
                    if not os.path.exists(dest):
                        broken.append(f'{page}:{number}: {target}: no such file')
                    elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
                        broken.append(f'{page}:{number}: {target}: no heading #{anchor} there')
    for b in broken:
        print(f'FAIL: {b}', file=sys.stderr)
    print(f'docs_links: {checked} links, {len(broken)} broken')
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main())
