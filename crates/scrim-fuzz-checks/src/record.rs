//! Record parsing: arbitrary bytes as one JSONL line.
//!
//! Invariants: parsing never panics; an accepted record has the shape its fields say, as many
//! texts as messages, and survives the round trip through JSON (`into_value` → `from_value`)
//! with the same texts; `set_texts` with its own texts changes nothing; `Debug` shows no
//! content; a refusal has a stable code and an error message that quotes no input line.

use scrim_core::record::Shape;
use scrim_core::{Record, RecordError};
use serde_json::Value;

/// The codes [`RecordError::code`] may give.
const CODES: [&str; 9] = [
    "invalid_json",
    "not_an_object",
    "no_messages_or_text",
    "messages_not_array",
    "message_not_object",
    "content_not_string",
    "text_not_string",
    "profile_not_object",
    "attachments_not_array",
];

/// Parse `data` as one line (lossily decoded where it is not UTF-8) and check the invariants.
pub fn check(data: &[u8]) {
    let line = String::from_utf8_lossy(data);
    match Record::parse(&line) {
        Ok(record) => accepted(&record),
        Err(e) => refused(&e, &line),
    }
}

fn accepted(record: &Record) {
    let texts: Vec<String> = record.texts().into_iter().map(str::to_string).collect();
    match record.shape() {
        Shape::Conversation => {
            let messages = record
                .field("messages")
                .and_then(Value::as_array)
                .expect("a conversation has a `messages` array");
            assert_eq!(texts.len(), messages.len(), "one text per message");
        }
        Shape::Document => {
            assert!(record.field("text").is_some_and(Value::is_string));
            assert_eq!(texts.len(), 1, "a document has one text");
        }
    }
    if let Some(p) = record.field("profile") {
        assert!(p.is_null() || record.profile().is_some());
    }
    if let Some(a) = record.field("attachments") {
        assert!(a.is_null() || record.attachments().is_some());
    }
    let debug = format!("{record:?}");
    for t in &texts {
        assert!(
            t.chars().count() < 8 || !debug.contains(t.as_str()),
            "Debug of a record shows its content"
        );
    }
    assert!(debug.len() < 200, "Debug of a record is a short summary");

    let again = Record::from_value(record.clone().into_value()).expect("a record round-trips");
    assert_eq!(again.shape(), record.shape());
    assert_eq!(again.texts(), record.texts());
    assert_eq!(again.id(), record.id());

    let mut same = record.clone();
    same.set_texts(texts.clone());
    assert_eq!(
        same.into_value(),
        record.clone().into_value(),
        "set_texts with the record's own texts changes nothing"
    );
}

fn refused(e: &RecordError, line: &str) {
    assert!(CODES.contains(&e.code()), "unknown error code {}", e.code());
    let message_of = |l: &str| Record::parse(l).err().map(|e| e.to_string());
    assert!(
        !crate::quotes_an_input_line(line, message_of),
        "a record error quotes its input: {e}"
    );
    assert!(e.to_string().len() < 200, "a record error is short");
}
