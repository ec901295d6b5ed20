//! Arrow record batches through the pipeline (feature `arrow`): the batch API of the Python
//! binding, and the column form of what `scrim redact` writes per record.
//!
//! Each row becomes the JSON record the command line would read (columns by name: `id`,
//! `messages` as `list<struct<role, content>>` or `text`, `subject`, `source`, `profile`, and
//! any other column as a field the policy's `[record] unknown_fields` governs), the rows run
//! through [`Pipeline::run_records`], and the outcomes come back as columns:
//!
//! - every input column, in order, holding the redacted record's value (content replaced, an
//!   identifier pseudonymized, a dropped field null); a row that was not written is null in
//!   every input column, so nothing of it passes on;
//! - `scrim`: the record's `scrim` field as JSON text (extension type `arrow.json`), exactly what
//!   `scrim redact` writes in the record; null for a row that was not written;
//! - `quarantine`: `code: reason` for a row that was not written (malformed, withheld,
//!   excluded; what and where, never content), null when it was. No row is dropped: output
//!   row `i` is input row `i`.
//!
//! Types: every output column is nullable; a dictionary column comes back as its value type;
//! the leaves of `profile` come back as strings (a replaced fact is a placeholder or a
//! surrogate, whatever the input type); a value the policy replaced in a column whose type
//! cannot hold the replacement (a timestamp, a number) comes back null, never raw.

use std::convert::Infallible;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Schema, SchemaRef};
use serde_json::Value;

use scrim_store::dataset::{RECORD_COLUMN, SUBJECT_COLUMN};

use crate::admission::{AdmissionError, AdmissionReport, RowLineage, RowVerdict, StoreAdmission};
use crate::collect::RecordOutcome;
use crate::driver::{Pipeline, RunError};
use crate::summary::RunSummary;

/// The column the output adds with each written record's `scrim` field (JSON text).
pub const SCRIM_COLUMN: &str = "scrim";
/// The column the output adds with why a row was not written (null when it was).
pub const QUARANTINE_COLUMN: &str = "quarantine";

/// A batch that cannot be run. Messages name columns and types, never content.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Neither `messages` nor `text` is a column: no row could be a record.
    #[error("the batch has neither a `messages` nor a `text` column")]
    NoText,
    /// The input already has a column the output adds.
    #[error("the batch already has a `{0}` column, which the output adds")]
    Reserved(&'static str),
    /// A column's type has no JSON form.
    #[error("column `{column}` has type {data_type}, which cannot be read as a record field")]
    Unsupported {
        /// The column.
        column: String,
        /// Its type.
        data_type: String,
    },
    /// The redacted rows could not be put back into columns (an internal error: arrow's message
    /// is not passed on, as it may quote a value).
    #[error("the redacted rows could not be put back into columns")]
    Rebuild,
    /// The pipeline stopped.
    #[error(transparent)]
    Run(#[from] RunError<Infallible>),
    /// Lineage for a different number of rows than the batch has.
    #[error("the batch has {rows} rows but the lineage is of {lineage}")]
    LineageRows {
        /// The batch's rows.
        rows: usize,
        /// The lineage's rows.
        lineage: usize,
    },
}

/// A batch could not be admitted.
#[derive(Debug, thiserror::Error)]
pub enum AdmitBatchError {
    /// The batch's rows could not be read as records.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// Admission failed.
    #[error(transparent)]
    Admission(#[from] AdmissionError),
}

/// Admit a batch for `purpose` ([`StoreAdmission::admit_records`] on its rows, read as the JSON
/// records `scrim redact` would read): the admitted rows, in order, with every input column
/// as it was but `subject`, which holds the subject's lineage id (as a store-backed `scrim
/// redact` writes it: the source system's id never leaves), and the report (a verdict per
/// input row, counts). Redact the rows, then add their lineage columns with [`with_lineage`].
pub fn admit_batch(
    admission: &StoreAdmission,
    purpose: &str,
    batch: &RecordBatch,
) -> Result<(RecordBatch, AdmissionReport), AdmitBatchError> {
    let rows = encode_rows(batch)?;
    let report = admission.admit_records(purpose, &rows)?;
    drop(rows);
    let keep: BooleanArray = report
        .rows
        .iter()
        .map(|r| Some(matches!(r, RowVerdict::Admitted(_))))
        .collect();
    let admitted =
        arrow_select::filter::filter_record_batch(batch, &keep).map_err(|_| BatchError::Rebuild)?;
    let schema = admitted.schema();
    let Ok(at) = schema.index_of("subject") else {
        return Ok((admitted, report));
    };
    let lids: StringArray = report
        .admitted_lineage()
        .map(|l| l.subject.clone())
        .collect();
    let mut fields: Vec<FieldRef> = schema.fields().iter().cloned().collect();
    let mut columns: Vec<ArrayRef> = admitted.columns().to_vec();
    if let (Some(f), Some(c)) = (fields.get_mut(at), columns.get_mut(at)) {
        *f = Arc::new(
            Field::new("subject", DataType::Utf8, true).with_metadata(f.metadata().clone()),
        );
        *c = Arc::new(lids);
    }
    let out = RecordBatch::try_new(
        Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())),
        columns,
    )
    .map_err(|_| BatchError::Rebuild)?;
    Ok((out, report))
}

