//! `scrim.Store`: the governance store from Python, for jobs on many machines (Spark, Ray, ...)
//! that must honour consent as `scrim redact --store` does. A thin binding over
//! [`scrim_pipeline::StoreAdmission`] (one consent query per batch, lineage ids, the admitted
//! subjects recorded) and [`scrim_pipeline::arrow::admit_batch`] / `with_lineage`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3_arrow::PyRecordBatch;
use scrim_pipeline::arrow::AdmitBatchError;
use scrim_pipeline::{AdmissionReport, BlockingStore, RowLineage, RowVerdict, StoreAdmission};
use scrim_store::{Decision, Governance, Keyring};

use crate::errors::{batch_error, config_error, record_error, store_error};

/// What a store was opened with, kept so that a pickled copy opens the same one.
struct Spec {
    url: String,
    /// The master keyring as text (one base64 key a line).
    ring: String,
    /// The governance policy's TOML (`None`: the built-in policy).
    governance: Option<String>,
}

struct Inner {
    spec: Spec,
    admission: StoreAdmission,
}

/// The governance store (a SQLite file or a ``postgres://`` URL, shared by every worker):
/// admits records for a purpose by each subject's consent and the source rules, exactly as
/// ``scrim redact --store`` does, in one consent query per batch.
///
/// ``master_key`` is the master keyring's text (one base64 key a line, or comma-separated, as
/// ``SCRIM_MASTER_KEY`` holds it), ``master_key_file`` a file holding it; without either,
/// ``SCRIM_MASTER_KEY_FILE`` or ``SCRIM_MASTER_KEY``. The keyring opens the store's lineage
/// key: admitted rows carry keyed lineage ids, never the source system's subject ids.
/// ``governance`` is a governance policy's TOML text or a path to it (default: built in).
///
/// A store pickles (``__reduce__``: the URL, the keyring, the governance policy) so Spark and
/// Ray can ship it to workers, each of which opens its own connection. **A pickle holds the
/// master keyring**: treat it as the secret it is.
///
/// >>> import scrim, tempfile, os, base64
/// >>> key = base64.b64encode(bytes(range(32))).decode()
/// >>> store = scrim.Store(os.path.join(tempfile.mkdtemp(), "s.db"), master_key=key)
/// >>> store.set_consent("user-2", "training", "deny")
/// >>> a = store.admit([{"id": "1", "subject": "user-1", "source": "ai_chat", "text": "hi"},
/// ...                  {"id": "2", "subject": "user-2", "source": "ai_chat", "text": "hi"}],
/// ...                 purpose="training")
/// >>> [r["id"] for r in a.rows], a.excluded
/// (['1'], {'opted_out': 1})
/// >>> a.subject_ids[0].startswith("s_"), a.rows[0]["subject"] == a.subject_ids[0]
/// (True, True)
#[pyclass(module = "scrim", name = "Store", frozen)]
pub(crate) struct PyStore {
    inner: Arc<Inner>,
}

