//! Scrim for Python (import name `scrim`): a thin PyO3 binding over scrim-core and
//! scrim-pipeline. Nothing is re-implemented here: records go through
//! [`scrim_pipeline::Pipeline::run_records`] (the same parse, source rules, redaction and
//! outcomes as `scrim redact`), Arrow batches through [`scrim_pipeline::arrow::redact_batch`],
//! spans come from [`scrim_pipeline::spans_json`]. This crate converts between Python objects
//! and those calls, releases the GIL while they run, and maps failures to the `ScrimError`
//! exceptions (codes and positions, never content).

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyRecordBatch;
use scrim_core::{
    Detection, Detector, EngineBuilder, Key, Policy, Record, Redactor as CoreRedactor, Tier,
};
use scrim_pipeline::arrow::BatchError;
use scrim_pipeline::{Pipeline, RecordOutcome, Redact, SourceRules};
use scrim_store::Governance;
use serde_json::Value;

mod errors;
mod store;

use errors::{
    batch_error, config_error, detection_error, policy_error, record_error,
    BatchError as PyBatchError, ConfigError, DetectionError, PolicyError, RecordError, ScrimError,
    StoreError,
};

/// Everything a redactor is built from, kept so that a pickled copy rebuilds the same one.
struct Spec {
    /// The policy's TOML text (`None`: the built-in default policy).
    policy: Option<String>,
    /// The key's secret material as given (or the random one drawn for this redactor).
    key: Vec<u8>,
    tiers: Vec<String>,
    model_dir: Option<PathBuf>,
    threads: Option<usize>,
}

/// Any object with the Arrow PyCapsule interface (a pyarrow `RecordBatch` or `Table`, a polars
/// `DataFrame`, a DuckDB result, ...) as a stream of record batches, read without copying.
pub(crate) fn arrow_input(
    batch: &Bound<'_, PyAny>,
) -> PyResult<Box<dyn arrow_array::RecordBatchReader + Send>> {
    let batch: AnyRecordBatch = batch.extract().map_err(|_| {
        batch_error(
            "not_arrow",
            "batch",
            "expected an object with the Arrow PyCapsule interface (__arrow_c_array__ or \
             __arrow_c_stream__): a pyarrow RecordBatch or Table, a polars DataFrame, ...",
        )
    })?;
    batch.into_reader()
}

/// The built redactor: a stage, source rules, and a thread pool.
struct Inner {
    spec: Spec,
    stage: Redact<'static>,
    /// The redactor's detection without sensitive tags, for `detect` (it returns spans only).
    finder: Detection,
    governance: Governance,
    pool: rayon::ThreadPool,
    policy_hash: String,
}

impl Inner {
    fn build(spec: Spec, runtime_dir: Option<PathBuf>) -> PyResult<Inner> {
        let policy = match &spec.policy {
            Some(text) => Policy::from_toml(text).map_err(|e| policy_error(&e))?,
            None => Policy::default_policy().map_err(|e| policy_error(&e))?,
        };
        let Some(key) = Key::from_configured(&spec.key) else {
            return Err(config_error(
                "key_too_short",
                "key",
                &format!(
                    "the key holds fewer than {} bytes (leading and trailing whitespace is not \
                     counted)",
                    Key::MIN_SECRET_BYTES
                ),
            ));
        };
        let tiers = spec
            .tiers
            .iter()
            .map(|t| t.parse::<Tier>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| config_error("unknown_tier", "tiers", &e.to_string()))?;
        if tiers.is_empty() {
            return Err(config_error(
                "no_tier",
                "tiers",
                "tiers needs at least one tier (rules, model, student, cascade)",
            ));
        }
        let threads = match spec.threads {
            Some(0) => {
                return Err(config_error(
                    "bad_threads",
                    "threads",
                    "threads must be at least 1",
                ))
            }
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        };
        let mut builder = EngineBuilder::for_policy(&policy)
            .map_err(|e| policy_error(&e))?
            .tiers(&tiers);
        if let Some(&learned) = tiers.iter().find(|t| t.is_learned()) {
            builder = builder.model(load_learned(learned, &spec, &policy, threads, runtime_dir)?);
        }
        let engine = builder
            .build()
            .map_err(|e| config_error("engine", "tiers", &e.to_string()))?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("scrim-{i}"))
            .build()
            .map_err(|e| config_error("threads", "threads", &e.to_string()))?;
        let governance = Governance::default_policy()
            .map_err(|e| config_error("governance", "governance", &e.to_string()))?;
        let policy_hash = policy.hash();
        let stage = Redact::new(CoreRedactor::new(Arc::new(engine), policy, key));
        let finder = stage.redactor().detection().clone().findings_only();
        Ok(Inner {
            spec,
            stage,
            finder,
            governance,
            pool,
            policy_hash,
        })
    }

    /// Run records (JSON text, one per element) through the pipeline: one outcome each.
    fn run(&self, records: &[String]) -> PyResult<Vec<RecordOutcome>> {
        let admit = SourceRules(&self.governance);
        let pipeline = Pipeline::new(&self.stage, &admit, &self.pool);
        pipeline
            .run_records(records)
            .map(|(outcomes, _)| outcomes)
            .map_err(|e| {
                errors::scrim_error("pipeline", "records", &format!("the pipeline stopped: {e}"))
            })
    }
}

