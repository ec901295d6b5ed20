"""Presidio's analyzer REST server, for the /analyze benchmark (tools/bench/analyze_vs_presidio.py).

Presidio's server is a small Flask app in Presidio's repository (presidio-analyzer/app.py), not in
the PyPI package. This module mirrors what that app does for `POST /analyze` and `GET /health`,
written for this benchmark (none of its code is copied): an engine built by Presidio's
`AnalyzerEngineProvider` from Presidio's default configuration (its default recognizers and NLP
configuration, with only the spaCy model changed to the PyPI mirror of en_core_web_sm, as
tools/presidio/compare.py does), wrapped in a `BatchAnalyzerEngine`; each request parsed into an
`AnalyzerRequest`, its text (a string, or a list for a batch) analyzed with every request field
passed on, `recognition_metadata` left out of each result, and the results written as JSON with
sorted keys. Errors answer `{"error": ...}` with 400 or 500 as the app does. Nothing is logged of
a request (Presidio's app logs error messages; this logs none, so no text can leak).

Served as Presidio's container serves its app, by gunicorn's sync workers (the container's
entrypoint runs `gunicorn -w $WORKERS ... "app:create_app()"`, WORKERS=1 by default):

    gunicorn -w 2 -b 127.0.0.1:5003 --chdir tools/bench "presidio_analyzer_server:create_app()"

Needs the virtualenv of tools/bench/setup.sh (presidio-analyzer, the spaCy model, Flask,
gunicorn). Uses no network: tldextract reads its bundled suffix list.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from flask import Flask, Response, jsonify, request

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "presidio"))
from compare import MODELS, offline_tldextract  # noqa: E402  (the project's Presidio set-up)


def build_engine():
    """Presidio's analyzer engine from its default configuration files, with the sm model."""
    import yaml
    import presidio_analyzer
    from presidio_analyzer import AnalyzerEngineProvider

    offline_tldextract()
    conf_dir = Path(presidio_analyzer.__file__).parent / "conf"
    nlp = yaml.safe_load((conf_dir / "default.yaml").read_text())
    nlp["models"] = [{"lang_code": "en", "model_name": MODELS["sm"]["module"]}]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        yaml.safe_dump(nlp, fh)
        nlp_file = fh.name
    try:
        return AnalyzerEngineProvider(nlp_engine_conf_file=nlp_file).create_engine()
    finally:
        Path(nlp_file).unlink(missing_ok=True)


def create_app() -> Flask:
    """The Flask app (a gunicorn app factory)."""
    from presidio_analyzer import AnalyzerRequest, BatchAnalyzerEngine

    engine = build_engine()
    batch_engine = BatchAnalyzerEngine(engine)
    app = Flask(__name__)

    @app.route("/health")
    def health():
        return "Presidio Analyzer service is up"

    @app.route("/analyze", methods=["POST"])
    def analyze():
        try:
            req = AnalyzerRequest(request.get_json())
            if not req.text:
                raise ValueError("No text provided")
            if not req.language:
                raise ValueError("No language provided")
            engine.get_supported_entities(req.language)  # refuses a language it has no recognizers for
            many = isinstance(req.text, list)
            texts = req.text if many else [req.text]
            results = []
            for found in batch_engine.analyze_iterator(
                texts=texts,
                batch_size=min(len(texts), 500),
                n_process=1,
                language=req.language,
                correlation_id=req.correlation_id,
                score_threshold=req.score_threshold,
                entities=req.entities,
                return_decision_process=req.return_decision_process,
                ad_hoc_recognizers=req.ad_hoc_recognizers,
                context=req.context,
                allow_list=req.allow_list,
                allow_list_match=req.allow_list_match,
                regex_flags=req.regex_flags,
            ):
                for result in found:
                    if hasattr(result, "recognition_metadata"):
                        delattr(result, "recognition_metadata")
                results.append(found)
            body = json.dumps(results if many else results[0], default=lambda o: o.to_dict(),
                              sort_keys=True)
            return Response(body, content_type="application/json")
        except TypeError as e:
            return jsonify(error=f"Failed to parse /analyze request for AnalyzerEngine.analyze(). {e}"), 400
        except Exception as e:  # the app answers every other failure 500
            return jsonify(error=str(e.args[0]) if e.args else type(e).__name__), 500

    return app