#[pymethods]
impl PyStore {
    #[new]
    #[pyo3(signature = (url, master_key=None, master_key_file=None, governance=None))]
    fn new(
        py: Python<'_>,
        url: String,
        master_key: Option<String>,
        master_key_file: Option<PathBuf>,
        governance: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyStore> {
        let ring = keyring_text(master_key, master_key_file)?;
        let governance = match governance {
            Some(g) if !g.is_none() => Some(crate::text_or_path(g, "governance")?),
            _ => None,
        };
        let spec = Spec {
            url,
            ring,
            governance,
        };
        let inner = py.detach(|| open(spec))?;
        Ok(PyStore {
            inner: Arc::new(inner),
        })
    }

    /// Admit records for ``purpose``: an Arrow batch or stream (any object with the Arrow
    /// PyCapsule interface: pyarrow ``RecordBatch`` or ``Table``, polars, ...) or an iterable of
    /// ``dict`` records. Returns an :class:`Admission`: the admitted rows in order (a
    /// ``pyarrow.RecordBatch``, or a list of dicts), ``subject`` replaced by the subject's
    /// lineage id in each; the lineage ids; the exclusion and quarantine counts. One consent
    /// query per Arrow batch (per call for records), then one statement recording the
    /// admitted subjects so that ``scrim forget`` finds them in a registered dataset.
    ///
    /// The purpose must be one the governance policy declares (else a ``ConfigError``). Rows
    /// that are not records, or whose subject is malformed, are never admitted: they are
    /// counted in ``quarantined``.
    #[pyo3(signature = (batch_or_records, purpose))]
    fn admit(
        &self,
        py: Python<'_>,
        batch_or_records: &Bound<'_, PyAny>,
        purpose: String,
    ) -> PyResult<Admission> {
        if is_arrow(batch_or_records)? {
            self.admit_arrow(py, batch_or_records, &purpose)
        } else {
            self.admit_records(py, batch_or_records, &purpose)
        }
    }

    /// Record a subject's consent decision (``"grant"`` or ``"deny"``) for a purpose (or
    /// ``"*"``: every purpose), as ``scrim consent set`` does.
    #[pyo3(signature = (subject, purpose, decision, note=None, actor="python"))]
    fn set_consent(
        &self,
        py: Python<'_>,
        subject: String,
        purpose: String,
        decision: &str,
        note: Option<String>,
        actor: &str,
    ) -> PyResult<()> {
        let gov = self.inner.admission.governance();
        if purpose != scrim_store::governance::ALL_PURPOSES {
            gov.check_purpose(&purpose)
                .map_err(|e| config_error("unknown_purpose", "purpose", &e.to_string()))?;
        }
        let decision: Decision = decision.parse().map_err(|e: scrim_store::Error| {
            config_error("bad_decision", "decision", &e.to_string())
        })?;
        let inner = Arc::clone(&self.inner);
        let actor = actor.to_string();
        py.detach(move || {
            let st = inner.admission.store();
            st.run(
                st.store()
                    .set_consent(&subject, &purpose, decision, &actor, note.as_deref()),
            )
            .map(|_| ())
            .map_err(|e| store_error(&e))
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = py.get_type::<PyStore>();
        let spec = &self.inner.spec;
        let args = (
            spec.url.clone(),
            spec.ring.clone(),
            None::<PathBuf>,
            spec.governance.clone(),
        );
        PyTuple::new(py, [cls.into_any(), args.into_pyobject(py)?.into_any()])
    }

    fn __repr__(&self) -> String {
        format!("Store({})", scrim_store::display_url(&self.inner.spec.url))
    }
}

impl PyStore {
    fn admit_arrow(
        &self,
        py: Python<'_>,
        batch: &Bound<'_, PyAny>,
        purpose: &str,
    ) -> PyResult<Admission> {
        let reader = crate::arrow_input(batch)?;
        let inner = Arc::clone(&self.inner);
        let purpose = purpose.to_string();
        let out = py.detach(
            move || -> Result<(arrow_array::RecordBatch, AdmissionReport), Failure> {
                let schema = reader.schema();
                let mut outs = Vec::new();
                let mut report = AdmissionReport::default();
                for batch in reader {
                    let batch = batch.map_err(|_| Failure::Read)?;
                    let (rows, r) =
                        scrim_pipeline::arrow::admit_batch(&inner.admission, &purpose, &batch)
                            .map_err(Failure::Admit)?;
                    outs.push(rows);
                    merge(&mut report, r);
                }
                let out_schema = match outs.first() {
                    Some(b) => b.schema(),
                    None => {
                        let empty = arrow_array::RecordBatch::new_empty(schema);
                        let (rows, _) =
                            scrim_pipeline::arrow::admit_batch(&inner.admission, &purpose, &empty)
                                .map_err(Failure::Admit)?;
                        return Ok((rows, report));
                    }
                };
                let rows = arrow_select::concat::concat_batches(&out_schema, &outs)
                    .map_err(|_| Failure::Read)?;
                Ok((rows, report))
            },
        );
        let (rows, report) = out.map_err(Failure::into_py)?;
        let rows = PyRecordBatch::new(rows).into_pyarrow(py)?;
        Admission::new(py, rows.unbind(), report)
    }

    fn admit_records(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        purpose: &str,
    ) -> PyResult<Admission> {
        let items: Vec<Bound<'_, PyAny>> = records
            .try_iter()
            .map_err(|_| {
                record_error(
                    "not_records",
                    "batch_or_records",
                    "expected an Arrow object or an iterable of dict records",
                )
            })?
            .collect::<PyResult<_>>()?;
        let lines = crate::records_json(py, &items)?;
        let inner = Arc::clone(&self.inner);
        let purpose = purpose.to_string();
        let report = py
            .detach(move || inner.admission.admit_records(&purpose, &lines))
            .map_err(|e| Failure::Admit(e.into()).into_py())?;
        let out = PyList::empty(py);
        for (item, verdict) in items.iter().zip(&report.rows) {
            if let RowVerdict::Admitted(l) = verdict {
                let copy = item.cast::<PyDict>()?.copy()?;
                if copy.contains("subject")? {
                    copy.set_item("subject", l.subject.as_deref())?;
                }
                out.append(copy)?;
            }
        }
        Admission::new(py, out.into_any().unbind(), report)
    }
}

/// Add a batch's report to a call's.
fn merge(into: &mut AdmissionReport, r: AdmissionReport) {
    into.admitted += r.admitted;
    for (k, n) in r.excluded {
        *into.excluded.entry(k).or_default() += n;
    }
    for (k, n) in r.quarantined {
        *into.quarantined.entry(k).or_default() += n;
    }
    into.rows.extend(r.rows);
}

enum Failure {
    Read,
    Admit(AdmitBatchError),
}

impl Failure {
    fn into_py(self) -> PyErr {
        match self {
            Failure::Read => {
                batch_error("unreadable", "batch", "the Arrow stream could not be read")
            }
            Failure::Admit(AdmitBatchError::Batch(e)) => {
                batch_error(crate::batch_code(&e), "batch", &e.to_string())
            }
            Failure::Admit(AdmitBatchError::Admission(e)) => match e {
                scrim_pipeline::AdmissionError::Purpose { .. } => {
                    config_error("unknown_purpose", "purpose", &e.to_string())
                }
                scrim_pipeline::AdmissionError::Admit(_)
                | scrim_pipeline::AdmissionError::Remember(_) => {
                    let mut message = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(s) = source {
                        message.push_str(": ");
                        message.push_str(&s.to_string());
                        source = s.source();
                    }
                    crate::errors::scrim_error("store", "store", &message)
                }
            },
        }
    }
}

/// The outcome of :meth:`Store.admit`: ``rows`` (the admitted rows, in input order: a
/// ``pyarrow.RecordBatch`` for an Arrow input, a list of dicts for records; ``subject`` holds
/// the subject's lineage id), ``record_ids`` and ``subject_ids`` (each admitted row's lineage
/// ids), ``indices`` (the input position of each admitted row), ``excluded`` and
/// ``quarantined`` (rows left out, per code). ``len(admission)`` is the number admitted.
///
/// Redact the rows, then add the lineage columns a registered dataset needs with
/// :meth:`with_lineage` before writing them.
#[pyclass(module = "scrim", name = "Admission", frozen)]
pub(crate) struct Admission {
    rows: Py<PyAny>,
    lineage: Vec<RowLineage>,
    indices: Vec<usize>,
    excluded: BTreeMap<String, usize>,
    quarantined: BTreeMap<String, usize>,
}

impl Admission {
    fn new(_py: Python<'_>, rows: Py<PyAny>, report: AdmissionReport) -> PyResult<Admission> {
        let mut indices = Vec::with_capacity(report.admitted);
        let mut lineage = Vec::with_capacity(report.admitted);
        for (i, r) in report.rows.into_iter().enumerate() {
            if let RowVerdict::Admitted(l) = r {
                indices.push(i);
                lineage.push(l);
            }
        }
        Ok(Admission {
            rows,
            lineage,
            indices,
            excluded: report
                .excluded
                .into_iter()
                .map(|(k, n)| (k.to_string(), n))
                .collect(),
            quarantined: report
                .quarantined
                .into_iter()
                .map(|(k, n)| (k.to_string(), n))
                .collect(),
        })
    }
}

#[pymethods]
impl Admission {
    /// The admitted rows.
    #[getter]
    fn rows(&self, py: Python<'_>) -> Py<PyAny> {
        self.rows.clone_ref(py)
    }

    /// Each admitted row's record lineage id (``r_...``).
    #[getter]
    fn record_ids(&self) -> Vec<String> {
        self.lineage.iter().map(|l| l.record.clone()).collect()
    }

    /// Each admitted row's subject lineage id (``s_...``; ``None`` without a subject).
    #[getter]
    fn subject_ids(&self) -> Vec<Option<String>> {
        self.lineage.iter().map(|l| l.subject.clone()).collect()
    }

    /// The input position of each admitted row.
    #[getter]
    fn indices(&self) -> Vec<usize> {
        self.indices.clone()
    }

    /// Rows excluded, per code (``opted_out``, ``source_forbids_purpose``, ...).
    #[getter]
    fn excluded(&self) -> BTreeMap<String, usize> {
        self.excluded.clone()
    }

    /// Rows quarantined (not records, a malformed subject), per code.
    #[getter]
    fn quarantined(&self) -> BTreeMap<String, usize> {
        self.quarantined.clone()
    }

    /// ``batch`` (the admitted rows or their redaction: one row per admitted row, in order)
    /// with the lineage columns ``scrim_subject`` and ``scrim_record`` added, as
    /// ``scrim datasets register`` reads them. Returns a ``pyarrow.RecordBatch``.
    fn with_lineage<'py>(
        &self,
        py: Python<'py>,
        batch: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let reader = crate::arrow_input(batch)?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|_| {
            batch_error("unreadable", "batch", "the Arrow stream could not be read")
        })?;
        let one = arrow_select::concat::concat_batches(&schema, &batches).map_err(|_| {
            batch_error("unreadable", "batch", "the Arrow stream could not be read")
        })?;
        let out = scrim_pipeline::arrow::with_lineage(&one, &self.lineage)
            .map_err(|e| batch_error(crate::batch_code(&e), "batch", &e.to_string()))?;
        PyRecordBatch::new(out).into_pyarrow(py)
    }

    fn __len__(&self) -> usize {
        self.lineage.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Admission(admitted={}, excluded={:?}, quarantined={:?})",
            self.lineage.len(),
            self.excluded,
            self.quarantined
        )
    }
}