/// The learned tier's detector: the model directory from `model_dir`, the policy,
/// `SCRIM_MODEL_DIR`, or `models/scrim-ner` found from the working directory; ONNX Runtime from
/// `ORT_DYLIB_PATH`, the `onnxruntime` Python package (`runtime_dir`), or where
/// `tools/model/setup.sh` puts it (see scrim-model).
fn load_model(
    spec: &Spec,
    policy: &Policy,
    threads: usize,
    runtime_dir: Option<PathBuf>,
) -> PyResult<Arc<scrim_model::ModelDetector>> {
    let dir = spec
        .model_dir
        .clone()
        .or_else(|| policy.detection.model_dir.as_ref().map(PathBuf::from))
        .or_else(|| {
            std::env::var_os("SCRIM_MODEL_DIR")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
        })
        .or_else(scrim_model::find_model_dir)
        .ok_or_else(|| {
            config_error(
                "no_model",
                "model_dir",
                "the model tier needs its model files: pass model_dir, set SCRIM_MODEL_DIR, or \
                 run from a checkout holding models/scrim-ner",
            )
        })?;
    load_dir(dir, policy, threads, runtime_dir, "model_dir")
}

/// The student model (the `student` and `cascade` tiers): its directory from the policy's
/// `detection.student_dir`, `SCRIM_STUDENT_DIR`, or `models/scrim-student` found from the
/// working directory.
fn load_student(
    policy: &Policy,
    threads: usize,
    runtime_dir: Option<PathBuf>,
) -> PyResult<Arc<scrim_model::ModelDetector>> {
    let dir = policy
        .detection
        .student_dir
        .as_ref()
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("SCRIM_STUDENT_DIR")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
        })
        .or_else(scrim_model::find_student_dir)
        .ok_or_else(|| {
            config_error(
                "no_model",
                "student_dir",
                "the student and cascade tiers need the student's model files: set \
                 detection.student_dir in the policy or SCRIM_STUDENT_DIR, or run from a checkout \
                 holding models/scrim-student",
            )
        })?;
    load_dir(dir, policy, threads, runtime_dir, "student_dir")
}

fn load_dir(
    dir: PathBuf,
    policy: &Policy,
    threads: usize,
    runtime_dir: Option<PathBuf>,
    field: &'static str,
) -> PyResult<Arc<scrim_model::ModelDetector>> {
    let mut options = scrim_model::ModelOptions::new(&dir)
        .threads(threads)
        .min_prob(policy.detection.model_min_prob);
    if let Some(d) = runtime_dir {
        options = options.runtime_dir(d);
    }
    let detector = scrim_model::ModelDetector::load(options)
        .map_err(|e| config_error("model_load", field, &e.to_string()))?;
    Ok(Arc::new(detector))
}

/// The learned tier's detector for `tier`: the teacher, the student, or the cascade of both.
fn load_learned(
    tier: Tier,
    spec: &Spec,
    policy: &Policy,
    threads: usize,
    runtime_dir: Option<PathBuf>,
) -> PyResult<Arc<dyn Detector>> {
    Ok(match tier {
        Tier::Student => load_student(policy, threads, runtime_dir)?,
        Tier::Cascade => {
            let teacher = load_model(spec, policy, threads, runtime_dir.clone())?;
            let student = load_student(policy, threads, runtime_dir)?;
            let [low, high] = policy.detection.cascade_band;
            let doubt = scrim_model::Doubt::new(low, high)
                .map_err(|e| config_error("policy", "cascade_band", &e.to_string()))?;
            Arc::new(scrim_model::Cascade::new(student, teacher, doubt))
        }
        _ => load_model(spec, policy, threads, runtime_dir)?,
    })
}

