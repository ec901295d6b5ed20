//! Input records: a conversation (`messages`) or a plain document (`text`), kept as JSON.
//!
//! A record keeps its fields; Scrim rewrites what holds personal data (message contents, `text`,
//! `profile`, `attachments`, and the other fields as [`crate::fields`] describes) and adds a
//! `scrim` field. Validation errors say what is wrong
//! and where, never the content.

use serde_json::{Map, Value};

/// Why a record cannot be processed. Goes to the quarantine file with its line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The line is not valid JSON.
    #[error("invalid JSON ({kind}) at column {column}")]
    InvalidJson {
        /// The kind of error: syntax, eof, data.
        kind: &'static str,
        /// 1-based column of the error.
        column: usize,
    },
    /// The JSON value is not an object.
    #[error("record is not a JSON object")]
    NotAnObject,
    /// Neither `messages` nor `text` is present.
    #[error("record has neither `messages` nor `text`")]
    NoContent,
    /// `messages` is not an array.
    #[error("`messages` is not an array")]
    MessagesNotArray,
    /// A message is not an object.
    #[error("message {index} is not an object")]
    MessageNotObject {
        /// 0-based index of the message.
        index: usize,
    },
    /// A message's `content` is present but not a string.
    #[error("message {index} has a non-string `content`")]
    ContentNotString {
        /// 0-based index of the message.
        index: usize,
    },
    /// `text` is not a string.
    #[error("`text` is not a string")]
    TextNotString,
    /// `profile` is present but not an object.
    #[error("`profile` is not an object")]
    ProfileNotObject,
    /// `attachments` is present but not an array.
    #[error("`attachments` is not an array")]
    AttachmentsNotArray,
}

impl RecordError {
    /// A short stable code for summaries (`invalid_json`, `content_not_string`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            RecordError::InvalidJson { .. } => "invalid_json",
            RecordError::NotAnObject => "not_an_object",
            RecordError::NoContent => "no_messages_or_text",
            RecordError::MessagesNotArray => "messages_not_array",
            RecordError::MessageNotObject { .. } => "message_not_object",
            RecordError::ContentNotString { .. } => "content_not_string",
            RecordError::TextNotString => "text_not_string",
            RecordError::ProfileNotObject => "profile_not_object",
            RecordError::AttachmentsNotArray => "attachments_not_array",
        }
    }
}

/// Which of the two record shapes this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"messages": [{"role", "content"}, ...], ...}`.
    Conversation,
    /// `{"text": "..."}`.
    Document,
}

/// A validated input record.
///
/// `Debug` shows the shape and sizes only, never content.
#[derive(Clone)]
pub struct Record {
    obj: Map<String, Value>,
    shape: Shape,
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("shape", &self.shape)
            .field("texts", &self.texts().len())
            .finish_non_exhaustive()
    }
}

fn json_error(e: &serde_json::Error) -> RecordError {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "io",
        serde_json::error::Category::Syntax => "syntax",
        serde_json::error::Category::Data => "data",
        serde_json::error::Category::Eof => "unexpected end",
    };
    RecordError::InvalidJson {
        kind,
        column: e.column(),
    }
}

impl Record {
    /// Parse and validate one JSONL line.
    pub fn parse(line: &str) -> Result<Record, RecordError> {
        let value: Value = serde_json::from_str(line).map_err(|e| json_error(&e))?;
        Record::from_value(value)
    }