/// `batch` with the lineage columns a dataset needs to be registered
/// (`scrim_store::dataset::SUBJECT_COLUMN` and `RECORD_COLUMN`, strings) added after its
/// columns: `lineage[i]` is row `i`'s (the admitted rows' lineage, as
/// [`AdmissionReport::admitted_lineage`] gives it, for the batch [`admit_batch`] returned or
/// its redaction).
pub fn with_lineage(
    batch: &RecordBatch,
    lineage: &[RowLineage],
) -> Result<RecordBatch, BatchError> {
    if lineage.len() != batch.num_rows() {
        return Err(BatchError::LineageRows {
            rows: batch.num_rows(),
            lineage: lineage.len(),
        });
    }
    let schema = batch.schema();
    for reserved in [SUBJECT_COLUMN, RECORD_COLUMN] {
        if schema.field_with_name(reserved).is_ok() {
            return Err(BatchError::Reserved(reserved));
        }
    }
    let subjects: StringArray = lineage.iter().map(|l| l.subject.clone()).collect();
    let records: StringArray = lineage.iter().map(|l| Some(l.record.clone())).collect();
    let mut fields: Vec<FieldRef> = schema.fields().iter().cloned().collect();
    fields.push(Arc::new(Field::new(SUBJECT_COLUMN, DataType::Utf8, true)));
    fields.push(Arc::new(Field::new(RECORD_COLUMN, DataType::Utf8, false)));
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    columns.push(Arc::new(subjects));
    columns.push(Arc::new(records));
    RecordBatch::try_new(
        Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())),
        columns,
    )
    .map_err(|_| BatchError::Rebuild)
}

/// Redact one batch: the output batch (see the module documentation) and the run's summary.
pub fn redact_batch(
    pipeline: &Pipeline<'_>,
    batch: &RecordBatch,
) -> Result<(RecordBatch, RunSummary), BatchError> {
    let schema = batch.schema();
    check_schema(&schema)?;
    let rows = encode_rows(batch)?;
    let (outcomes, summary) = pipeline.run_records(&rows)?;
    drop(rows);
    let out = rebuild(&schema, outcomes, batch.num_rows())?;
    Ok((out, summary))
}

/// The output schema for an input schema: every input field (nullable, as rebuilt), then
/// `scrim` and `quarantine`.
pub fn output_schema(input: &Schema) -> SchemaRef {
    let mut fields: Vec<FieldRef> = input
        .fields()
        .iter()
        .map(|f| Arc::new(out_field(f, f.name() == "profile")))
        .collect();
    fields.push(Arc::new(scrim_field()));
    fields.push(Arc::new(Field::new(
        QUARANTINE_COLUMN,
        DataType::Utf8,
        true,
    )));
    Arc::new(Schema::new_with_metadata(fields, input.metadata().clone()))
}