/// Redacts personal data in chat records, by a policy, under a key.
///
/// ``policy`` is a policy's TOML text (or a path to one); ``None`` is the built-in default.
/// ``key`` (``str`` or ``bytes``, at least 16 bytes) makes pseudonyms stable: the same key gives
/// the same pseudonyms in every process and in ``scrim redact`` with that key in ``SCRIM_KEY``.
/// Without one a random key is drawn for this redactor (and travels with its pickled copies).
/// ``tiers`` are the detector tiers (``"rules"``, and one learned tier: ``"model"``, the fast
/// ``"student"`` or the ``"cascade"`` of both; default ``("rules",)``); ``model_dir`` is the
/// learned model's directory (the student's comes from the policy's ``detection.student_dir``,
/// ``SCRIM_STUDENT_DIR`` or ``models/scrim-student``); ``threads`` the size of Scrim's own thread
/// pool (default: every core).
///
/// A redactor pickles: ``__reduce__`` rebuilds it from the policy text, the key and the tiers,
/// so Spark, Ray, Dask or ``datasets.map(num_proc=...)`` can ship it to workers. The pickle
/// holds the key: treat it as the secret it is.
///
/// >>> import scrim
/// >>> r = scrim.Redactor(key="a secret of at least 16 bytes")
/// >>> out = r.redact({"id": "c1", "text": "mail me at jo.lee@example.org"})
/// >>> out["text"]
/// 'mail me at [EMAIL_1]'
/// >>> out["scrim"]["replacements"][0]["label"]
/// 'EMAIL'
#[pyclass(module = "scrim", name = "Redactor", frozen)]
struct PyRedactor {
    inner: Arc<Inner>,
}

#[pymethods]
impl PyRedactor {
    #[new]
    #[pyo3(signature = (policy=None, key=None, tiers=vec!["rules".to_string()], model_dir=None, threads=None))]
    fn new(
        py: Python<'_>,
        policy: Option<&Bound<'_, PyAny>>,
        key: Option<&Bound<'_, PyAny>>,
        tiers: Vec<String>,
        model_dir: Option<PathBuf>,
        threads: Option<usize>,
    ) -> PyResult<PyRedactor> {
        let policy = match policy {
            None => None,
            Some(p) if p.is_none() => None,
            Some(p) => Some(text_or_path(p, "policy")?),
        };
        let key = match key {
            None => random_key()?,
            Some(k) if k.is_none() => random_key()?,
            Some(k) => key_bytes(k)?,
        };
        let spec = Spec {
            policy,
            key,
            tiers,
            model_dir,
            threads,
        };
        let runtime_dir = if spec
            .tiers
            .iter()
            .any(|t| t.parse::<Tier>().is_ok_and(Tier::is_learned))
        {
            onnxruntime_package_dir(py)
        } else {
            None
        };
        let inner = py.detach(|| Inner::build(spec, runtime_dir))?;
        Ok(PyRedactor {
            inner: Arc::new(inner),
        })
    }

