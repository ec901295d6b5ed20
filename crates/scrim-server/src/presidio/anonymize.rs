//! `POST /anonymize` and `POST /deanonymize`: Presidio's `AnonymizerEngine` on the analyzer's
//! results. Results of one type that overlap merge, a result inside another (or equal with a
//! lower score) goes, neighbours of one type with only spaces between merge; then each
//! result, from the last to the first, becomes its operator's output, and the answer gives
//! each replacement's code point offsets in the output text (items from the last replaced to
//! the first, as Presidio lists them). Offsets arrive in code points; the text is cut in
//! UTF-8 bytes.

use std::collections::BTreeMap;

use scrim_core::text::OffsetMap;
use serde_json::{json, Map, Value};

use super::operators::{Config, Ctx, Direction};
use super::{Presidio, PresidioError};

/// One analyzer result, in code points of the input.
#[derive(Clone, Debug, PartialEq)]
struct Res {
    entity: String,
    start: usize,
    end: usize,
    score: f64,
}

impl Res {
    fn intersects(&self, o: &Res) -> bool {
        !(self.end < o.start || o.end < self.start) && self.end.min(o.end) > self.start.max(o.start)
    }
    fn contains(&self, o: &Res) -> bool {
        self.start <= o.start && self.end >= o.end
    }
    fn has_conflict(&self, o: &Res) -> bool {
        if self.start == o.start && self.end == o.end {
            return self.score <= o.score;
        }
        o.contains(self)
    }
}

fn invalid(msg: impl Into<String>) -> PresidioError {
    PresidioError::InvalidParam(msg.into())
}

/// A position field of a result (`start`, `end`).
fn position(o: &Map<String, Value>, key: &str) -> Result<usize, PresidioError> {
    match o.get(key) {
        None | Some(Value::Null) => {
            Err(invalid(format!("Invalid input, result must contain {key}")))
        }
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if i < 0 => Err(invalid(
                "Invalid input, result start and end must be positive",
            )),
            Some(i) => usize::try_from(i)
                .map_err(|_| invalid("Invalid input, result start and end must be positive")),
            None => Err(invalid(format!(
                "Invalid parameter value for {key}. Expecting 'number', but got 'number'."
            ))),
        },
        Some(v) => Err(invalid(format!(
            "Invalid parameter value for {key}. Expecting 'number', but got '{}'.",
            match v {
                Value::String(_) => "string",
                Value::Bool(_) => "boolean",
                Value::Array(_) => "array",
                _ => "object",
            }
        ))),
    }
}

/// One result (`RecognizerResult.from_json`; `score` only where `scored`).
fn result_of(v: &Value, scored: bool) -> Result<Res, PresidioError> {
    let o = v
        .as_object()
        .ok_or_else(|| invalid("Invalid input, an analyzer result must be an object"))?;
    let start = position(o, "start")?;
    let end = position(o, "end")?;
    let entity = match o.get("entity_type") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(invalid("Invalid input, result must contain entity_type")),
    };
    if start > end {
        return Err(invalid(format!(
            "Invalid input, start index '{start}' must be smaller than end index '{end}'"
        )));
    }
    let score = match o.get("score") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        None | Some(Value::Null) if scored => {
            return Err(invalid("Invalid input, analyzer result must contain score"))
        }
        None | Some(Value::Null) => 0.0,
        Some(_) => return Err(invalid("Invalid parameter value for score.")),
    };
    Ok(Res {
        entity,
        start,
        end,
        score,
    })
}

/// The operators by entity type (`DEFAULT` included when `default` is given).
fn operators_of(
    v: Option<&Value>,
    default: Option<&str>,
) -> Result<BTreeMap<String, Config>, PresidioError> {
    let mut ops = BTreeMap::new();
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) => {
            for (entity, conf) in o {
                ops.insert(entity.clone(), Config::from_json(conf)?);
            }
        }
        Some(_) => {
            return Err(PresidioError::BadRequest(
                "Invalid request json: the operators must be an object".to_string(),
            ))
        }
    }
    if ops.values().any(|c| c.name == "custom") {
        return Err(PresidioError::BadRequest(
            "Custom type anonymizer is not supported".to_string(),
        ));
    }
    if let Some(d) = default {
        ops.entry("DEFAULT".to_string()).or_insert(Config {
            name: d.to_string(),
            params: Map::new(),
        });
    }
    Ok(ops)
}

