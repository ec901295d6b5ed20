"""The Python binding, over an installed wheel (tools/test-py.sh builds it with maturin into a
venv and runs these): redaction, detection offsets, the Arrow batch API, pickling across
processes, errors without content, the docstrings' examples, and agreement with `scrim redact`."""

import doctest
import json
import multiprocessing
import os
import pathlib
import pickle
import subprocess
import threading
import time

import pyarrow as pa
import pytest

import scrim

KEY = "a test key that is long enough"
ROOT = pathlib.Path(__file__).resolve().parents[3]
# Keyed surrogates instead of placeholders, so that the key shows in the output.
SURROGATES = (ROOT / "policies/default.toml").read_text().replace(
    'PERSON = "placeholder"', 'PERSON = "surrogate"'
).replace('EMAIL = "placeholder"', 'EMAIL = "surrogate"')


@pytest.fixture(scope="module")
def r():
    return scrim.Redactor(key=KEY, threads=2)


# --- redact and detect ----------------------------------------------------------------------


def test_redact_keeps_shape_and_offsets_are_code_points(r):
    content = "😀😀 Привет, я Анна Петрова, пишите anna.petrova@example.com 🙏 or call +1 206 555 0143"
    rec = {"id": "c1", "messages": [{"role": "user", "content": content}]}
    out = r.redact(rec)
    text = out["messages"][0]["content"]
    assert "anna.petrova" not in text and "555 0143" not in text
    assert text.startswith("😀😀 ")
    reps = out["scrim"]["replacements"]
    labels = {x["label"] for x in reps}
    assert {"EMAIL", "PHONE"} <= labels
    for x in reps:
        # Python string indices into the original content: exactly the replaced value.
        found = content[x["start"] : x["end"]]
        assert found and found.strip() == found
    emails = [content[x["start"] : x["end"]] for x in reps if x["label"] == "EMAIL"]
    assert emails == ["anna.petrova@example.com"]
    assert out["scrim"]["policy"] == r.policy_hash
    assert rec["messages"][0]["content"] == content  # the input is not modified


def test_detect_offsets_with_emoji_and_non_latin_text(r):
    text = "👩‍👩‍👧 मेरा ईमेल priya.sharma@example.in है, फ़ोन +91 98765 43210 ☎️"
    spans = r.detect(text)
    got = {(s.label, text[s.start : s.end]) for s in spans}
    assert ("EMAIL", "priya.sharma@example.in") in got
    assert any(label == "PHONE" and "98765 43210" in v for label, v in got)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert 0.0 <= s.score <= 1.0 and s.rule
    assert isinstance(spans[0], scrim.Span)
    assert "priya" not in repr(spans)


def test_redact_many_keeps_order_and_never_drops(r):
    records = [
        {"id": "a", "text": "I'm Priya Sharma"},
        {"id": "b", "messages": [{"role": "user", "content": 7}]},
        {"id": "c", "source": "dm", "text": "a private message"},
        {"id": "d"},
        {"id": "e", "text": "nothing personal"},
    ]
    out = r.redact_many(iter(records))
    assert len(out) == len(records)
    assert out[0]["text"] == "I'm [PERSON_1]" and out[4]["text"] == "nothing personal"
    q = [o.get("quarantine") for o in out]
    assert q[0] is None and q[4] is None
    assert (q[1]["outcome"], q[1]["code"]) == ("quarantined", "content_not_string")
    assert (q[2]["outcome"], q[2]["code"]) == ("excluded", "source_forbids_purpose")
    assert q[3]["code"] == "no_messages_or_text"
    assert out == [r.redact(x) for x in records]


def test_big_integers_and_unicode_keys_survive(r):
    out = r.redact({"id": 2**80 + 1, "text": "hi", "ключ": "значение"})
    assert out["id"] == 2**80 + 1
    assert "ключ" in out


def test_threads_and_gil_released():
    r1 = scrim.Redactor(threads=1)
    assert r1.threads == 1
    r2 = scrim.Redactor(threads=2)
    records = [{"text": "I'm Priya Sharma, mail priya@example.com. " * 40}] * 200
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    start = time.perf_counter()
    t.start()
    out = r2.redact_many(records)
    end = time.perf_counter()
    done.set()
    t.join()
    assert len(out) == 200
    during = [x for x in ticks if start < x < end]
    # The other thread ran while Scrim worked: the GIL was released.
    assert (end - start) < 0.05 or len(during) >= 5, (end - start, len(during))


# --- Arrow ---------------------------------------------------------------------------------

MESSAGES = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))


