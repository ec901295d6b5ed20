"""The engine examples (examples/spark, examples/ray, examples/huggingface), run for real as a
user runs them, on a few dozen rows: their outputs equal `scrim redact`'s for the same input and
key, row for row, and with the store an opted-out subject is absent from Spark's output, which
`scrim datasets register` then makes reachable by `forget` and `compact`.

The engines are installed by tools/test-py.sh (pinned); where one is missing the test is skipped,
unless SCRIM_PY_REQUIRE_ENGINES=1 (tools/test.sh, CI) makes that a failure."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import scrim

from test_scrim import KEY, ROOT, scrim_binary
from test_store import MASTER

EXAMPLES = ROOT / "examples"
# A safety net against a hung engine, never a wait: each run ends on its own in seconds.
TIMEOUT = 900


def need(module, what=None):
    missing = importlib.util.find_spec(module) is None
    if not missing and module == "pyspark" and shutil.which("java") is None:
        missing, what = True, "Java (Debian's openjdk-17-jre-headless)"
    if missing:
        message = f"{what or module} is not installed (tools/test-py.sh installs the engines)"
        if os.environ.get("SCRIM_PY_REQUIRE_ENGINES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def cli():
    binary = scrim_binary()
    if binary is None:
        if os.environ.get("SCRIM_PY_REQUIRE_CLI") == "1":
            pytest.fail("no scrim binary (build it with cargo build -p scrim-cli, or set SCRIM_BIN)")
        pytest.skip("no scrim binary built")
    return binary


def order(rows):
    """Rows in a stable order: by id, then quarantine reason (rows not written have no id)."""
    return sorted(rows, key=lambda r: (r["id"] or "", r["quarantine"] or ""))


class Data:
    """36 conversations of six subjects, one private message, one row with no messages."""

    def __init__(self, root):
        self.dir = root
        self.tag = uuid.uuid4().hex[:8]
        self.subjects = [f"user-{n}-{self.tag}" for n in range(6)]
        names = ["Priya Sharma", "Oskar Lindqvist", "Amara Okafor", "Chen Wei", "Lucía Gómez", "Tom Becker"]
        rows = []
        for i in range(36):
            n = i % 6
            rows.append(
                {
                    "id": f"c{i:02d}",
                    "subject": self.subjects[n],
                    "source": "dm" if i == 7 else "ai_chat",
                    "messages": [
                        {
                            "role": "user",
                            "content": f"hi 👋 I'm {names[n]}, call +1 206 555 01{i:02d} or mail "
                            f"{names[n].split()[0].lower()}{i}@example.com",
                        },
                        {"role": "assistant", "content": f"Hello {names[n].split()[0]}!"},
                    ],
                }
            )
        rows.append({"id": "c99", "subject": self.subjects[1], "source": "ai_chat", "messages": None})
        self.rows = rows
        self.input = root / "in.parquet"
        pq.write_table(pa.Table.from_pylist(rows), self.input)
        self.key = root / "scrim.key"
        self.key.write_text(KEY + "\n")
        out = root / "cli.parquet"
        subprocess.run(
            [str(cli()), "redact", str(self.input), "-o", str(out), "--key-file", str(self.key), "--quiet"],
            check=True,
            cwd=root,
        )
        self.cli = order(pq.read_table(out).to_pylist())
        assert len(self.cli) == 37


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return Data(tmp_path_factory.mktemp("engines"))


def run_example(script, *args, env=None):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=dict(os.environ, **(env or {})),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]


def test_ray_map_batches_on_an_actor_pool_equals_the_cli(data):
    need("ray")
    out = data.dir / "ray-out"
    run_example("ray/redact_ray.py", data.input, out, "--key-file", data.key, "--actors", "2")
    assert order(pq.read_table(out).to_pylist()) == data.cli


def test_datasets_map_batched_equals_the_cli(data):
    need("datasets")
    out = data.dir / "hf.parquet"
    env = {"HF_DATASETS_CACHE": str(data.dir / "hf-cache"), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    run_example(
        "huggingface/redact_datasets.py", data.input, out, "--key-file", data.key, "--num-proc", "2", env=env
    )
    assert order(pq.read_table(out).to_pylist()) == data.cli


def test_spark_with_the_store_leaves_out_opted_out_subjects(data):
    need("pyspark")
    binary = cli()
    # PostgreSQL where tools/test.sh started it (CI), else a SQLite file.
    url = os.environ.get("SCRIM_TEST_PG_URL") or str(data.dir / "store.db")
    master = data.dir / "master.key"
    master.write_text(MASTER + "\n")
    store = scrim.Store(url, master_key_file=str(master))
    gone = data.subjects[3]
    store.set_consent(gone, "training", "deny")
    out = data.dir / "spark-store"
    run_example(
        "spark/redact_spark.py", data.input, out, "--key-file", data.key,
        "--store", url, "--purpose", "training", "--master-key-file", master,
    )
    rows = order(pq.read_table(out).to_pylist())
    admitted = {
        r["id"] for r in data.rows if r["subject"] != gone and r["source"] == "ai_chat" and r["messages"]
    }
    assert {r["id"] for r in rows} == admitted
    assert not any(r["id"] in {x["id"] for x in data.rows if x["subject"] == gone} for r in rows)
    # Row for row what the CLI wrote for the same input and key; the subject leaves as its
    # lineage id (as a store-backed `scrim redact` writes it), with the lineage columns.
    by_id = {r["id"]: r for r in data.cli}
    for r in rows:
        lid, record = r.pop("scrim_subject"), r.pop("scrim_record")
        assert r["subject"] == lid and lid.startswith("s_") and record.startswith("r_")
        expected = dict(by_id[r["id"]], subject=lid)
        assert r == expected
    # The output, registered, is reached by forget and compact.
    env = dict(os.environ, SCRIM_STORE=url, SCRIM_MASTER_KEY_FILE=str(master))
    scrim_ = lambda *a: subprocess.run([str(binary), *map(str, a)], env=env, capture_output=True, text=True, check=True).stdout
    reg = json.loads(scrim_("datasets", "register", out, "--purpose", "training", "--name", f"spark-{data.tag}", "--json"))
    assert reg["records"] == len(rows)
    held = data.subjects[1]
    forgot = json.loads(scrim_("forget", held, "--json"))
    assert forgot["holdings"]
    scrim_("compact", f"spark-{data.tag}")
    left = pq.read_table(out).to_pylist()
    lid = next(r["subject"] for r in rows if r["id"] == "c01")
    assert len(left) == len(rows) - sum(1 for r in rows if r["subject"] == lid)
    assert all(r["scrim_subject"] != lid for r in left)
