#!/usr/bin/python3
"""Writes the fuzzers' seed corpus (test/fuzz/corpus) from the server frames in
test/proto/golden_frames.hpp, which capture_golden.py captured from a live ZooKeeper 3.8 server.

    /usr/bin/python3 test/fuzz/seed_corpus.py

Every server frame (a name ending in Reply, Response or Notification) becomes one file, whole
(length prefix included), in corpus/frame and corpus/reply; the connect responses also go to
corpus/connect. Files that a fuzzer found (crash-*, named by what they broke) are kept.
The SASL and TLS seeds come from their own captures: capture_sasl.py and capture_tls.py.
"""

import pathlib
import re

here = pathlib.Path(__file__).resolve().parent
golden = (here.parent / "proto" / "golden_frames.hpp").read_text()

frames = {}
for name, body in re.findall(r"inline constexpr std::string_view (k\w+) =\s*((?:\"[0-9a-f]*\"\s*)+);", golden):
    frames[name] = bytes.fromhex("".join(re.findall(r"\"([0-9a-f]*)\"", body)))

def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name[1:]).lower()

server = {n: f for n, f in frames.items() if re.search(r"(Reply|Response|Notification\d*)$", n)}
for target in ("frame", "reply", "connect"):
    out = here / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("golden-*"):
        old.unlink()
for name, frame in sorted(server.items()):
    targets = ["frame", "connect" if name.endswith(("ConnectResponse", "ReconnectResponse")) else "reply"]
    for target in targets:
        (here / "corpus" / target / f"golden-{snake(name)}").write_bytes(frame)
# The splitter also sees several frames in one read.
(here / "corpus" / "frame" / "golden-several").write_bytes(b"".join(server[n] for n in sorted(server)[:4]))
print(f"{len(server)} server frames written")
