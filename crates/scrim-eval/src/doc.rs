//! Documents and their lenient parsing from JSONL records.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::py::{self, PyInt};
use crate::Error;

/// One labelled span: `[start, end)` in Unicode code points (Python `str` indices).
///
/// Spans are kept as read, including empty, reversed or negative ones: the scorer drops those
/// (and counts them in its warnings) exactly like `score.py`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First code point of the span.
    pub start: i64,
    /// One past the last code point of the span.
    pub end: i64,
    /// The label, as Python's `str()` would print the JSON value.
    pub label: String,
}

impl Span {
    /// A span `[start, end)` with `label`.
    pub fn new(start: i64, end: i64, label: impl Into<String>) -> Self {
        Span {
            start,
            end,
            label: label.into(),
        }
    }
}

/// Where a document came from when it is one message of a conversation record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageRef {
    /// The conversation's id (`str()` of the record's `id`).
    pub conversation: String,
    /// The message's index in the conversation (0-based).
    pub index: usize,
}

/// What the lenient parser noticed but did not fail on.
///
/// `score.py` counts malformed spans in its warnings when it normalises a document's spans, and
/// crashes on a few shapes (a `spans` value that is not iterable, a gold `text` without a length);
/// [`score`](crate::score) reproduces both from these notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseNotes {
    /// One entry per malformed span entry (not an object, missing `start`/`end`/`label`, an offset
    /// Python's `int()` rejects): the number of well-formed spans that came before it in
    /// [`Doc::spans`]. Kept in order so that warnings appear in the order `score.py` emits them.
    pub malformed_at: Vec<usize>,
    /// The record has a `text` (or message `content`) that is not a string. `score.py` fails on
    /// such a gold document (for `null`, numbers and booleans; it measures lists and objects by
    /// their length, which is not reproduced: scoring fails for those too).
    pub text_not_string: bool,
    /// The record's `spans` is a non-zero number or `true`: Python cannot iterate it, and
    /// scoring fails when this document's spans are needed.
    pub spans_not_iterable: bool,
}

/// One document: an id, its text if known, and its spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// The id, as Python's `str(record.get("id"))` prints it (a missing id is `"None"`); for a
    /// message of a conversation `"<conversation id>#<message index>"`.
    pub id: String,
    /// The text (for a conversation message: its `content`). Needed only for
    /// `ignore_whitespace` and for the "span beyond end of text" warnings.
    pub text: Option<String>,
    /// The spans, in input order, as read (not yet deduplicated or filtered).
    pub spans: Vec<Span>,
    /// Problems found while parsing.
    pub notes: ParseNotes,
    /// Set when this document is one message of a conversation record.
    pub message: Option<MessageRef>,
}

impl Doc {
    /// A plain document with nothing odd about it.
    pub fn new(id: impl Into<String>, text: Option<String>, spans: Vec<Span>) -> Self {
        Doc {
            id: id.into(),
            text,
            spans,
            ..Doc::default()
        }
    }

    /// Parses a plain `{"id", "text", "spans"}` record the way `score.py` reads it. Conversation
    /// records are not recognised here; use [`flatten`] for records of either shape.
    ///
    /// A record that is not a JSON object gives a document with id `"None"` and no spans
    /// (`score.py` would crash on it; [`parse_records`] reports it as an error instead).
    pub fn from_value(record: &Value) -> Doc {
        let Some(obj) = record.as_object() else {
            return Doc::new("None", None, Vec::new());
        };
        let mut doc = Doc::new(id_of(obj), None, Vec::new());
        match obj.get("text") {
            None => {}
            Some(Value::String(s)) => doc.text = Some(s.clone()),
            Some(_) => doc.notes.text_not_string = true,
        }
        for entry in span_entries(obj.get("spans"), &mut doc.notes) {
            push_entry(&mut doc, entry);
        }
        doc
    }
}

/// `str(record.get("id"))`.
fn id_of(obj: &Map<String, Value>) -> String {
    obj.get("id").map_or_else(|| "None".to_owned(), py::str_of)
}

/// One item of Python's `for sp in spans or []`.
enum Entry<'a> {
    /// An element of a list.
    Value(&'a Value),
    /// A character of a string or a key of an object: never a valid span.
    Junk,
}

