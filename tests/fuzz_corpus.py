"""A reproducible corpus of mostly-bad scenario files for the loader's fuzz tests.

Hand-rolled with a seeded random.Random rather than hypothesis because the tests
need a fixed list of 10,000 files (also reused through the window's Open path),
not a shrinking search.
"""

from __future__ import annotations

import json
import random

from forecaster.io import dumps_scenario, list_presets, load_preset

WEIRD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    -0.0,
    1e308,
    -1e308,
    5e-324,
    10**20,
    -(10**20),
    "",
    "0",
    "NaN",
    "2020",
    " ",
    "\x00",
    "\u202e",
    "\ud7ff",
    "x" * 300,
    [],
    {},
    [1, 2],
    {"a": 1},
    [[[[]]]],
    2013,
    2051,
    1991,
    100.0,
    200_001,
    36.6,
]


def _valid_docs() -> list[dict]:
    return [json.loads(dumps_scenario(load_preset(name))) for name in list_presets()]


def _random_json(rng: random.Random, depth: int = 0):
    kind = rng.randrange(7 if depth < 4 else 4)
    if kind == 0:
        return rng.choice(WEIRD_VALUES)
    if kind == 1:
        return rng.uniform(-1e6, 1e6)
    if kind == 2:
        return rng.randrange(-(10**6), 10**6)
    if kind == 3:
        return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(12)))
    if kind == 4:
        return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {
        str(_random_json(rng, 4)): _random_json(rng, depth + 1) for _ in range(rng.randrange(4))
    }


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


def _mutate(rng: random.Random, doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))
    for _ in range(rng.randrange(1, 4)):
        paths = [p for p in _paths(doc) if p]
        path = rng.choice(paths)
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = rng.randrange(4)
        if action == 0:
            parent[path[-1]] = rng.choice(WEIRD_VALUES)
        elif action == 1:
            parent[path[-1]] = _random_json(rng)
        elif action == 2:
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(["extra", "Growth", "shock", "", "parameters "])] = _random_json(rng)
        else:
            parent.append(_random_json(rng))
    return doc


def _text_mutation(rng: random.Random, text: str) -> bytes:
    data = bytearray(text.encode("utf-8"))
    action = rng.randrange(4)
    if action == 0:
        return bytes(data[: rng.randrange(len(data))])
    if action == 1:
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if action == 2:
        token = rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e999", b"9" * 5000, b"\xff\xfe"])
        pos = rng.randrange(len(data))
        return bytes(data[:pos] + token + data[pos:])
    return text.replace('"growth_pct"', '"growth_pct": 1, "growth_pct"', 1).encode()


def generate(n: int, seed: int = 2014) -> list[bytes]:
    """n files: a third mutated documents, a third mutated text, the rest random JSON/bytes."""
    rng = random.Random(seed)
    valid = _valid_docs()
    out: list[bytes] = []
    for i in range(n):
        kind = i % 6
        if kind in (0, 1):
            out.append(json.dumps(_mutate(rng, rng.choice(valid))).encode())
        elif kind in (2, 3):
            out.append(_text_mutation(rng, json.dumps(rng.choice(valid), indent=2)))
        elif kind == 4:
            out.append(json.dumps(_random_json(rng)).encode())
        else:
            out.append(bytes(rng.randrange(256) for _ in range(rng.randrange(200))))
    return out


def generate_bad(n: int, seed: int = 2014) -> list[tuple[int, bytes]]:
    """(index, file) for each of ``generate(n, seed)`` that the loader refuses."""
    from forecaster.io import ScenarioFileError, loads_scenario

    bad = []
    for i, data in enumerate(generate(n, seed)):
        try:
            loads_scenario(data)
        except ScenarioFileError:
            bad.append((i, data))
    return bad