fn scrim_field() -> Field {
    Field::new(SCRIM_COLUMN, DataType::Utf8, true).with_metadata(
        [("ARROW:extension:name".to_string(), "arrow.json".to_string())]
            .into_iter()
            .collect(),
    )
}

/// Whether batches of `schema` can be run: no column the output adds, and a `messages` or a
/// `text` column.
pub fn check_schema(schema: &Schema) -> Result<(), BatchError> {
    check_reserved(schema)?;
    if schema.field_with_name("messages").is_err() && schema.field_with_name("text").is_err() {
        return Err(BatchError::NoText);
    }
    Ok(())
}

/// No column of `schema` is one the output adds.
pub(crate) fn check_reserved(schema: &Schema) -> Result<(), BatchError> {
    for reserved in [SCRIM_COLUMN, QUARANTINE_COLUMN] {
        if schema.field_with_name(reserved).is_ok() {
            return Err(BatchError::Reserved(reserved));
        }
    }
    Ok(())
}

/// One JSON object per row (null values left out, as a JSONL record would leave them out).
pub(crate) fn encode_rows(batch: &RecordBatch) -> Result<Vec<String>, BatchError> {
    let mut buf = Vec::new();
    let encoded = {
        let mut w = arrow_json::LineDelimitedWriter::new(&mut buf);
        w.write(batch).and_then(|()| w.finish())
    };
    if encoded.is_err() {
        return Err(unsupported_column(batch));
    }
    let text = String::from_utf8(buf).map_err(|_| BatchError::Rebuild)?;
    let rows: Vec<String> = text.lines().map(str::to_string).collect();
    if rows.len() != batch.num_rows() {
        return Err(BatchError::Rebuild);
    }
    Ok(rows)
}

/// The first column that cannot be written as JSON on its own.
fn unsupported_column(batch: &RecordBatch) -> BatchError {
    let schema = batch.schema();
    for (i, field) in schema.fields().iter().enumerate() {
        let Ok(column) = batch.project(&[i]) else {
            continue;
        };
        let mut sink = Vec::new();
        let mut w = arrow_json::LineDelimitedWriter::new(&mut sink);
        if w.write(&column.slice(0, 0)).is_err() || w.write(&column).is_err() {
            return BatchError::Unsupported {
                column: field.name().clone(),
                data_type: field.data_type().to_string(),
            };
        }
    }
    BatchError::Rebuild
}

/// The outcomes as the output batch.
fn rebuild(
    input: &Schema,
    outcomes: Vec<RecordOutcome>,
    rows: usize,
) -> Result<RecordBatch, BatchError> {
    if outcomes.len() != rows {
        return Err(BatchError::Rebuild);
    }
    outcomes_batch(&output_schema(input), input.fields().len(), true, outcomes)
}

