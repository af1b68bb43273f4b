# docs/python.md's kazoo conformance table is the known_failures.txt list, row for row.
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
KNOWN = HERE / "kazoo_conformance" / "known_failures.txt"
DOC = HERE.parent.parent.parent / "docs" / "python.md"


def known_failures():
    out = {}
    for line in KNOWN.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip()
    return out


def documented():
    text = DOC.read_text()
    section = text.split("## kazoo conformance", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| test |"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
        out[cells[0]] = cells[1]
    return out


def test_conformance_table_is_the_known_failures_list():
    known = known_failures()
    assert known, "known_failures.txt lists nothing"
    assert documented() == known