def conversations():
    return pa.table(
        {
            "id": ["c1", "c2", "c3"],
            "messages": pa.array(
                [
                    [{"role": "user", "content": "I'm Priya Sharma 😀, mail priya@example.com"}],
                    None,
                    [{"role": "user", "content": "Меня зовут Анна, звоните +7 912 345-67-89"}],
                ],
                type=MESSAGES,
            ),
            "subject": ["u1", "u2", None],
            "turns": pa.array([1, None, 1], type=pa.int32()),
            "created_at": pa.array([1, 2, 3], type=pa.timestamp("s")),
        }
    )


def test_redact_arrow_messages_column(r):
    table = conversations()
    out = r.redact_arrow(table)
    assert isinstance(out, pa.RecordBatch)
    assert out.schema.names == table.schema.names + ["scrim", "quarantine"]
    assert out.num_rows == 3
    rows = out.to_pylist()
    first = rows[0]["messages"][0]["content"]
    assert "[PERSON_1]" in first and "😀" in first and "priya@" not in first
    assert "+7 912" not in rows[2]["messages"][0]["content"]
    assert rows[0]["turns"] == 1 and rows[0]["created_at"] is not None
    # A malformed row is kept, with its reason, and nothing of it passes on.
    assert rows[1]["quarantine"] == "no_messages_or_text: record has neither `messages` nor `text`"
    assert all(rows[1][c] is None for c in table.schema.names + ["scrim"])
    assert rows[0]["quarantine"] is None and rows[2]["quarantine"] is None
    # The scrim column is the record's scrim field, exactly as redact() gives it.
    as_dicts = r.redact_many(
        [{k: v for k, v in row.items() if v is not None and k != "created_at"} for row in table.to_pylist()]
    )
    scrim_field = json.loads(rows[0]["scrim"])
    assert scrim_field == as_dicts[0]["scrim"]
    assert rows[0]["messages"] == as_dicts[0]["messages"]
    # The canonical JSON extension type (pyarrow >= 19 reads it as pa.json_(); older ones keep
    # the field's metadata).
    field = out.schema.field("scrim")
    assert "json" in str(field.type) or field.metadata == {b"ARROW:extension:name": b"arrow.json"}


def test_redact_arrow_text_column_batches_and_streams(r):
    batch = pa.record_batch(
        {"id": pa.array([7, 8], pa.int64()), "text": ["mail jo.lee@example.org", "भारत में राहुल 98765 43210 पर"]}
    )
    out = r.redact_arrow(batch)
    texts = out.column("text").to_pylist()
    assert texts[0] == "mail [EMAIL_1]"
    assert "98765 43210" not in texts[1]
    assert out.column("id").to_pylist() == [7, 8]
    # A table of several chunks comes back as one batch, rows in order.
    table = pa.Table.from_batches([batch, batch])
    assert r.redact_arrow(table).column("text").to_pylist() == texts * 2

    # Any object with the Arrow PyCapsule interface, not only pyarrow's own types.
    class Stream:
        def __arrow_c_stream__(self, requested_schema=None):
            return table.__arrow_c_stream__(requested_schema)

    assert r.redact_arrow(Stream()).column("text").to_pylist() == texts * 2
    # No rows: the output still has every column.
    empty = r.redact_arrow(batch.slice(0, 0))
    assert empty.num_rows == 0 and empty.schema.names == ["id", "text", "scrim", "quarantine"]
    with pytest.raises(scrim.BatchError):
        r.redact_arrow(pa.table({"body": pa.array([], pa.string())}))


def test_redact_arrow_other_column_types(r):
    table = pa.table(
        {
            "text": ["I am Priya Sharma", "hello"],
            "source": pa.array(["ai_chat", "dm"]).dictionary_encode(),
            "meta": pa.array(
                [[("k", "Priya Sharma wrote this")], []], type=pa.map_(pa.string(), pa.string())
            ),
            "profile": pa.array([{"name": "Priya Sharma", "age": 41}, None]),
            "blob": pa.array([b"x", None], pa.binary()),
            "score": [0.5, 1.25],
        }
    )
    out = r.redact_arrow(table)
    assert out.schema.field("source").type == pa.string()  # a dictionary as its values
    assert out.schema.field("profile").type.field("age").type == pa.string()
    first, second = out.to_pylist()
    assert first["meta"] == [("k", "[PERSON_1] wrote this")]  # unknown fields are redacted
    assert first["profile"] is None  # the default policy drops profiles
    assert (first["blob"], first["score"], first["source"]) == (b"x", 0.5, "ai_chat")
    # A private message is excluded by the source rules, as `scrim redact` excludes it.
    assert second["quarantine"].startswith("source_forbids_purpose: ")
    assert all(second[c] is None for c in table.schema.names)