/// The items Python's `for sp in spans or []` iterates over.
fn span_entries<'a>(spans: Option<&'a Value>, notes: &mut ParseNotes) -> Vec<Entry<'a>> {
    match spans {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Vec::new(),
        Some(Value::Bool(true)) => {
            notes.spans_not_iterable = true;
            Vec::new()
        }
        Some(Value::Number(n)) => {
            if n.as_f64() != Some(0.0) {
                notes.spans_not_iterable = true;
            }
            Vec::new()
        }
        Some(Value::String(s)) => s.chars().map(|_| Entry::Junk).collect(),
        Some(Value::Object(m)) => m.keys().map(|_| Entry::Junk).collect(),
        Some(Value::Array(items)) => items.iter().map(Entry::Value).collect(),
    }
}

/// `int(sp["start"]), int(sp["end"]), str(sp["label"])`, or `None` where Python raises.
///
/// Offsets above `i64::MAX` are treated as malformed (Python would keep them).
fn parse_span(sp: &Value) -> Option<Span> {
    let obj = sp.as_object()?;
    let start = match py::int_of(obj.get("start")?)? {
        PyInt::Int(v) => v,
        PyInt::TooLarge => return None,
    };
    let end = match py::int_of(obj.get("end")?)? {
        PyInt::Int(v) => v,
        PyInt::TooLarge => return None,
    };
    let label = py::str_of(obj.get("label")?);
    Some(Span { start, end, label })
}

fn push_entry(doc: &mut Doc, entry: Entry<'_>) {
    match entry {
        Entry::Value(v) => match parse_span(v) {
            Some(span) => doc.spans.push(span),
            None => doc.notes.malformed_at.push(doc.spans.len()),
        },
        Entry::Junk => doc.notes.malformed_at.push(doc.spans.len()),
    }
}

/// The `message` index of a conversation span, if it is a usable non-negative integer.
fn message_index(sp: &Value) -> Option<usize> {
    match py::int_of(sp.as_object()?.get("message")?)? {
        PyInt::Int(v) => usize::try_from(v).ok(),
        PyInt::TooLarge => None,
    }
}

/// Whether a record is conversation-shaped: it has a `messages` list, or (prediction shape, no
/// `messages` and no `text`) one of its spans is an object with a `message` key.
fn is_conversation(obj: &Map<String, Value>) -> bool {
    match obj.get("messages") {
        Some(Value::Array(_)) => true,
        Some(_) => false,
        None if obj.contains_key("text") => false,
        None => match obj.get("spans") {
            Some(Value::Array(items)) => items
                .iter()
                .any(|sp| sp.as_object().is_some_and(|o| o.contains_key("message"))),
            _ => false,
        },
    }
}

