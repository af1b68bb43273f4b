# The stubs name every public attribute of zkit.Client with the runtime's parameters.
import ast
import inspect
import pathlib

import zkit


def _stub_methods():
    tree = ast.parse(pathlib.Path(zkit.__file__).with_name("__init__.pyi").read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Client":
            return {f.name: [a.arg for a in f.args.args] for f in node.body if isinstance(f, ast.FunctionDef)}
    raise AssertionError("no Client in the stubs")


def test_stubs_match_client():
    stubs = _stub_methods()
    public = {n: m for n, m in inspect.getmembers(zkit.Client) if not n.startswith("_") or n in ("__init__", "__enter__", "__exit__")}
    for name, member in public.items():
        assert name in stubs, "zkit.Client.%s has no stub" % name
        if inspect.isfunction(member):
            params = list(inspect.signature(member).parameters)
            params = [p for p in params if p not in ("exc",)]
            assert [p for p in stubs[name] if p != "exc"] == params, name
    for name in stubs:
        assert name in public, "stub for missing zkit.Client.%s" % name