def test_redact_arrow_refusals_name_no_content(r):
    with pytest.raises(scrim.BatchError) as e:
        r.redact_arrow(pa.table({"body": ["Priya Sharma"]}))
    assert e.value.code == "no_text_column" and "Priya" not in str(e.value)
    with pytest.raises(scrim.BatchError) as e:
        r.redact_arrow(pa.table({"text": ["x"], "quarantine": ["Priya"]}))
    assert e.value.code == "reserved_column"
    with pytest.raises(scrim.BatchError) as e:
        r.redact_arrow(["Priya Sharma"])
    assert e.value.code == "not_arrow" and "Priya" not in str(e.value)


# --- pickling and processes ------------------------------------------------------------------


def _redact_in_child(blob, records, queue):
    r = pickle.loads(blob)
    queue.put(r.redact_many(records))


RECORDS = [
    {"id": "priya@example.com", "text": "I'm Priya Sharma, mail priya@example.com"},
    {"id": "c2", "messages": [{"role": "user", "content": "Anna Petrova here"}]},
]


def test_pickle_round_trip_and_same_pseudonyms_in_another_process():
    r = scrim.Redactor(policy=SURROGATES, key=KEY, threads=1)
    here = r.redact_many(RECORDS)
    assert here[0]["id"].startswith("id_") and "Priya" not in here[0]["text"]
    blob = pickle.dumps(r)
    assert pickle.loads(blob).redact_many(RECORDS) == here
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    p = ctx.Process(target=_redact_in_child, args=(blob, RECORDS, queue))
    p.start()
    there = queue.get(timeout=120)
    p.join(timeout=60)
    assert there == here
    # A fresh redactor with the same key agrees too; another key does not.
    assert scrim.Redactor(policy=SURROGATES, key=KEY).redact_many(RECORDS) == here
    other = scrim.Redactor(policy=SURROGATES, key=KEY + "!").redact_many(RECORDS)
    assert other[0]["id"] != here[0]["id"] and other[0]["text"] != here[0]["text"]


def test_random_key_travels_with_the_pickle():
    r = scrim.Redactor(policy=SURROGATES)
    again = pickle.loads(pickle.dumps(r))
    assert again.redact_many(RECORDS) == r.redact_many(RECORDS)
    assert scrim.Redactor(policy=SURROGATES).redact_many(RECORDS) != r.redact_many(RECORDS)
    assert again.tiers == ("rules",) and again.policy_hash == r.policy_hash


# --- errors ------------------------------------------------------------------------------------


def test_errors_have_codes_and_positions_never_content():
    secret = "Priya Sharma 98765 43210"
    cases = [
        (lambda: scrim.Redactor(key="short"), scrim.ConfigError, "key_too_short", "key"),
        (lambda: scrim.Redactor(tiers=["oracle"]), scrim.ConfigError, "unknown_tier", "tiers"),
        (lambda: scrim.Redactor(threads=0), scrim.ConfigError, "bad_threads", "threads"),
        (
            lambda: scrim.Redactor(policy=f"version = 1\n[labels]\nPERSON = \"{secret}\"\n"),
            scrim.PolicyError,
            "invalid_policy",
            None,
        ),
        (
            lambda: scrim.Redactor(policy=f"version = 1\n{secret} = [\n"),
            scrim.PolicyError,
            "invalid_policy",
            "line 2, column 7",
        ),
        (
            lambda: scrim.Redactor().redact_many([{"text": "ok"}, {"text": secret, "x": {secret}}]),
            scrim.RecordError,
            "not_json",
            "record 1",
        ),
        (lambda: scrim.Redactor().redact(secret), scrim.RecordError, "not_a_dict", "record 0"),
    ]
    for call, kind, code, position in cases:
        with pytest.raises(kind) as e:
            call()
        assert isinstance(e.value, scrim.ScrimError)
        assert e.value.code == code, (e.value.code, str(e.value))
        if position is not None:
            assert e.value.position == position, e.value.position
        for part in secret.split():
            assert part not in str(e.value), str(e.value)


def test_quarantine_reasons_never_quote_content(r):
    secret = "Priya Sharma"
    out = r.redact_many(
        [
            {"messages": [{"role": "user", "content": {"name": secret}}]},
            {"messages": secret},
            {"text": "hi", "profile": secret},
        ]
    )
    for o in out:
        assert secret not in json.dumps(o, ensure_ascii=False), o


# --- docstrings and the command line -----------------------------------------------------------


def test_docstring_examples_run():
    objects = [
        scrim,
        scrim._scrim,
        scrim.Redactor,
        scrim.Redactor.redact,
        scrim.Redactor.redact_many,
        scrim.Redactor.detect,
        scrim.Redactor.redact_arrow,
        scrim.Span,
    ]
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    examples = 0
    for obj in objects:
        test = parser.get_doctest(obj.__doc__ or "", {}, getattr(obj, "__qualname__", obj.__name__), None, 0)
        examples += len(test.examples)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert examples >= 10, examples