/// Whether `obj` speaks the Arrow PyCapsule interface.
fn is_arrow(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(obj.hasattr("__arrow_c_stream__")? || obj.hasattr("__arrow_c_array__")?)
}

/// Open the store, read its lineage key (both while the GIL is released).
fn open(spec: Spec) -> PyResult<Inner> {
    let ring = Keyring::parse(&spec.ring, "master_key")
        .map_err(|e| config_error("bad_master_key", "master_key", &e.to_string()))?;
    let gov = match &spec.governance {
        Some(text) => Governance::from_toml(text)
            .map_err(|e| config_error("invalid_governance", "governance", &e.to_string()))?,
        None => Governance::default_policy()
            .map_err(|e| config_error("invalid_governance", "governance", &e.to_string()))?,
    };
    let store = BlockingStore::open(&spec.url).map_err(|e| {
        let mut message = e.to_string();
        if let Some(s) = std::error::Error::source(&e) {
            message.push_str(": ");
            message.push_str(&s.to_string());
        }
        crate::errors::store_open_error(&message)
    })?;
    let admission = StoreAdmission::new(store, gov, &ring).map_err(|e| store_error(&e))?;
    Ok(Inner { spec, admission })
}

/// The master keyring's text: the argument, the file, `SCRIM_MASTER_KEY_FILE`, or
/// `SCRIM_MASTER_KEY` (commas separate keys there, as for the command line).
fn keyring_text(master_key: Option<String>, file: Option<PathBuf>) -> PyResult<String> {
    if let Some(k) = master_key {
        return Ok(k.replace(',', "\n"));
    }
    let file = file.or_else(|| {
        std::env::var_os("SCRIM_MASTER_KEY_FILE")
            .filter(|f| !f.is_empty())
            .map(PathBuf::from)
    });
    if let Some(f) = file {
        return std::fs::read_to_string(&f).map_err(|e| {
            config_error(
                "master_key_unreadable",
                "master_key_file",
                &format!(
                    "cannot read the master keyring {}: {}",
                    f.display(),
                    e.kind()
                ),
            )
        });
    }
    if let Ok(v) = std::env::var("SCRIM_MASTER_KEY") {
        return Ok(v.replace(',', "\n"));
    }
    Err(config_error(
        "no_master_key",
        "master_key",
        "no master keyring: pass master_key or master_key_file, or set SCRIM_MASTER_KEY_FILE or \
         SCRIM_MASTER_KEY (create one with `scrim keys new master.key`)",
    ))
}
