"""scrim.Store: admission by consent from Python (SQLite here; PostgreSQL too when
SCRIM_TEST_PG_URL is set, as the Rust store tests do), lineage columns, pickling, and a dataset
written from its rows that `scrim datasets register` adopts so that forget and compact reach it."""

import base64
import doctest
import json
import os
import pathlib
import pickle
import subprocess
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import scrim

from test_scrim import KEY, scrim_binary

MASTER = base64.b64encode(bytes(range(32))).decode()


def subjects(*names):
    """Subjects unique to this run (the PostgreSQL test database is shared between runs)."""
    tag = uuid.uuid4().hex[:8]
    return [f"{n}-{tag}" for n in names]


def store_url(tmp_path, backend):
    if backend == "sqlite":
        return str(tmp_path / "store.db")
    server = os.environ.get("SCRIM_TEST_PG_URL")
    if not server:
        pytest.skip("SCRIM_TEST_PG_URL is not set (PostgreSQL runs where tools/test.sh starts it)")
    return server


def batch(ann, bob, cy, dee):
    return pa.table(
        {
            "id": ["1", "2", "3", "4", "5"],
            "subject": [ann, bob, cy, dee, ann],
            "source": ["ai_chat", "ai_chat", "dm", "ai_chat", "ai_chat"],
            "text": ["hi, I'm Priya Sharma", "hi", "hi", None, "call +1 206 555 0143"],
            "n": [1, 2, 3, 4, 5],
        }
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_admit_arrow_by_consent_with_lineage(tmp_path, backend):
    url = store_url(tmp_path, backend)
    who = subjects("ann", "bob", "cy", "dee")
    store = scrim.Store(url, master_key=MASTER)
    store.set_consent(who[1], "training", "deny")
    a = store.admit(batch(*who), purpose="training")
    assert len(a) == 2
    assert a.indices == [0, 4]
    assert a.excluded == {"opted_out": 1, "source_forbids_purpose": 1}
    assert a.quarantined == {"no_messages_or_text": 1}
    rows = a.rows
    assert isinstance(rows, pa.RecordBatch)
    assert rows.column("id").to_pylist() == ["1", "5"]
    assert rows.column("n").to_pylist() == [1, 5]
    # Subjects leave as lineage ids, never the source system's ids.
    assert rows.column("subject").to_pylist() == a.subject_ids
    assert a.subject_ids[0] == a.subject_ids[1] and a.subject_ids[0].startswith("s_")
    assert all(r.startswith("r_") for r in a.record_ids)
    # Redact, then add the lineage columns.
    out = scrim.Redactor(key=KEY).redact_arrow(a.rows)
    lined = a.with_lineage(out)
    assert lined.schema.names[-2:] == ["scrim_subject", "scrim_record"]
    assert lined.column("scrim_record").to_pylist() == a.record_ids
    assert lined.column("text").to_pylist() == ["hi, I'm [PERSON_1]", "call [PHONE_1]"]
    # The same store from a pickle (a worker) gives the same lineage ids.
    again = pickle.loads(pickle.dumps(store))
    b = again.admit(batch(*who), purpose="training")
    assert b.subject_ids == a.subject_ids and b.record_ids == a.record_ids


def test_admit_records_and_errors(tmp_path):
    store = scrim.Store(str(tmp_path / "s.db"), master_key=MASTER)
    store.set_consent("bob", "*", "deny")
    records = [
        {"id": 1, "subject": "ann", "source": "ai_chat", "text": "hi"},
        {"id": 2, "subject": "bob", "source": "ai_chat", "text": "hi"},
        {"id": 3, "subject": 7, "source": "ai_chat", "text": "hi"},
        {"id": 4, "source": "ai_chat", "text": "no subject"},
    ]
    a = store.admit(records, purpose="training")
    assert [r["id"] for r in a.rows] == [1]
    # The default governance policy wants a subject for training.
    assert a.excluded == {"opted_out": 1, "no_subject": 1}
    assert a.quarantined == {"bad_subject": 1}
    assert records[0]["subject"] == "ann", "the input is not changed"
    assert a.rows[0]["subject"] == a.subject_ids[0]
    with pytest.raises(scrim.ConfigError) as e:
        store.admit(records, purpose="no-such-purpose")
    assert e.value.code == "unknown_purpose"
    with pytest.raises(scrim.RecordError) as e:
        store.admit(["Priya Sharma"], purpose="training")
    assert "Priya" not in str(e.value)
    with pytest.raises(scrim.ConfigError) as e:
        scrim.Store(str(tmp_path / "t.db"), master_key="not base64 at all!")
    assert e.value.position == "master_key"
    monkey = dict(os.environ)
    try:
        os.environ.pop("SCRIM_MASTER_KEY", None)
        os.environ.pop("SCRIM_MASTER_KEY_FILE", None)
        with pytest.raises(scrim.ConfigError) as e:
            scrim.Store(str(tmp_path / "t.db"))
        assert e.value.code == "no_master_key"
    finally:
        os.environ.clear()
        os.environ.update(monkey)
    with pytest.raises(scrim.StoreError) as e:
        scrim.Store("postgres://nobody:secret-pw@127.0.0.1:1/x", master_key=MASTER)
    assert "secret-pw" not in str(e.value)


def test_docstring_examples_run():
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    test = parser.get_doctest(scrim.Store.__doc__ or "", {}, "Store", None, 0)
    assert len(test.examples) >= 4
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_an_engine_dataset_is_registered_forgotten_and_compacted(tmp_path):
    """Rows admitted and redacted in Python, written as Parquet files with their lineage
    columns, registered with `scrim datasets register`: `forget` finds the shards and `compact`
    removes exactly the forgotten subject's rows."""
    binary = scrim_binary()
    if binary is None:
        if os.environ.get("SCRIM_PY_REQUIRE_CLI") == "1":
            pytest.fail("no scrim binary (build it with cargo build -p scrim-cli, or set SCRIM_BIN)")
        pytest.skip("no scrim binary built")
    db = str(tmp_path / "store.db")
    keyfile = tmp_path / "master.key"
    keyfile.write_text(MASTER + "\n")
    store = scrim.Store(db, master_key_file=str(keyfile))
    r = scrim.Redactor(key=KEY)
    out = tmp_path / "out"
    out.mkdir()
    table = pa.table(
        {
            "id": [str(i) for i in range(12)],
            "subject": ["ann", "bob", "cy"] * 4,
            "source": ["ai_chat"] * 12,
            "text": [f"message {i} from Priya Sharma" for i in range(12)],
        }
    )
    lids = {}
    for part, batch in enumerate(table.to_batches(max_chunksize=4)):
        a = store.admit(batch, purpose="training")
        for i, lid in zip(a.indices, a.subject_ids):
            lids[batch.column("subject")[i].as_py()] = lid
        pq.write_table(pa.Table.from_batches([a.with_lineage(r.redact_arrow(a.rows))]), out / f"part-{part:05d}.parquet")
    env = dict(os.environ, SCRIM_STORE=db, SCRIM_MASTER_KEY_FILE=str(keyfile))
    run = lambda *args: subprocess.run([str(binary), *args], env=env, capture_output=True, text=True, check=True)
    done = run("datasets", "register", str(out), "--purpose", "training", "--json")
    info = json.loads(done.stdout)
    assert info["shards"] == 3 and info["records"] == 12
    before = pq.read_table(out / "part-00001.parquet").to_pylist()
    forgot = run("forget", "bob", "--json")
    assert len(json.loads(forgot.stdout)["holdings"]) == 3
    run("compact", "--all")
    manifest = json.loads((out / "_scrim_manifest.json").read_text())
    assert [sh["file"] for sh in manifest["shards"]] == [f"shard-{n:05d}.g1.parquet" for n in range(3)]
    assert not (out / "part-00001.parquet").exists()
    after = pq.read_table(out / manifest["shards"][1]["file"]).to_pylist()
    assert after == [row for row in before if row["scrim_subject"] != lids["bob"]]
    assert len(after) == len(before) - 2
    total = sum(len(sh["lines"]) for sh in manifest["shards"])
    assert total == 8
    # Readers of the directory as a table skip the manifest (its name starts with `_`).
    assert pq.read_table(out).num_rows == 8