def scrim_binary():
    if os.environ.get("SCRIM_BIN"):
        return pathlib.Path(os.environ["SCRIM_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    built = [target / p / "scrim" for p in ("release", "debug") if (target / p / "scrim").is_file()]
    # The newest build: a stale one may predate the code under test.
    return max(built, key=lambda p: p.stat().st_mtime, default=None)


def test_same_output_as_the_command_line(tmp_path):
    binary = scrim_binary()
    if binary is None:
        if os.environ.get("SCRIM_PY_REQUIRE_CLI") == "1":
            pytest.fail("no scrim binary (build it with cargo build -p scrim-cli, or set SCRIM_BIN)")
        pytest.skip("no scrim binary built")
    src = ROOT / "examples/conversations.jsonl"
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, SCRIM_KEY=KEY)
    subprocess.run(
        [str(binary), "redact", str(src), "-o", str(out), "--quiet", "--threads", "2"],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    cli = [json.loads(line) for line in out.read_text().splitlines()]
    records = []
    for line in src.read_text().splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
    ours = [o for o in scrim.Redactor(key=KEY).redact_many(records) if "quarantine" not in o]
    assert len(cli) >= 5
    assert ours == cli


# --- the learned tier ----------------------------------------------------------------------------


def test_model_tier_finds_onnxruntime_from_its_python_package():
    model = ROOT / "models/scrim-ner"
    if not (model / "model.onnx").is_file():
        pytest.skip("no model files")
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None and not os.environ.get("ORT_DYLIB_PATH"):
        pytest.skip("onnxruntime is not installed (pip install scrim[model])")
    r = scrim.Redactor(key=KEY, tiers=("rules", "model"), model_dir=model, threads=1)
    assert r.tiers == ("rules", "model")
    out = r.redact({"text": "yesterday Oskar Lindqvist and I went hiking, mail oskar@example.se"})
    assert "Oskar" not in out["text"] and "[EMAIL_1]" in out["text"]
    again = pickle.loads(pickle.dumps(r))
    assert again.redact({"text": "hi Oskar Lindqvist"}) == r.redact({"text": "hi Oskar Lindqvist"})


def test_student_and_cascade_tiers(monkeypatch):
    teacher, student = ROOT / "models/scrim-ner", ROOT / "models/scrim-student"
    if not ((teacher / "model.onnx").is_file() and (student / "model.onnx").is_file()):
        pytest.skip("no model files")
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None and not os.environ.get("ORT_DYLIB_PATH"):
        pytest.skip("onnxruntime is not installed (pip install scrim[model])")
    monkeypatch.setenv("SCRIM_STUDENT_DIR", str(student))
    text = "yesterday Oskar Lindqvist and I went hiking, mail oskar@example.se"
    for tier in ("student", "cascade"):
        r = scrim.Redactor(key=KEY, tiers=("rules", tier), model_dir=teacher, threads=1)
        assert r.tiers == ("rules", tier)
        out = r.redact({"text": text})
        assert "Lindqvist" not in out["text"] and "[EMAIL_1]" in out["text"]
        again = pickle.loads(pickle.dumps(r))
        assert again.redact({"text": text}) == out
    with pytest.raises(scrim.ConfigError) as e:
        scrim.Redactor(tiers=("rules", "student", "model"), model_dir=teacher)
    assert e.value.position == "tiers"


def test_model_tier_without_model_files_is_a_config_error(tmp_path):
    with pytest.raises(scrim.ConfigError) as e:
        scrim.Redactor(tiers=("rules", "model"), model_dir=tmp_path / "nowhere")
    assert e.value.code == "model_load" and e.value.position == "model_dir"


# --- other Arrow producers (run where they are installed) -----------------------------------------


def test_polars_data_frames():
    pl = pytest.importorskip("polars")
    r = scrim.Redactor(key=KEY)
    df = pl.DataFrame(
        {
            "id": ["a", "b"],
            "messages": [[{"role": "user", "content": "I am Priya Sharma"}], None],
            "n": [1, 2],
        }
    )
    rows = r.redact_arrow(df).to_pylist()
    assert rows[0]["messages"][0]["content"] == "I am [PERSON_1]" and rows[0]["n"] == 1
    assert rows[1]["quarantine"].startswith("no_messages_or_text")


def test_duckdb_results():
    duckdb = pytest.importorskip("duckdb")
    r = scrim.Redactor(key=KEY)
    rel = duckdb.sql("select 'x1' as id, 'call +1 206 555 0143' as text")
    assert r.redact_arrow(rel).column("text").to_pylist() == ["call [PHONE_1]"]


# --- type stubs ------------------------------------------------------------------------------------


def test_stubs_match_the_module():
    pytest.importorskip("mypy")
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "scrim"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the README's Python section ------------------------------------------------------------------


def test_readme_python_examples_run(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```python\n")[1:]]
    assert blocks, "the README's Python section has no python block"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