/// Outcomes as a batch of `out_schema`: its first `columns` fields hold each written line's
/// fields (decoded leniently, see the module documentation), then, when `scrim`, the line's
/// `scrim` field as JSON text, then the `quarantine` reason. `out_schema` has exactly these
/// fields (the [`output_schema`] of an input schema, or the columns of another output, such as
/// detection's `id` and `spans`, then `quarantine`).
pub(crate) fn outcomes_batch(
    out_schema: &SchemaRef,
    columns: usize,
    scrim: bool,
    outcomes: Vec<RecordOutcome>,
) -> Result<RecordBatch, BatchError> {
    let rows = outcomes.len();
    let columns_schema = Arc::new(Schema::new(
        out_schema
            .fields()
            .iter()
            .take(columns)
            .cloned()
            .collect::<Vec<_>>(),
    ));
    let mut json = Vec::new();
    let mut scrim_values: Vec<Option<String>> = Vec::with_capacity(rows);
    let mut quarantine: Vec<Option<String>> = Vec::with_capacity(rows);
    for outcome in outcomes {
        match outcome {
            RecordOutcome::Written(line) => {
                let mut value: Value =
                    serde_json::from_str(&line).map_err(|_| BatchError::Rebuild)?;
                let field = value
                    .as_object_mut()
                    .and_then(|o| o.remove(SCRIM_COLUMN))
                    .map(|s| s.to_string());
                serde_json::to_writer(&mut json, &value).map_err(|_| BatchError::Rebuild)?;
                scrim_values.push(field);
                quarantine.push(None);
            }
            RecordOutcome::NotWritten(why) => {
                json.extend_from_slice(b"{}");
                scrim_values.push(None);
                quarantine.push(Some(why.to_string()));
            }
        }
        json.push(b'\n');
    }
    let mut decoder = arrow_json::ReaderBuilder::new(Arc::clone(&columns_schema))
        .with_batch_size(rows.max(1))
        .with_coerce_primitive(true)
        .with_ignore_type_conflicts(true)
        .with_strict_mode(false)
        .build_decoder()
        .map_err(|_| BatchError::Rebuild)?;
    let mut at = 0;
    while at < json.len() {
        let n = decoder
            .decode(json.get(at..).unwrap_or_default())
            .map_err(|_| BatchError::Rebuild)?;
        if n == 0 {
            break;
        }
        at += n;
    }
    let decoded = decoder
        .flush()
        .map_err(|_| BatchError::Rebuild)?
        .unwrap_or_else(|| RecordBatch::new_empty(Arc::clone(&columns_schema)));
    if decoded.num_rows() != rows {
        return Err(BatchError::Rebuild);
    }
    let mut arrays: Vec<ArrayRef> = decoded.columns().to_vec();
    if scrim {
        arrays.push(Arc::new(StringArray::from(scrim_values)));
    }
    arrays.push(Arc::new(StringArray::from(quarantine)));
    RecordBatch::try_new(Arc::clone(out_schema), arrays)
        .map_err(|_: ArrowError| BatchError::Rebuild)
}

/// A field as it comes back: nullable; dictionaries as their values; under `profile`, leaves
/// that are not strings as strings.
fn out_field(f: &Field, profile: bool) -> Field {
    Field::new(f.name(), out_type(f.data_type(), profile), true).with_metadata(f.metadata().clone())
}

fn out_type(t: &DataType, profile: bool) -> DataType {
    match t {
        DataType::Dictionary(_, values) => out_type(values, profile),
        DataType::List(item) => DataType::List(Arc::new(out_field(item, profile))),
        DataType::LargeList(item) => DataType::LargeList(Arc::new(out_field(item, profile))),
        DataType::Struct(fields) => DataType::Struct(
            fields
                .iter()
                .map(|f| Arc::new(out_field(f, profile)))
                .collect(),
        ),
        DataType::Map(entries, sorted) => {
            // A map's entries and keys stay as they are (never null); its values may be.
            let DataType::Struct(kv) = entries.data_type() else {
                return t.clone();
            };
            let kv: Vec<FieldRef> = kv
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    if i == 0 {
                        Arc::clone(f)
                    } else {
                        Arc::new(out_field(f, profile))
                    }
                })
                .collect();
            let entries = Field::new(entries.name(), DataType::Struct(kv.into()), false)
                .with_metadata(entries.metadata().clone());
            DataType::Map(Arc::new(entries), *sorted)
        }
        t if profile && (t.is_primitive() || *t == DataType::Boolean) => DataType::Utf8,
        t => t.clone(),
    }
}