    /// Redact one record (a ``dict`` shaped like a line of ``scrim redact``'s input: ``messages``
    /// or ``text``, optional ``id``, ``subject``, ``source``, ``profile``, ...).
    ///
    /// Returns the redacted record, exactly what ``scrim redact`` writes for it, with its
    /// ``scrim`` field (replacements with code point offsets, tags, the policy's hash). A record
    /// that is not written comes back as ``{"quarantine": {"outcome": ..., "code": ...,
    /// "reason": ...}}``: ``outcome`` is ``quarantined`` (malformed), ``withheld`` (the policy)
    /// or ``excluded`` (source rules); the reason names what and where, never content.
    ///
    /// >>> import scrim
    /// >>> r = scrim.Redactor(key="a secret of at least 16 bytes")
    /// >>> r.redact({"messages": [{"role": "user", "content": "I'm Priya Sharma"}]})["messages"][0]["content"]
    /// "I'm [PERSON_1]"
    /// >>> r.redact({"messages": [{"role": "user", "content": 7}]})["quarantine"]["code"]
    /// 'content_not_string'
    fn redact<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::new(py, [record])?;
        let out = self.redact_many(py, list.as_any())?;
        out.get_item(0)
    }

    /// Redact many records (any iterable of ``dict``) on Scrim's own threads, the GIL released
    /// while they run. Returns one result per record, in order, each as :meth:`redact` returns
    /// it (nothing is dropped).
    ///
    /// >>> import scrim
    /// >>> r = scrim.Redactor(key="a secret of at least 16 bytes")
    /// >>> out = r.redact_many([{"text": "call +1 206 555 0143"}, {"text": 5}])
    /// >>> out[0]["text"], out[1]["quarantine"]["code"]
    /// ('call [PHONE_1]', 'text_not_string')
    fn redact_many<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<Bound<'py, PyAny>> = records.try_iter()?.collect::<PyResult<_>>()?;
        let lines = records_json(py, &items)?;
        let json = py.import("json")?;
        let inner = Arc::clone(&self.inner);
        let outcomes = py.detach(move || inner.run(&lines))?;
        let loads = json.getattr("loads")?;
        let out = PyList::empty(py);
        for o in outcomes {
            match o {
                RecordOutcome::Written(line) => out.append(loads.call1((line,))?)?,
                RecordOutcome::NotWritten(n) => {
                    let q = PyDict::new(py);
                    q.set_item("outcome", n.outcome)?;
                    q.set_item("code", n.code)?;
                    q.set_item("reason", n.reason)?;
                    let d = PyDict::new(py);
                    d.set_item("quarantine", q)?;
                    out.append(d)?;
                }
            }
        }
        Ok(out)
    }

    /// Detect personal data in one text with this redactor's policy and tiers (no key is
    /// involved). Returns :class:`Span` objects with code point offsets into ``text`` (Python
    /// string indices: ``text[s.start:s.end]`` is what was found).
    ///
    /// >>> import scrim
    /// >>> r = scrim.Redactor()
    /// >>> text = "😀 écris-moi : zoe.muller@example.de"
    /// >>> [(s.label, text[s.start:s.end]) for s in r.detect(text)]
    /// [('EMAIL', 'zoe.muller@example.de')]
    fn detect(&self, py: Python<'_>, text: &str) -> PyResult<Vec<Span>> {
        let inner = Arc::clone(&self.inner);
        let text = text.to_string();
        let spans = py.detach(move || -> Result<Vec<Value>, String> {
            let mut fields = serde_json::Map::new();
            fields.insert("text".into(), Value::String(text));
            let record = Record::from_value(Value::Object(fields)).map_err(|e| e.to_string())?;
            let analyses = inner.finder.detect(&record).map_err(|e| e.to_string())?;
            Ok(scrim_pipeline::spans_json(&record, &analyses))
        });
        let spans = spans.map_err(|e| detection_error(&e))?;
        Ok(spans.iter().map(Span::from_json).collect())
    }

    /// Redact an Arrow batch: any object with the Arrow PyCapsule interface (a pyarrow
    /// ``RecordBatch`` or ``Table``, a polars ``DataFrame``, a DuckDB result, ...), read without
    /// copying. Columns by name: ``id``, ``messages`` as ``list<struct<role: string, content:
    /// string>>`` or ``text``, optional ``subject``, ``source``, ``profile``; other columns are
    /// fields the policy's ``[record] unknown_fields`` governs.
    ///
    /// Returns a ``pyarrow.RecordBatch`` (pyarrow must be installed): every input column with
    /// the redacted values, then ``scrim`` (the record's ``scrim`` field as JSON text, exactly
    /// what ``scrim redact`` writes) and ``quarantine`` (``"code: reason"`` for a row that was
    /// not written, whose input columns are then all null; null when it was). Row ``i`` of the
    /// output is row ``i`` of the input: no row is dropped.
    ///
    /// >>> import pyarrow as pa, scrim
    /// >>> r = scrim.Redactor(key="a secret of at least 16 bytes")
    /// >>> out = r.redact_arrow(pa.table({"id": [1, 2], "text": ["I'm Priya Sharma", None]}))
    /// >>> out.column("text").to_pylist(), out.column("quarantine").to_pylist()[1]
    /// (["I'm [PERSON_1]", None], 'no_messages_or_text: record has neither `messages` nor `text`')
    fn redact_arrow<'py>(
        &self,
        py: Python<'py>,
        batch: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let reader = arrow_input(batch)?;
        let inner = Arc::clone(&self.inner);
        let out = py.detach(move || -> Result<arrow_array::RecordBatch, BatchFailure> {
            // Batch by batch, as the stream gives them (the input is never copied); the
            // outputs are joined into the one batch returned.
            let schema = reader.schema();
            let admit = SourceRules(&inner.governance);
            let pipeline = Pipeline::new(&inner.stage, &admit, &inner.pool);
            let mut outs = Vec::new();
            for batch in reader {
                let batch = batch.map_err(|_| BatchFailure::Read)?;
                let (out, _) = scrim_pipeline::arrow::redact_batch(&pipeline, &batch)
                    .map_err(BatchFailure::Batch)?;
                outs.push(out);
            }
            if outs.is_empty() {
                // No rows: the schema is still checked, and the output has its columns.
                let empty = arrow_array::RecordBatch::new_empty(schema);
                let (out, _) = scrim_pipeline::arrow::redact_batch(&pipeline, &empty)
                    .map_err(BatchFailure::Batch)?;
                return Ok(out);
            }
            let out_schema = scrim_pipeline::arrow::output_schema(&schema);
            arrow_select::concat::concat_batches(&out_schema, &outs).map_err(|_| BatchFailure::Read)
        });
        let out = out.map_err(|e| match e {
            BatchFailure::Read => batch_error(
                "unreadable",
                "batch",
                "the Arrow stream could not be read into one batch",
            ),
            BatchFailure::Batch(e) => batch_error(batch_code(&e), "batch", &e.to_string()),
        })?;
        PyRecordBatch::new(out).into_pyarrow(py)
    }

    /// The policy's hash (``sha256:...``), as the ``scrim`` field of every record names it.
    #[getter]
    fn policy_hash(&self) -> &str {
        &self.inner.policy_hash
    }

    /// The detector tiers this redactor runs.
    #[getter]
    fn tiers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.inner.spec.tiers)
    }

    /// The number of Scrim's own threads.
    #[getter]
    fn threads(&self) -> usize {
        self.inner.pool.current_num_threads()
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = py.get_type::<PyRedactor>();
        let spec = &self.inner.spec;
        let args = (
            spec.policy.clone(),
            PyBytes::new(py, &spec.key),
            PyTuple::new(py, &spec.tiers)?,
            spec.model_dir.clone(),
            spec.threads,
        );
        PyTuple::new(py, [cls.into_any(), args.into_pyobject(py)?.into_any()])
    }

    fn __repr__(&self) -> String {
        format!(
            "Redactor(policy={}, tiers={:?}, threads={})",
            self.inner.policy_hash,
            self.inner.spec.tiers,
            self.inner.pool.current_num_threads()
        )
    }
}

