#!/usr/bin/python3
"""Doxygen INPUT_FILTER: lets the headers keep their plain comments (STYLE.md: `//` above a
declaration says what it is) and still count as documentation.

Reads one header (the path doxygen passes), writes it to stdout with, line for line (so
warnings keep their file:line):
- a run of `//` (or `/* */`) comment lines directly above a declaration -> `///` (`/**`);
- a trailing `// text` after a member or enumerator -> `///< text`;
- the declarations that directly follow a documented one, with no blank line between (the
  overloads a comment covers as a group) -> prefixed with that comment's first sentence;
- the header's opening comment (above `#pragma once` / the include guard) -> the file's doc.
Comments inside function bodies are left alone. A comment followed by a blank line (a section
heading) documents nothing, as before.
"""
import re
import sys

SCOPE = re.compile(r'\b(namespace|class|struct|union|enum)\b|extern\s+""')  # after strip_code


def strip_code(line):
    """The line without string literals and comments, for brace counting."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    line = re.sub(r'/\*.*?\*/', '', line)
    return line.split('//')[0]


def comment_pos(line):
    """Where a comment starts in the line, outside string and character literals."""
    quote = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == '\\':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in '"\'':
            quote = ch
        elif line.startswith('//', i) or line.startswith('/*', i):
            return i
        i += 1
    return None


def first_sentence(text):
    text = ' '.join(text.split())
    m = re.match(r'(.+?[.:;])(\s|$)', text)
    out = m.group(1) if m else text
    return out.replace('*/', '* /')


def escape(comment):
    """Comment text as doxygen should print it: `<user>`, `md#anchor` are not markup here."""
    comment = re.sub(r'<(?=[A-Za-z_])', r'\\<', comment)
    return re.sub(r'#(?=\w)', r'\\#', comment)


def special_member_doc(s):
    """What a defaulted comparison or a deleted/defaulted copy or move member says by itself."""
    if re.match(r'friend\s+(bool|auto)\s+operator(==|<=>)\(.*\)\s*=\s*default;', s):
        return 'Compares member by member.'
    m = re.match(r'(\w+)\s*\((const\s+)?(\w+)\s*(&&?)\s*\w*\)\s*(noexcept)?\s*(?:=\s*(delete|default))?\s*[;{:]', s)
    if m and m.group(1) == m.group(3):
        return ('Not copyable.' if m.group(4) == '&' else 'Not movable.') if m.group(6) == 'delete' \
            else ('Copies.' if m.group(4) == '&' else 'Moves.')
    m = re.match(r'(\w+)&\s*operator=\((const\s+)?(\w+)\s*(&&?)\s*\w*\)\s*(noexcept)?\s*(?:=\s*(delete|default))?\s*[;{:]', s)
    if m and m.group(1) == m.group(3):
        return ('Not copy-assignable.' if m.group(4) == '&' else 'Not move-assignable.') \
            if m.group(6) == 'delete' else ('Copy-assigns.' if m.group(4) == '&' else 'Move-assigns.')
    return None


def opening_subject(lines, first):
    """What a header's opening comment documents: the class it starts by naming
    ("// zkit::recipes::Mutex: a lock ..."), else the file itself."""
    m = re.match(r'^\s*//+\s*((?:\w+::)*)(\w+)(?:<[^>]*>)?:', first)
    if m:
        name = m.group(2)
        for n, line in enumerate(lines):
            if re.match(r'^\s*(class|struct)\s+' + name + r'\b(?!.*;\s*$)', line):
                qual = m.group(1)
                if not qual:
                    spaces = [re.match(r'^\s*namespace\s+([\w:]+)\s*\{', l) for l in lines[:n]]
                    spaces = [x.group(1) for x in spaces if x]
                    qual = spaces[-1] + '::' if spaces else ''
                return f'\\class {qual}{name}'
    return '@file'


def decl_name(lines, k):
    """The name a declaration starting at line k declares (a function's name, skipping a
    template head and requires-clause), or None."""
    while k < len(lines) and re.match(r'\s*(template\b|requires\b)', lines[k]):
        k += 1
    if k >= len(lines):
        return None
    code = strip_code(lines[k])
    m = re.search(r'(operator\s*\S+?|~?\w+)\s*\(', code)
    return m.group(1) if m else None


def filter_lines(lines):
    out = list(lines)
    n = len(lines)
    stack = []  # True: a scope brace (namespace/class/enum...), False: a body or initializer
    # Opening file comment: the comment lines before the first preprocessor/code line.
    i = 0
    while i < n and not lines[i].strip():
        i += 1
    if i < n and lines[i].lstrip().startswith('//'):
        j = i
        while j < n and lines[j].lstrip().startswith('//'):
            out[j] = re.sub(r'^(\s*)//+', r'\1///', lines[j])
            j += 1
        out[j - 1] = out[j - 1].rstrip() + ' ' + opening_subject(lines, lines[i])
        start = j
    elif i < n and lines[i].lstrip().startswith('/*'):
        j = i
        while j < n and '*/' not in lines[j]:
            j += 1
        out[i] = lines[i].replace('/*', '/**', 1)
        out[j] = lines[j].replace('*/', '@file */', 1)
        start = j + 1
    else:
        start = i

    in_block = False
    k = start
    pending = None  # (first sentence, brace depth) of the documented group we are in
    prev_ended = True
    while k < n:
        line = lines[k]
        s = line.strip()
        at_scope = all(stack)
        if s.startswith('//') and not s.startswith('///') and at_scope:
            j = k
            while j < n and lines[j].strip().startswith('//'):
                j += 1
            if j < n and lines[j].strip() and not lines[j].strip().startswith('#'):
                text = ' '.join(re.sub(r'^\s*//+', '', lines[x]) for x in range(k, j))
                for x in range(k, j):
                    out[x] = re.sub(r'^(\s*)//+', r'\1///', lines[x])
                pending = (first_sentence(text), len(stack), decl_name(lines, j))
                prev_ended = False
            else:
                pending = None
            k = j
            continue
        if s.startswith('/*') and not s.startswith('/**') and at_scope:
            j = k
            while j < n and '*/' not in lines[j]:
                j += 1
            nxt = lines[j + 1].strip() if j + 1 < n else ''
            if nxt and not nxt.startswith('/') and (not nxt.startswith('#') or nxt.startswith('#define')):
                out[k] = line.replace('/*', '/**', 1)
                text = ' '.join(lines[x] for x in range(k, j + 1))
                text = re.sub(r'/\*+|\*/|^\s*\*', ' ', text)
                pending = (first_sentence(text), len(stack), decl_name(lines, j + 1))
                prev_ended = False
            else:
                pending = None
            k = j + 1
            continue
        if not s:
            pending = None
            prev_ended = True
            k += 1
            continue
        code = strip_code(line)
        trailing = None
        if at_scope and not s.startswith(('//', '/*')) and (not s.startswith('#') or s.startswith('#define')):
            # Trailing comment on a member, enumerator or declaration at scope level.
            pos = comment_pos(line)
            if pos is not None and line[:pos].strip():
                if line.startswith('//', pos) and not line.startswith('///', pos):
                    trailing = line[:pos] + '///< ' + line[pos + 2:].lstrip()
                elif line.startswith('/*', pos) and not line.startswith('/**', pos):
                    trailing = line[:pos] + '/**<' + line[pos + 2:]
        special = special_member_doc(s) if at_scope else None
        overload = (pending and prev_ended and len(stack) == pending[1] and at_scope
                    and pending[2] is not None
                    and decl_name(lines, k) in (pending[2], pending[2] + '_async')
                    and not s.startswith(('}', 'public:', 'private:', 'protected:', '//', '/*'))
                    and (not s.startswith('#') or s.startswith('#define')))
        if trailing is not None:
            out[k] = trailing
        elif overload:
            # A declaration right after a documented one of the same name: its overload.
            indent = line[:len(line) - len(line.lstrip())]
            out[k] = f'{indent}/** {pending[0]} */ {line.lstrip()}'
        elif special:
            indent = line[:len(line) - len(line.lstrip())]
            out[k] = f'{indent}/** {special} */ {line.lstrip()}'
        for ch in code:
            if ch == '{':
                stack.append(bool(SCOPE.search(code)) or code.strip().startswith('{') and all(stack) and
                             bool(SCOPE.search(lines[k - 1] if k else '')))
            elif ch == '}':
                if stack:
                    stack.pop()
        c = code.rstrip()
        prev_ended = c.endswith((';', '}', '};')) or c == '' and prev_ended
        k += 1
    return out


def escape_docs(out):
    """Escapes markup-looking text in the doc comments of the filtered lines."""
    in_block = False
    for i, line in enumerate(out):
        if in_block:
            end = line.find('*/')
            out[i] = escape(line) if end < 0 else escape(line[:end]) + line[end:]
            in_block = end < 0
            continue
        pos = comment_pos(line)
        if pos is None:
            continue
        if line.startswith(('///', '/**'), pos):
            end = line.find('*/', pos + 3) if line.startswith('/**', pos) else -1
            if line.startswith('/**', pos) and end < 0:
                in_block = True
                out[i] = line[:pos] + escape(line[pos:])
            elif end >= 0:
                out[i] = line[:pos] + escape(line[pos:end]) + line[end:]
            else:
                out[i] = line[:pos] + escape(line[pos:])
    return out


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        lines = f.read().split('\n')
    sys.stdout.write('\n'.join(escape_docs(filter_lines(lines))))


if __name__ == '__main__':
    main()