/// Turns one JSONL record into documents.
///
/// - A plain `{"id", "text", "spans"}` record gives one [`Doc`] (see [`Doc::from_value`]).
/// - A conversation record `{"id": "c1", "messages": [{"role", "content"}, ...], "spans":
///   [{"message": 0, "start", "end", "label"}, ...]}` gives one document per message, with id
///   `"c1#0"`, `"c1#1"`, ..., text = that message's `content` (a missing or `null` content is the
///   empty text), and the spans whose `message` is that index; offsets are code points into the
///   content.
/// - A conversation-shaped prediction (as written by `scrim detect`) has no `messages`; it is
///   recognised by the `message` key of its spans (when the record has no `text`) and gives one document per message index that
///   has spans, in index order, without text. Messages without spans get no document: the scorer
///   treats a missing `c1#i` prediction as empty (and does not warn) when the prediction file has
///   any line for conversation `c1` (see [`score`](crate::score)). A conversation prediction with
///   no spans at all is indistinguishable from a plain record and becomes the plain document
///   `"c1"`, which serves exactly that purpose.
///
/// A conversation span without a usable `message` index (missing, not a non-negative integer, or
/// past the last message) is counted as a malformed span of message 0 (for a prediction, a
/// document `"c1#0"` is created for it if needed; a gold conversation without messages has no
/// document to carry it). A record that is not a JSON object gives no documents.
pub fn flatten(record: &Value) -> Vec<Doc> {
    let Some(obj) = record.as_object() else {
        return Vec::new();
    };
    if !is_conversation(obj) {
        return vec![Doc::from_value(record)];
    }
    let base = id_of(obj);
    let make = |index: usize| Doc {
        id: format!("{base}#{index}"),
        message: Some(MessageRef {
            conversation: base.clone(),
            index,
        }),
        ..Doc::default()
    };
    let mut notes = ParseNotes::default();
    let entries = span_entries(obj.get("spans"), &mut notes);
    let mut docs: BTreeMap<usize, Doc> = BTreeMap::new();
    let messages = match obj.get("messages") {
        Some(Value::Array(msgs)) => Some(msgs),
        _ => None,
    };
    if let Some(msgs) = messages {
        for (i, msg) in msgs.iter().enumerate() {
            let mut d = make(i);
            match msg.get("content") {
                None | Some(Value::Null) => d.text = Some(String::new()),
                Some(Value::String(s)) => d.text = Some(s.clone()),
                Some(_) => d.notes.text_not_string = true,
            }
            docs.insert(i, d);
        }
    }
    let limit = messages.map(Vec::len);
    for entry in entries {
        let index = match &entry {
            Entry::Value(v) => message_index(v).filter(|i| limit.is_none_or(|n| *i < n)),
            Entry::Junk => None,
        };
        let target = match index {
            Some(i) => docs.entry(i).or_insert_with(|| make(i)),
            None if limit == Some(0) => continue,
            None => docs.entry(0).or_insert_with(|| make(0)),
        };
        match index {
            Some(_) => push_entry(target, entry),
            None => target.notes.malformed_at.push(target.spans.len()),
        }
    }
    let mut out: Vec<Doc> = docs.into_values().collect();
    if notes.spans_not_iterable {
        for d in &mut out {
            d.notes.spans_not_iterable = true;
        }
    }
    out
}

/// Flattens parsed JSONL records into documents (see [`flatten`]).
///
/// Fails on a record that is not a JSON object, naming its 1-based position among the records
/// (`score.py` crashes on those).
pub fn parse_records(records: &[Value]) -> Result<Vec<Doc>, Error> {
    let mut out = Vec::with_capacity(records.len());
    for (i, rec) in records.iter().enumerate() {
        if !rec.is_object() {
            return Err(Error::NotAnObject { record: i + 1 });
        }
        out.extend(flatten(rec));
    }
    Ok(out)
}

/// Splits JSONL text into records the way `score.py` reads a file: lines end at `\n`, `\r\n` or
/// `\r` (Python's universal newlines), each line is stripped of whitespace (`str.strip()`), blank
/// lines are skipped.
///
/// Fails on a line that is not valid JSON, naming the 1-based line number and column (never the
/// line's content). Differences from Python's `json`: `NaN`/`Infinity` literals and lone surrogate
/// escapes are rejected; integers outside the 64-bit range become floats.
pub fn read_jsonl(text: &str) -> Result<Vec<Value>, Error> {
    let mut rows = Vec::new();
    for (i, line) in universal_lines(text).enumerate() {
        let line = py::strip(line);
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => rows.push(v),
            Err(e) => {
                return Err(Error::BadJson {
                    line: i + 1,
                    column: e.column(),
                })
            }
        }
    }
    Ok(rows)
}

/// Reads JSONL text and flattens its records: [`read_jsonl`] then [`parse_records`].
pub fn load_jsonl(text: &str) -> Result<Vec<Doc>, Error> {
    parse_records(&read_jsonl(text)?)
}