/// Presidio's `_remove_conflicts_and_get_text_manipulation_data` (strategy
/// MERGE_SIMILAR_OR_CONTAINED): results live in an arena and the lists hold indices, as the
/// Python lists hold references to results that merging changes in place.
fn remove_conflicts(mut arena: Vec<Res>) -> Vec<Res> {
    let order: Vec<usize> = (0..arena.len()).collect();
    let mut others: Vec<usize> = order.clone();
    let mut merged_out: Vec<usize> = Vec::new();
    for &i in &order {
        let Some(me) = arena.get(i).cloned() else {
            continue;
        };
        if let Some(pos) = others.iter().position(|&j| arena.get(j) == Some(&me)) {
            others.remove(pos);
        }
        let mut merged = false;
        for &j in &others {
            let Some(other) = arena.get_mut(j) else {
                continue;
            };
            if other.entity != me.entity || !me.intersects(other) {
                continue;
            }
            other.start = other.start.min(me.start);
            other.end = other.end.max(me.end);
            other.score = other.score.max(me.score);
            merged = true;
            break;
        }
        if !merged {
            others.push(i);
            merged_out.push(i);
        }
    }
    let mut others = merged_out.clone();
    let mut unique = Vec::new();
    for &i in &merged_out {
        let Some(me) = arena.get(i).cloned() else {
            continue;
        };
        if let Some(pos) = others.iter().position(|&j| arena.get(j) == Some(&me)) {
            others.remove(pos);
        }
        let conflicted = others
            .iter()
            .filter_map(|&j| arena.get(j))
            .any(|o| me.has_conflict(o));
        if !conflicted {
            others.push(i);
            unique.push(i);
        }
    }
    unique
        .into_iter()
        .filter_map(|i| arena.get(i).cloned())
        .collect()
}

/// Presidio's `_merge_entities_with_spaces_between`: neighbours of one type with only spaces
/// between them become one result.
fn merge_spaced(chars: &[char], results: Vec<Res>) -> Vec<Res> {
    let mut merged: Vec<Res> = Vec::with_capacity(results.len());
    let mut prev: Option<Res> = None;
    for mut r in results {
        if let Some(p) = &prev {
            if p.entity == r.entity && p.end < r.start {
                let gap = chars.get(p.end..r.start).unwrap_or(&[]);
                if !gap.is_empty() && gap.iter().all(|c| *c == ' ') {
                    if let Some(pos) = merged.iter().position(|m| m == p) {
                        merged.remove(pos);
                    }
                    r.start = p.start;
                }
            }
        }
        merged.push(r.clone());
        prev = Some(r);
    }
    merged
}