enum BatchFailure {
    Read,
    Batch(BatchError),
}

pub(crate) fn batch_code(e: &BatchError) -> &'static str {
    match e {
        BatchError::NoText => "no_text_column",
        BatchError::Reserved(_) => "reserved_column",
        BatchError::Unsupported { .. } => "unsupported_column",
        BatchError::Rebuild => "rebuild",
        BatchError::Run(_) => "pipeline",
        BatchError::LineageRows { .. } => "lineage_rows",
    }
}

/// Each record (a ``dict``) as the JSON text `scrim redact` would read, or a `RecordError`
/// naming the record's position (never its content).
fn records_json(py: Python<'_>, items: &[Bound<'_, PyAny>]) -> PyResult<Vec<String>> {
    let json = py.import("json")?;
    let dumps = json.getattr("dumps")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("allow_nan", false)?;
    let mut lines: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !item.is_instance_of::<PyDict>() {
            return Err(record_error(
                "not_a_dict",
                &format!("record {i}"),
                &format!(
                    "record {i} is a {}, not a dict",
                    item.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ),
            ));
        }
        let text = dumps.call((item,), Some(&kwargs)).map_err(|_| {
            record_error(
                "not_json",
                &format!("record {i}"),
                &format!(
                    "record {i} holds a value JSON cannot represent (only dict, list, str, int, \
                     finite float, bool and None can be redacted)"
                ),
            )
        })?;
        lines.push(text.extract::<String>()?);
    }
    Ok(lines)
}

/// The `capi` directory of the `onnxruntime` Python package (`pip install scrim[model]`), where
/// its wheel keeps the shared library, found without importing the package.
fn onnxruntime_package_dir(py: Python<'_>) -> Option<PathBuf> {
    let spec = py
        .import("importlib.util")
        .ok()?
        .call_method1("find_spec", ("onnxruntime",))
        .ok()?;
    if spec.is_none() {
        return None;
    }
    let locations = spec.getattr("submodule_search_locations").ok()?;
    let first: PathBuf = locations.get_item(0).ok()?.extract().ok()?;
    Some(first.join("capi"))
}