/// Lines as Python's text-mode file iteration yields them (without their terminators).
fn universal_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        if s.is_empty() {
            rest = None;
            return None;
        }
        match s.find(['\n', '\r']) {
            None => {
                rest = None;
                Some(s)
            }
            Some(pos) => {
                let (line, tail) = s.split_at(pos);
                let skip = if tail.starts_with("\r\n") { 2 } else { 1 };
                rest = tail.get(skip..);
                Some(line)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn universal_newlines() {
        let lines: Vec<&str> = universal_lines("a\nb\r\nc\rd").collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        let lines: Vec<&str> = universal_lines("a\n\n").collect();
        assert_eq!(lines, ["a", ""]);
        assert_eq!(universal_lines("").count(), 0);
    }

    #[test]
    fn read_jsonl_skips_blank_and_names_line() {
        let rows = read_jsonl("{\"id\": 1}\n\n  \u{a0}\n{\"id\": 2}\r\n").unwrap();
        assert_eq!(rows.len(), 2);
        let err = read_jsonl("{\"id\": 1}\n\n{\"id\": \"secret text\"\n").unwrap_err();
        assert!(matches!(err, Error::BadJson { line: 3, .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("line 3"), "{msg}");
        assert!(!msg.contains("secret"), "{msg}");
    }

    #[test]
    fn plain_record_is_lenient() {
        let d = Doc::from_value(&json!({
            "id": 7, "text": "hello",
            "spans": [
                {"start": 0, "end": 2, "label": "A"},
                {"start": "x", "end": 2, "label": "A"},
                "junk",
                {"start": " 1 ", "end": 3.7, "label": 5},
                {"start": 0, "end": 2}
            ]
        }));
        assert_eq!(d.id, "7");
        assert_eq!(d.text.as_deref(), Some("hello"));
        assert_eq!(d.spans, vec![Span::new(0, 2, "A"), Span::new(1, 3, "5")]);
        assert_eq!(d.notes.malformed_at, vec![1, 1, 2]);
        assert!(!d.notes.text_not_string);

        let d = Doc::from_value(&json!({"text": null, "spans": "abc"}));
        assert_eq!(d.id, "None");
        assert!(d.notes.text_not_string);
        assert_eq!(d.notes.malformed_at, vec![0, 0, 0]);

        let d = Doc::from_value(&json!({"id": 1.0, "spans": 0}));
        assert_eq!(d.id, "1.0");
        assert!(!d.notes.spans_not_iterable);
        let d = Doc::from_value(&json!({"id": "x", "spans": 3}));
        assert!(d.notes.spans_not_iterable);
    }

    #[test]
    fn flatten_gold_conversation() {
        let rec = json!({
            "id": "c1",
            "messages": [
                {"role": "user", "content": "hi Priya 😀"},
                {"role": "assistant", "content": null},
                {"role": "user", "content": "नमस्ते Ravi"}
            ],
            "spans": [
                {"message": 2, "start": 7, "end": 11, "label": "PERSON"},
                {"message": 0, "start": 3, "end": 8, "label": "PERSON"},
                {"message": 9, "start": 0, "end": 1, "label": "PERSON"},
                {"start": 0, "end": 1, "label": "PERSON"}
            ]
        });
        let docs = flatten(&rec);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["c1#0", "c1#1", "c1#2"]);
        assert_eq!(docs[0].spans, vec![Span::new(3, 8, "PERSON")]);
        assert_eq!(docs[0].notes.malformed_at, vec![1, 1]);
        assert_eq!(docs[1].text.as_deref(), Some(""));
        assert_eq!(docs[2].spans, vec![Span::new(7, 11, "PERSON")]);
        assert_eq!(
            docs[2].message,
            Some(MessageRef {
                conversation: "c1".into(),
                index: 2
            })
        );
    }

    #[test]
    fn flatten_pred_conversation() {
        let rec = json!({"id": "c1", "spans": [
            {"message": 3, "start": 0, "end": 2, "label": "A"},
            {"message": 1, "start": 1, "end": 2, "label": "B"}
        ]});
        let docs = flatten(&rec);
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["c1#1", "c1#3"]);
        assert!(docs.iter().all(|d| d.text.is_none()));
        // no spans: a plain document named after the conversation
        // a plain record whose spans carry a "message" key is still plain
        let docs = flatten(&json!({"id": "t", "text": "abc", "spans": [
            {"message": 1, "start": 0, "end": 2, "label": "A"}
        ]}));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "t");
        assert_eq!(docs[0].spans.len(), 1);
        let docs = flatten(&json!({"id": "c1", "spans": []}));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "c1");
        assert_eq!(docs[0].message, None);
    }

    #[test]
    fn parse_records_rejects_non_objects() {
        let err = parse_records(&[json!({"id": "a"}), json!([1])]).unwrap_err();
        assert!(matches!(err, Error::NotAnObject { record: 2 }));
    }
}