/// How many rows of `batch` hold a quarantine reason (for summaries and tests).
pub fn quarantined_rows(batch: &RecordBatch) -> usize {
    batch
        .column_by_name(QUARANTINE_COLUMN)
        .map_or(0, |c| c.len() - c.null_count())
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test or fuzz check fails by panicking"
    )]

    use arrow_array::builder::{ListBuilder, StringBuilder, StructBuilder};
    use arrow_array::cast::AsArray;
    use arrow_array::{Int64Array, StructArray};
    use arrow_schema::Fields;
    use scrim_core::{Engine, Key, Policy, Redactor};
    use scrim_store::Governance;

    use super::*;
    use crate::{Redact, SourceRules};

    fn run(batch: &RecordBatch) -> (RecordBatch, Vec<RecordOutcome>) {
        let engine = Arc::new(Engine::new().unwrap());
        let policy = Policy::default_policy().unwrap();
        let stage = Redact::new(Redactor::new(engine, policy, Key::from_secret(b"k")));
        let gov = Governance::default_policy().unwrap();
        let admit = SourceRules(&gov);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let pipeline = Pipeline::new(&stage, &admit, &pool);
        let (out, summary) = redact_batch(&pipeline, batch).unwrap();
        assert_eq!(summary.records, batch.num_rows());
        let rows = encode_rows(batch).unwrap();
        let (outcomes, _) = pipeline.run_records(&rows).unwrap();
        (out, outcomes)
    }

    fn message_fields() -> Fields {
        Fields::from(vec![
            Field::new("role", DataType::Utf8, true),
            Field::new("content", DataType::Utf8, true),
        ])
    }

    /// Conversations as `list<struct<role, content>>`, a malformed row, every input column kept,
    /// and each written row equal to the JSONL line of the same record.
    #[test]
    fn messages_column_round_trips_and_quarantines() {
        let item = Field::new("item", DataType::Struct(message_fields()), true);
        let mut messages = ListBuilder::new(StructBuilder::from_fields(message_fields(), 4))
            .with_field(Arc::new(item));
        let rows: [Option<&[(&str, &str)]>; 3] = [
            Some(&[
                ("user", "hi, I'm Priya Sharma 😀, call +91 98765 43210"),
                ("assistant", "Hello Priya!"),
            ]),
            None,
            Some(&[(
                "user",
                "Меня зовут Анна, мой email anna.petrova@example.com",
            )]),
        ];
        for row in rows {
            match row {
                Some(ms) => {
                    for (role, content) in ms {
                        let s = messages.values();
                        s.field_builder::<StringBuilder>(0)
                            .unwrap()
                            .append_value(role);
                        s.field_builder::<StringBuilder>(1)
                            .unwrap()
                            .append_value(content);
                        s.append(true);
                    }
                    messages.append(true);
                }
                None => messages.append(false),
            }
        }
        let messages = messages.finish();
        let ids = StringArray::from(vec!["a", "b", "c"]);
        let turns = Int64Array::from(vec![Some(2), None, Some(1)]);
        let profile_fields = Fields::from(vec![
            Field::new("name", DataType::Utf8, true),
            Field::new("age", DataType::Int64, true),
        ]);
        let profile = StructArray::new(
            profile_fields.clone(),
            vec![
                Arc::new(StringArray::from(vec![Some("Priya Sharma"), None, None])),
                Arc::new(Int64Array::from(vec![Some(41), None, None])),
            ],
            None,
        );
        let schema = Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("messages", messages.data_type().clone(), true),
            Field::new("turns", DataType::Int64, true),
            Field::new("profile", DataType::Struct(profile_fields), true),
        ]);
        let batch = RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(ids),
                Arc::new(messages),
                Arc::new(turns),
                Arc::new(profile),
            ],
        )
        .unwrap();
        let (out, outcomes) = run(&batch);
        let schema = out.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            ["id", "messages", "turns", "profile", "scrim", "quarantine"]
        );
        assert_eq!(out.num_rows(), 3);
        assert_eq!(quarantined_rows(&out), 1);
        let q = out.column(5).as_string::<i32>();
        assert!(q.is_null(0) && q.is_null(2));
        assert_eq!(
            q.value(1),
            "no_messages_or_text: record has neither `messages` nor `text`"
        );
        // Nothing of the quarantined row passes on.
        for c in 0..5 {
            assert!(out.column(c).is_null(1), "column {c}");
        }
        // Each written row is the JSONL line, column by column.
        let scrim = out.column(4).as_string::<i32>();
        for (i, o) in outcomes.iter().enumerate() {
            let RecordOutcome::Written(line) = o else {
                continue;
            };
            let want: Value = serde_json::from_str(line).unwrap();
            assert_eq!(
                serde_json::from_str::<Value>(scrim.value(i)).unwrap(),
                want["scrim"]
            );
            let list = out.column(1).as_list::<i32>().value(i);
            let contents = list.as_struct().column(1).as_string::<i32>().clone();
            for (j, m) in want["messages"].as_array().unwrap().iter().enumerate() {
                assert_eq!(contents.value(j), m["content"].as_str().unwrap());
            }
        }
        let first = out.column(1).as_list::<i32>().value(0);
        let text = first
            .as_struct()
            .column(1)
            .as_string::<i32>()
            .value(0)
            .to_string();
        assert!(text.contains("[PERSON_1]") && text.contains('😀'), "{text}");
        assert!(!text.contains("Priya"));
        let third = out.column(1).as_list::<i32>().value(2);
        let text = third
            .as_struct()
            .column(1)
            .as_string::<i32>()
            .value(0)
            .to_string();
        assert!(!text.contains("anna.petrova"), "{text}");
        assert_eq!(
            out.column(2)
                .as_primitive::<arrow_array::types::Int64Type>()
                .value(0),
            2
        );
        // The profile's leaves come back as strings, replaced (the default policy).
        let profile = out.column(3).as_struct();
        assert_eq!(profile.column(1).data_type(), &DataType::Utf8);
        assert!(!profile
            .column(0)
            .as_string::<i32>()
            .value(0)
            .contains("Priya"));
    }

    /// Documents as a `text` column; a reserved column name and a batch without text refused.
    #[test]
    fn text_column_and_refusals() {
        let text = StringArray::from(vec![Some("mail me: jo.lee@example.org"), None]);
        let batch = RecordBatch::try_from_iter(vec![
            ("text", Arc::new(text) as ArrayRef),
            ("id", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
        ])
        .unwrap();
        let (out, _) = run(&batch);
        let t = out.column(0).as_string::<i32>();
        assert_eq!(t.value(0), "mail me: [EMAIL_1]");
        assert!(out.column(3).is_valid(1));
        assert_eq!(
            out.column(1)
                .as_primitive::<arrow_array::types::Int64Type>()
                .value(0),
            1
        );

        let bad = RecordBatch::try_from_iter(vec![(
            "body",
            Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
        )])
        .unwrap();
        let engine = Arc::new(Engine::new().unwrap());
        let stage = Redact::new(Redactor::new(
            engine,
            Policy::default_policy().unwrap(),
            Key::from_secret(b"k"),
        ));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let all = crate::AdmitAll;
        let pipeline = Pipeline::new(&stage, &all, &pool);
        assert!(matches!(
            redact_batch(&pipeline, &bad),
            Err(BatchError::NoText)
        ));
        let reserved = RecordBatch::try_from_iter(vec![
            ("text", Arc::new(StringArray::from(vec!["x"])) as ArrayRef),
            (
                "quarantine",
                Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
            ),
        ])
        .unwrap();
        assert!(matches!(
            redact_batch(&pipeline, &reserved),
            Err(BatchError::Reserved("quarantine"))
        ));
    }

    /// Admission of a batch against the store, on every back-end: one verdict per row, the
    /// admitted rows with subjects as lineage ids, counts per code, the admitted subjects known
    /// to the store (so forget finds them), and the lineage columns added to the rows.
    #[test]
    fn a_batch_is_admitted_by_consent_with_its_lineage() {
        use scrim_store::{Decision, Keyring, SecretKey};

        use crate::{BlockingStore, RowVerdict, StoreAdmission};
        let tmp = tempfile::tempdir().unwrap();
        let ring = Keyring::from_keys(vec![SecretKey::random().unwrap()]).unwrap();
        for backend in scrim_store::testing::backends().unwrap() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let url = rt
                .block_on(scrim_store::testing::fresh_url(
                    backend.as_deref(),
                    tmp.path(),
                    "admit.db",
                ))
                .unwrap();
            let store = BlockingStore::open(&url).unwrap();
            let deny = store
                .store()
                .set_consent("bob", "training", Decision::Deny, "test", None);
            store.run(deny).unwrap();
            let gov = Governance::default_policy().unwrap();
            let admission = StoreAdmission::new(store, gov, &ring).unwrap();
            let batch = RecordBatch::try_from_iter(vec![
                (
                    "id",
                    Arc::new(Int64Array::from(vec![1, 2, 3, 4, 5])) as ArrayRef,
                ),
                (
                    "subject",
                    Arc::new(StringArray::from(vec![
                        Some("ann"),
                        Some("bob"),
                        Some("cy"),
                        Some("dee"),
                        Some("ann"),
                    ])) as ArrayRef,
                ),
                (
                    "source",
                    Arc::new(StringArray::from(vec![
                        "ai_chat", "ai_chat", "dm", "ai_chat", "ai_chat",
                    ])) as ArrayRef,
                ),
                (
                    "text",
                    Arc::new(StringArray::from(vec![
                        Some("hi"),
                        Some("hi"),
                        Some("hi"),
                        None,
                        Some("yo"),
                    ])) as ArrayRef,
                ),
            ])
            .unwrap();
            let (rows, report) = admit_batch(&admission, "training", &batch).unwrap();
            assert_eq!(report.rows.len(), 5, "{url}");
            assert_eq!(report.admitted, 2, "{url}");
            assert_eq!(report.excluded["opted_out"], 1, "{url}");
            assert_eq!(report.excluded["source_forbids_purpose"], 1, "{url}");
            assert_eq!(report.quarantined["no_messages_or_text"], 1, "{url}");
            assert!(matches!(report.rows[0], RowVerdict::Admitted(_)), "{url}");
            let ann = admission.lineage().subject("ann");
            let ids = rows
                .column_by_name("id")
                .unwrap()
                .as_primitive::<arrow_array::types::Int64Type>();
            assert_eq!(ids.values().to_vec(), [1, 5], "{url}");
            let subjects = rows.column_by_name("subject").unwrap().as_string::<i32>();
            assert_eq!(
                subjects.value(0),
                ann,
                "{url}: lineage ids, never the source's ids"
            );
            let text = rows.column_by_name("text").unwrap().as_string::<i32>();
            assert_eq!((text.value(0), text.value(1)), ("hi", "yo"), "{url}");
            let lineage: Vec<_> = report.admitted_lineage().cloned().collect();
            assert_eq!(lineage[0].record, admission.lineage().record("1"), "{url}");
            let with = with_lineage(&rows, &lineage).unwrap();
            let cols: Vec<_> = with
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            assert_eq!(
                cols,
                [
                    "id",
                    "subject",
                    "source",
                    "text",
                    "scrim_subject",
                    "scrim_record"
                ],
                "{url}"
            );
            assert!(matches!(
                with_lineage(&with, &lineage),
                Err(BatchError::Reserved("scrim_subject"))
            ));
            assert!(matches!(
                with_lineage(&rows, &lineage[..1]),
                Err(BatchError::LineageRows {
                    rows: 2,
                    lineage: 1
                })
            ));
            // The store knows ann's lineage id now: forgetting her is linked.
            let st = admission.store();
            let t = st.run(st.store().forget("ann", "test")).unwrap();
            assert!(t.subject_linked, "{url}");
            // An undeclared purpose is an error, not an exclusion.
            assert!(matches!(
                admit_batch(&admission, "no-such-purpose", &batch),
                Err(AdmitBatchError::Admission(AdmissionError::Purpose { .. }))
            ));
        }
    }
}