impl Presidio {
    /// `POST /anonymize` on a parsed JSON body.
    pub fn anonymize(&self, body: &Value) -> Result<Value, PresidioError> {
        let o = match body {
            Value::Object(o) if !o.is_empty() => o,
            _ => {
                return Err(PresidioError::BadRequest(
                    "Invalid request json".to_string(),
                ))
            }
        };
        let ops = operators_of(o.get("anonymizers"), Some("replace"))?;
        let results = match o.get("analyzer_results") {
            None | Some(Value::Null) => {
                return Err(invalid(
                    "Invalid input, request must contain analyzer results",
                ))
            }
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| result_of(v, true))
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(invalid("Invalid input, analyzer results must be a list")),
        };
        let text = text_of(o)?;
        let mut sorted = results;
        sorted.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
        let unique = remove_conflicts(sorted);
        let chars: Vec<char> = text.chars().collect();
        let entities = merge_spaced(&chars, unique);
        self.operate(text, entities, &ops, Direction::Anonymize)
    }

    /// `POST /deanonymize` on a parsed JSON body: `decrypt` (or `deanonymize_keep`) on the
    /// given spans of the anonymized text.
    pub fn deanonymize(&self, body: &Value) -> Result<Value, PresidioError> {
        let o = match body {
            Value::Object(o) if !o.is_empty() => o,
            _ => {
                return Err(PresidioError::BadRequest(
                    "Invalid request json".to_string(),
                ))
            }
        };
        let text = text_of(o)?;
        let ops = operators_of(o.get("deanonymizers"), None)?;
        let entities = match o.get("anonymizer_results") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| result_of(v, false))
                .collect::<Result<Vec<_>, _>>()?,
            Some(_) => return Err(invalid("Invalid input, anonymizer results must be a list")),
        };
        self.operate(text, entities, &ops, Direction::Deanonymize)
    }

    /// Presidio's `EngineBase._operate`: replace each result from the last to the first and
    /// answer `{text, items}` with the items' offsets into the output, in code points.
    fn operate(
        &self,
        text: &str,
        mut entities: Vec<Res>,
        ops: &BTreeMap<String, Config>,
        dir: Direction,
    ) -> Result<Value, PresidioError> {
        let map = OffsetMap::new(text);
        let total = map.char_of_byte(text.len());
        // Python's sorted(reverse=True) by (start, end).
        entities.sort_by(|a, b| b.start.cmp(&a.start).then(b.end.cmp(&a.end)));
        let mut ctx = Ctx {
            key: &self.key,
            surrogates: &self.surrogates,
            table: scrim_core::replace::Pseudonyms::new(),
        };
        // The output, built from its end: pieces in reverse order.
        let mut pieces: Vec<Piece> = Vec::new();
        // (code points from the output's end, entity, replacement, operator) per item.
        let mut items: Vec<(usize, String, String, String)> = Vec::new();
        // Code points of the output from the last replacement's start on.
        let mut tail_chars = 0usize;
        // The last replacement's start, in code points and bytes of the input.
        let mut last = total;
        let mut last_b = text.len();
        for e in &entities {
            if e.start > total || e.end > total {
                return Err(invalid(format!(
                    "Invalid analyzer result, start: {} and end: {}, while text length is only {total}.",
                    e.start, e.end
                )));
            }
            let (Some(sb), Some(eb)) = (map.byte_of_char(e.start), map.byte_of_char(e.end)) else {
                return Err(invalid("Invalid analyzer result: offsets outside the text"));
            };
            let original = text.get(sb..eb).unwrap_or("");
            let Some(op) = ops.get(&e.entity).or_else(|| ops.get("DEFAULT")) else {
                return Err(invalid(format!(
                    "Invalid input, no operator for {} and no DEFAULT",
                    safe_name(&e.entity)
                )));
            };
            let changed = op.operate(dir, &e.entity, original, &mut ctx)?;
            // What an earlier replacement already took is not replaced twice.
            let end_c = e.end.min(last);
            let end_b = eb.min(last_b);
            pieces.push(Piece::Input(end_b, last_b));
            tail_chars += (last - end_c) + changed.chars().count();
            items.push((
                tail_chars,
                e.entity.clone(),
                changed.clone(),
                op.name.clone(),
            ));
            pieces.push(Piece::Output(changed));
            last = e.start;
            last_b = sb;
        }
        pieces.push(Piece::Input(0, last_b));
        let mut out = String::with_capacity(text.len());
        for p in pieces.iter().rev() {
            match p {
                Piece::Input(s, e) => out.push_str(text.get(*s..*e).unwrap_or("")),
                Piece::Output(s) => out.push_str(s),
            }
        }
        let out_len = out.chars().count();
        let items: Vec<Value> = items
            .into_iter()
            .map(|(from_end, entity, changed, operator)| {
                let start = out_len.saturating_sub(from_end);
                let end = start + changed.chars().count();
                json!({
                    "start": start,
                    "end": end,
                    "entity_type": entity,
                    "text": changed,
                    "operator": operator,
                })
            })
            .collect();
        Ok(json!({ "text": out, "items": items }))
    }
}

/// A piece of the output: a stretch of the input (bytes), or a replacement.
enum Piece {
    Input(usize, usize),
    Output(String),
}

/// A name of the client's (an entity type, an operator, a field) as an error may repeat it: an
/// identifier (letters, digits, `_`, at most 40) as it is, anything else not at all, since a
/// value of another shape may be data put in the wrong field.
pub(super) fn safe_name(e: &str) -> String {
    let identifier = e.len() <= 40
        && e.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        e.to_string()
    } else {
        "(not shown)".to_string()
    }
}

/// The `text` field (Presidio's default: empty).
fn text_of(o: &Map<String, Value>) -> Result<&str, PresidioError> {
    match o.get("text") {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(PresidioError::BadRequest(
            "Invalid request json: text must be a string".to_string(),
        )),
    }
}