/// A policy argument (`what`: `policy`, `governance`): TOML text, or a path (``os.PathLike``)
/// to a file holding it.
fn text_or_path(p: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = p.cast::<PyString>() {
        return s.extract::<String>().map_err(|_| {
            config_error(
                &format!("{what}_not_utf8"),
                what,
                &format!("the {what} text is not valid Unicode"),
            )
        });
    }
    let path: PathBuf = p.extract().map_err(|_| {
        config_error(
            &format!("bad_{what}_argument"),
            what,
            &format!("{what} must be the policy's TOML text (str) or a path to it (os.PathLike)"),
        )
    })?;
    std::fs::read_to_string(&path).map_err(|e| {
        config_error(
            &format!("{what}_unreadable"),
            what,
            &format!("cannot read {what} {}: {}", path.display(), e.kind()),
        )
    })
}

fn key_bytes(k: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = k.cast::<PyString>() {
        return s
            .extract::<String>()
            .map(String::into_bytes)
            .map_err(|_| config_error("key_not_utf8", "key", "a str key must be valid Unicode"));
    }
    if let Ok(b) = k.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Err(config_error(
        "bad_key_argument",
        "key",
        "key must be str or bytes",
    ))
}

/// A fresh random key for a redactor built without one (kept, so its pickled copies agree).
fn random_key() -> PyResult<Vec<u8>> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        config_error(
            "no_randomness",
            "key",
            &format!("no system randomness for a key: {e}"),
        )
    })?;
    // As text, so that Key::from_configured never trims a random byte away.
    Ok(scrim_core::hex::encode(&bytes).into_bytes())
}

/// A span of personal data in a text: ``label``, code point ``start``/``end`` (Python string
/// indices), ``score`` in [0, 1], the ``rule`` that found it, and a finer ``kind`` when there
/// is one (``SSN``, ``AADHAAR``, ...). It holds offsets, never the text.
///
/// >>> import scrim
/// >>> s = scrim.Redactor().detect("ssn 536-22-1234")[0]
/// >>> (s.label, s.start, s.end)
/// ('ID', 4, 15)
#[pyclass(module = "scrim", name = "Span", frozen, eq, get_all)]
#[derive(Debug, Clone, PartialEq)]
struct Span {
    /// What kind of personal data (``PERSON``, ``EMAIL``, ...).
    label: String,
    /// Where it starts, in code points.
    start: usize,
    /// Where it ends (exclusive), in code points.
    end: usize,
    /// How sure the detector is, in [0, 1].
    score: f64,
    /// The rule that found it.
    rule: String,
    /// A finer kind, or ``None``.
    kind: Option<String>,
}

impl Span {
    fn from_json(v: &Value) -> Span {
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let n = |k: &str| {
            v.get(k)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or_default()
        };
        Span {
            label: s("label"),
            start: n("start"),
            end: n("end"),
            score: v.get("score").and_then(Value::as_f64).unwrap_or_default(),
            rule: s("detector"),
            kind: v.get("kind").and_then(Value::as_str).map(str::to_string),
        }
    }
}

#[pymethods]
impl Span {
    fn __repr__(&self) -> String {
        format!(
            "Span(label={:?}, start={}, end={}, score={}, rule={:?})",
            self.label, self.start, self.end, self.score, self.rule
        )
    }
}

/// Scrim: find personal data in chat records and replace it (a binding over Scrim's Rust core).
///
/// >>> import scrim
/// >>> scrim.Redactor(key="a secret of at least 16 bytes").redact({"text": "I'm Priya Sharma"})["text"]
/// "I'm [PERSON_1]"
#[pymodule]
fn _scrim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyRedactor>()?;
    m.add_class::<Span>()?;
    m.add_class::<store::PyStore>()?;
    m.add_class::<store::Admission>()?;
    m.add("StoreError", py.get_type::<StoreError>())?;
    m.add("ScrimError", py.get_type::<ScrimError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("RecordError", py.get_type::<RecordError>())?;
    m.add("BatchError", py.get_type::<PyBatchError>())?;
    m.add("DetectionError", py.get_type::<DetectionError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
