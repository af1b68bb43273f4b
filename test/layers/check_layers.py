#!/usr/bin/python3
"""Checks the include rules between zkit's layers (docs/architecture.md, "Layers").

Each rule names a folder and what its files may include with quotes: a list of allowed
prefixes. System headers (<...>) are free, except where a rule forbids one (libuv in recipes).
Prints every violation as file:line and exits 1 when there is any.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

# The public value types: what every layer may see.
VALUE_TYPES = ["zkit/types.hpp", "zkit/error.hpp", "zkit/result.hpp", "zkit/multi.hpp", "zkit/function.hpp",
               "zkit/options.hpp", "zkit/log.hpp"]
PUBLIC_SDK = [p.relative_to(ROOT / "sdk/include").as_posix() for p in (ROOT / "sdk/include").rglob("*.hpp")]
PUBLIC = PUBLIC_SDK + ["zkit/recipes", "zkit/testing/"]
PRIVATE_DIRS = ["proto/", "net/", "watch/", "session/", "api/", "uv/", "metrics/"]

RULES = [
    # folder, allowed quoted includes (prefixes), forbidden system includes, why
    ("sdk/src/proto", ["proto/"] + VALUE_TYPES, [], "the codec depends on nothing but itself and the value types"),
    ("sdk/src/net", ["net/", "proto/", "zkit/uv/"] + VALUE_TYPES, [], "the transport knows frames, not requests"),
    ("sdk/src/watch", ["watch/", "proto/", "zkit/watch.hpp"] + VALUE_TYPES, ["uv.h"],
     "the watch manager is plain logic below the session"),
    ("sdk/src/metrics", ["metrics/", "proto/", "zkit/metrics.hpp"] + VALUE_TYPES, [],
     "the metrics are counters below the session: they know opcodes, not requests"),
    ("sdk/src/session", ["session/", "watch/", "net/", "proto/", "metrics/", "zkit/watch.hpp", "zkit/metrics.hpp",
                         "zkit/uv/"] + VALUE_TYPES, [],
     "the session sits below the public API (never zkit/session.hpp)"),
    ("sdk/src/uv", ["zkit/uv/"] + VALUE_TYPES, [], "the libuv helpers stand alone"),
    ("recipes", ["zkit/"], ["uv.h"], "recipes use the public API only, and no libuv"),
    ("tools", ["zkit/"], [], "tools use public headers only"),
]


def own_header(rule_dir, path, name):
    """A header of the same component: beside the file, or in the component's shared folders."""
    return any((base / name).exists() for base in (path.parent, ROOT / "tools/common", ROOT / "recipes/src"))


def quoted_ok(rule_dir, path, name, allowed):
    if rule_dir in ("recipes", "tools"):
        if name.startswith("zkit/"):
            public = any(name == p or name.startswith(p) for p in PUBLIC)
            return public and not (rule_dir == "recipes" and name.startswith("zkit/uv/"))
        return not any(name.startswith(d) for d in PRIVATE_DIRS) and own_header(rule_dir, path, name)
    return any(name == a or name.startswith(a) for a in allowed)


def main():
    problems = []
    for rule_dir, allowed, forbidden, why in RULES:
        for path in sorted((ROOT / rule_dir).rglob("*")):
            if path.suffix not in (".hpp", ".cpp", ".h"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                kind, name = m.groups()
                bad = (name in forbidden) if kind == "<" else not quoted_ok(rule_dir, path, name, allowed)
                if bad:
                    shown = f"<{name}>" if kind == "<" else f'"{name}"'
                    problems.append(f"{path.relative_to(ROOT)}:{number}: includes {shown}: {why}")
    for p in problems:
        print(p)
    print(f"layers: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