    /// Validate a parsed JSON value.
    pub fn from_value(value: Value) -> Result<Record, RecordError> {
        let Value::Object(obj) = value else {
            return Err(RecordError::NotAnObject);
        };
        let shape = if let Some(messages) = obj.get("messages") {
            let Value::Array(messages) = messages else {
                return Err(RecordError::MessagesNotArray);
            };
            for (index, m) in messages.iter().enumerate() {
                let Value::Object(m) = m else {
                    return Err(RecordError::MessageNotObject { index });
                };
                match m.get("content") {
                    None | Some(Value::Null) | Some(Value::String(_)) => {}
                    Some(_) => return Err(RecordError::ContentNotString { index }),
                }
            }
            Shape::Conversation
        } else if let Some(text) = obj.get("text") {
            if !text.is_string() {
                return Err(RecordError::TextNotString);
            }
            Shape::Document
        } else {
            return Err(RecordError::NoContent);
        };
        match obj.get("profile") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(_) => return Err(RecordError::ProfileNotObject),
        }
        match obj.get("attachments") {
            None | Some(Value::Null) | Some(Value::Array(_)) => {}
            Some(_) => return Err(RecordError::AttachmentsNotArray),
        }
        Ok(Record { obj, shape })
    }

    /// The record's shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The record's `id` as a string (numbers are written out), if it has one.
    pub fn id(&self) -> Option<String> {
        match self.obj.get("id")? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// Every top-level field.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.obj
    }

    /// Any field at the top level.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.obj.get(name)
    }

    /// A string field at the top level (`subject`, `source`, ...).
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.obj.get(name).and_then(Value::as_str)
    }

    /// Per text, whether it is an assistant's answer (role `assistant`, `gpt`, `bot`, `model`
    /// or `ai`, in any case): each message's role, or a document's own top-level `role` (one
    /// message exported as a document).
    pub fn answers(&self) -> Vec<bool> {
        let answer = |v: Option<&Value>| {
            v.and_then(Value::as_str).is_some_and(|r| {
                ["assistant", "gpt", "bot", "model", "ai"]
                    .iter()
                    .any(|a| r.trim().eq_ignore_ascii_case(a))
            })
        };
        match self.shape {
            Shape::Conversation => self
                .obj
                .get("messages")
                .and_then(Value::as_array)
                .map(|ms| ms.iter().map(|m| answer(m.get("role"))).collect())
                .unwrap_or_default(),
            Shape::Document => vec![answer(self.obj.get("role"))],
        }
    }

    /// The texts to scan: each message's content (empty when missing or null), or the one `text`.
    pub fn texts(&self) -> Vec<&str> {
        match self.shape {
            Shape::Conversation => self
                .obj
                .get("messages")
                .and_then(Value::as_array)
                .map(|ms| {
                    ms.iter()
                        .map(|m| m.get("content").and_then(Value::as_str).unwrap_or(""))
                        .collect()
                })
                .unwrap_or_default(),
            Shape::Document => vec![self.obj.get("text").and_then(Value::as_str).unwrap_or("")],
        }
    }

    /// The `profile` object, if any.
    pub fn profile(&self) -> Option<&Map<String, Value>> {
        self.obj.get("profile").and_then(Value::as_object)
    }

    /// The `attachments` array, if any.
    pub fn attachments(&self) -> Option<&Vec<Value>> {
        self.obj.get("attachments").and_then(Value::as_array)
    }

    /// Replace the texts (same count and order as [`Record::texts`]); extra values are ignored.
    pub fn set_texts(&mut self, texts: Vec<String>) {
        match self.shape {
            Shape::Conversation => {
                if let Some(Value::Array(ms)) = self.obj.get_mut("messages") {
                    for (m, t) in ms.iter_mut().zip(texts) {
                        if let Value::Object(m) = m {
                            if matches!(m.get("content"), Some(Value::String(_))) {
                                m.insert("content".into(), Value::String(t));
                            }
                        }
                    }
                }
            }
            Shape::Document => {
                if let Some(t) = texts.into_iter().next() {
                    self.obj.insert("text".into(), Value::String(t));
                }
            }
        }
    }

    /// Mutable access to the whole JSON object, for the replacement stage.
    pub fn fields_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.obj
    }

    /// The record as a JSON value.
    pub fn into_value(self) -> Value {
        Value::Object(self.obj)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_shapes_and_keeps_unknown_fields() {
        let r = Record::parse(r#"{"id":"c1","x":1,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null}]}"#).unwrap();
        assert_eq!(r.answers(), vec![false, true]);
        let d = Record::parse(r#"{"id":"d","role":"GPT","text":"hello"}"#).unwrap();
        assert_eq!(d.answers(), vec![true]);
        let d = Record::parse(r#"{"id":"d","text":"hello"}"#).unwrap();
        assert_eq!(d.answers(), vec![false]);
        assert_eq!(r.shape(), Shape::Conversation);
        assert_eq!(r.texts(), vec!["hi", ""]);
        assert_eq!(r.id().as_deref(), Some("c1"));
        let v = r.into_value();
        assert_eq!(v["x"], 1);
        let d = Record::parse(r#"{"id":7,"text":"hello"}"#).unwrap();
        assert_eq!(d.shape(), Shape::Document);
        assert_eq!(d.id().as_deref(), Some("7"));
    }

    #[test]
    fn rejects_bad_records_without_leaking_content() {
        let cases = [
            (
                r#"{"id":"a","messages":[{"role":"user","content":42}]}"#,
                "content_not_string",
            ),
            (
                r#"{"id":"a","messages":{"role":"user"}}"#,
                "messages_not_array",
            ),
            (r#"{"id":"a"}"#, "no_messages_or_text"),
            (r#"[1,2]"#, "not_an_object"),
            (r#"{"id":"a","text":"secret-value"#, "invalid_json"),
            (r#"{"id":"a","text":["secret"]}"#, "text_not_string"),
            (
                r#"{"id":"a","text":"x","profile":"Hailey"}"#,
                "profile_not_object",
            ),
        ];
        for (line, code) in cases {
            let e = Record::parse(line).unwrap_err();
            assert_eq!(e.code(), code, "{line}");
            assert!(!e.to_string().contains("secret"));
            assert!(!e.to_string().contains("Hailey"));
        }
    }

    #[test]
    fn debug_hides_content() {
        let r = Record::parse(r#"{"text":"Hailey Mills lives in Boise"}"#).unwrap();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("Hailey"), "{dbg}");
    }
}
