//! `POST /analyze`: Presidio's `AnalyzerRequest` in, its list (or list of lists) of
//! `RecognizerResult`s out. Scrim's engine finds what it finds in each text (in UTF-8 bytes);
//! the request's ad-hoc recognizers add theirs; then, as Presidio does: context words (the
//! recognizer's, found among the five words before a result or in the request's `context`)
//! raise scores, duplicates and same-type results contained in a stronger one go, the score
//! threshold and the allow list apply, and offsets become code points.

use scrim_core::text::OffsetMap;
use serde_json::{json, Map, Value};

use super::adhoc::{self, AdHoc};
use super::entities::{entity_of, recognizer_of};
use super::{Presidio, PresidioError};

/// How much a context word raises an ad-hoc score (Presidio's `context_similarity_factor`).
const CONTEXT_FACTOR: f64 = 0.35;
/// The least score a result with a context word gets (`min_score_with_context_similarity`).
const CONTEXT_MIN_SCORE: f64 = 0.4;
/// Words before a result read for context (`context_prefix_count`).
const CONTEXT_PREFIX_WORDS: usize = 5;

/// The parsed request.
struct Request {
    texts: Vec<String>,
    batch: bool,
    language: String,
    entities: Option<Vec<String>>,
    threshold: f64,
    decision: bool,
    adhoc: Vec<AdHoc>,
    context: Vec<String>,
    allow: Option<Allow>,
}

enum Allow {
    Exact(Vec<String>),
    Regex(Option<fancy_regex::Regex>),
}

/// Why a result was found (Presidio's `AnalysisExplanation`).
#[derive(Clone)]
struct Explanation {
    recognizer: String,
    pattern_name: Option<String>,
    pattern: Option<String>,
    original_score: f64,
    textual: String,
    regex_flags: Option<i64>,
    supportive_word: String,
}

/// One result, in bytes of its text.
#[derive(Clone)]
struct Found {
    entity: String,
    start: usize,
    end: usize,
    score: f64,
    why: Explanation,
    /// Index of its ad-hoc recognizer, if any (whose context words apply; else the entity's,
    /// [`super::entities::context_words`]).
    adhoc: Option<usize>,
}

/// Presidio's answer to a request no recognizer can serve (a language or entities it has none
/// for).
pub const NO_RECOGNIZERS: &str = "No matching recognizers were found to serve the request.";

fn analyzer(msg: &str) -> PresidioError {
    PresidioError::Analyzer(msg.to_string())
}

fn parse_error(what: &str) -> PresidioError {
    PresidioError::BadRequest(format!(
        "Failed to parse /analyze request for AnalyzerEngine.analyze(). {what}"
    ))
}

/// A finding's f32 score as the decimal a person reads (0.85, not 0.8500000238).
fn score(s: f32) -> f64 {
    (f64::from(s) * 10_000.0).round() / 10_000.0
}

fn strings(o: &Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, PresidioError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| parse_error(&format!("{key} must be a list of strings")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(parse_error(&format!("{key} must be a list of strings"))),
    }
}

fn parse(body: &Value) -> Result<Request, PresidioError> {
    let o = body
        .as_object()
        .ok_or_else(|| PresidioError::BadRequest("Invalid request json".to_string()))?;
    let (texts, batch) = match o.get("text") {
        Some(Value::String(s)) if !s.is_empty() => (vec![s.clone()], false),
        Some(Value::Array(a)) if !a.is_empty() => {
            let texts = a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| parse_error("text must be a string or a list of strings"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            (texts, true)
        }
        None | Some(Value::Null) | Some(Value::String(_)) | Some(Value::Array(_)) => {
            return Err(analyzer("No text provided"))
        }
        Some(_) => return Err(parse_error("text must be a string or a list of strings")),
    };
    let language = match o.get("language") {
        Some(Value::String(l)) if !l.is_empty() => l.clone(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            return Err(analyzer("No language provided"))
        }
        Some(_) => return Err(parse_error("language must be a string")),
    };
    let threshold = match o.get("score_threshold") {
        None | Some(Value::Null) => 0.0,
        Some(v) => v
            .as_f64()
            .ok_or_else(|| parse_error("score_threshold must be a number"))?,
    };
    let decision = match o.get("return_decision_process") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(parse_error("return_decision_process must be a boolean")),
    };
    let adhoc = match o.get("ad_hoc_recognizers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().map(adhoc::parse).collect::<Result<_, _>>()?,
        Some(_) => return Err(parse_error("ad_hoc_recognizers must be a list")),
    };
    let context = strings(o, "context")?
        .unwrap_or_default()
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    let flags = match o.get("regex_flags") {
        None | Some(Value::Null) => adhoc::DEFAULT_FLAGS,
        Some(v) => v
            .as_i64()
            .ok_or_else(|| parse_error("regex_flags must be an integer"))?,
    };
    let allow = match strings(o, "allow_list")? {
        None => None,
        Some(list) if list.is_empty() => None,
        Some(list) => {
            let mode = match o.get("allow_list_match") {
                None | Some(Value::Null) => "exact",
                Some(Value::String(m)) => m.as_str(),
                Some(_) => "",
            };
            match mode {
                "exact" => Some(Allow::Exact(list)),
                "regex" => {
                    let terms: Vec<&str> = list
                        .iter()
                        .map(String::as_str)
                        .filter(|t| !t.is_empty())
                        .collect();
                    if terms.is_empty() {
                        Some(Allow::Regex(None))
                    } else {
                        let re = adhoc::compile(&terms.join("|"), flags)
                            .map_err(PresidioError::Analyzer)?;
                        Some(Allow::Regex(Some(re)))
                    }
                }
                _ => {
                    return Err(analyzer(
                        "allow_list_match must either be set to 'exact' or 'regex'.",
                    ))
                }
            }
        }
    };
    Ok(Request {
        texts,
        batch,
        language,
        entities: strings(o, "entities")?,
        threshold,
        decision,
        adhoc,
        context,
        allow,
    })
}

impl Presidio {
    /// `POST /analyze` on a parsed JSON body: Presidio's answer, or its error.
    pub fn analyze(&self, body: &Value) -> Result<Value, PresidioError> {
        let req = parse(body)?;
        // A language this service does not read is refused as Presidio refuses one it has no
        // recognizers for (ad-hoc recognizers of that language or not: Presidio's language
        // model would fail on it next).
        if !self.reads_language(&req.language) {
            return Err(analyzer(NO_RECOGNIZERS));
        }
        // The ad-hoc recognizers of the request's language, and of the entities asked for.
        let wanted = |e: &str| {
            req.entities
                .as_ref()
                .is_none_or(|es| es.iter().any(|x| x == e))
        };
        let adhoc: Vec<(usize, &AdHoc)> = req
            .adhoc
            .iter()
            .enumerate()
            .filter(|(_, r)| r.language == req.language && wanted(&r.entity))
            .collect();
        if let Some(es) = &req.entities {
            let ours = super::entities::SUPPORTED;
            if !es.is_empty() && !es.iter().any(|e| ours.contains(&e.as_str())) && adhoc.is_empty()
            {
                return Err(analyzer(NO_RECOGNIZERS));
            }
        }
        let mut answers = Vec::with_capacity(req.texts.len());
        for text in &req.texts {
            let findings = self
                .engine
                .detect_text(text)
                .map_err(PresidioError::Internal)?;
            let mut found: Vec<Found> = findings
                .iter()
                .map(|f| {
                    let entity = entity_of(f.label, f.kind);
                    let s = score(f.score);
                    Found {
                        entity: entity.to_string(),
                        start: f.span.start(),
                        end: f.span.end(),
                        score: s,
                        why: Explanation {
                            recognizer: recognizer_of(f.detector).to_string(),
                            pattern_name: Some(f.detector.as_str().to_string()),
                            pattern: None,
                            original_score: s,
                            textual: format!(
                                "Identified as {entity} by Scrim's rule `{}`",
                                f.detector.as_str()
                            ),
                            regex_flags: None,
                            supportive_word: String::new(),
                        },
                        adhoc: None,
                    }
                })
                .filter(|f| wanted(&f.entity))
                .collect();
            for (i, r) in &adhoc {
                for h in r.hits(text) {
                    found.push(Found {
                        entity: r.entity.clone(),
                        start: h.start,
                        end: h.end,
                        score: h.pattern.score,
                        why: Explanation {
                            recognizer: r.name.clone(),
                            pattern_name: Some(h.pattern.name.clone()),
                            pattern: Some(h.pattern.regex.clone()),
                            original_score: h.pattern.score,
                            textual: format!(
                                "Detected by `{}` using pattern `{}`",
                                r.name, h.pattern.name
                            ),
                            regex_flags: Some(r.flags),
                            supportive_word: String::new(),
                        },
                        adhoc: Some(*i),
                    });
                }
            }
            enhance_with_context(text, &mut found, &req.adhoc, &req.context);
            let mut kept = remove_duplicates(found);
            kept.retain(|f| f.score >= req.threshold);
            if let Some(allow) = &req.allow {
                kept.retain(|f| !allowed(allow, text.get(f.start..f.end).unwrap_or("")));
            }
            let map = OffsetMap::new(text);
            answers.push(Value::Array(
                kept.iter()
                    .map(|f| to_json(f, &map, req.decision))
                    .collect(),
            ));
        }
        if req.batch {
            Ok(Value::Array(answers))
        } else {
            Ok(answers.pop().unwrap_or(Value::Array(Vec::new())))
        }
    }
}

/// Whether the allow list keeps `word` out of the results.
fn allowed(allow: &Allow, word: &str) -> bool {
    match allow {
        Allow::Exact(list) => list.iter().any(|w| w == word),
        Allow::Regex(None) => false,
        // A search that runs out of its budget keeps the result, as Presidio's timeout does.
        Allow::Regex(Some(re)) => re.is_match(word).unwrap_or(false),
    }
}

/// Raise results whose recognizer's context words (an ad-hoc recognizer's own, else the
/// entity's) appear among the five words before them or in the request's `context` (a context
/// word inside a word counts, Presidio's "substring" mode).
fn enhance_with_context(text: &str, found: &mut [Found], adhoc: &[AdHoc], extra: &[String]) {
    for f in found.iter_mut() {
        let context: Vec<&str> = match f.adhoc {
            Some(i) => adhoc
                .get(i)
                .map(|r| r.context.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            None => super::entities::context_words(&f.entity).to_vec(),
        };
        if context.is_empty() {
            continue;
        }
        let before = text.get(..f.start).unwrap_or("");
        let mut words: Vec<String> = before
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .rev()
            .take(CONTEXT_PREFIX_WORDS)
            .map(str::to_lowercase)
            .collect();
        words.extend(extra.iter().cloned());
        let Some(word) = context
            .iter()
            .find(|c| words.iter().any(|w| w.contains(*c)))
        else {
            continue;
        };
        f.score = (f.score + CONTEXT_FACTOR).clamp(CONTEXT_MIN_SCORE, 1.0);
        f.why.supportive_word = (*word).to_string();
    }
}

/// Presidio's `remove_duplicates`: strongest first, an exact repeat or a same-type result
/// contained in a kept one goes, and so does a score of 0.
fn remove_duplicates(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.start.cmp(&b.start))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
    });
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if f.score == 0.0 {
            continue;
        }
        let dup = kept
            .iter()
            .any(|k| k.entity == f.entity && k.start <= f.start && f.end <= k.end);
        if !dup {
            kept.push(f);
        }
    }
    kept
}

/// One result as Presidio writes it (keys sorted, as its `json.dumps(sort_keys=True)`).
fn to_json(f: &Found, map: &OffsetMap, decision: bool) -> Value {
    let explanation = if decision {
        let w = &f.why;
        json!({
            "original_score": w.original_score,
            "pattern": w.pattern,
            "pattern_name": w.pattern_name,
            "recognizer": w.recognizer,
            "regex_flags": w.regex_flags,
            "score": f.score,
            "score_context_improvement": f.score - w.original_score,
            "supportive_context_word": w.supportive_word,
            "textual_explanation": w.textual,
            "validation_result": Value::Null,
        })
    } else {
        Value::Null
    };
    json!({
        "analysis_explanation": explanation,
        "end": map.char_of_byte(f.end),
        "entity_type": f.entity,
        "score": f.score,
        "start": map.char_of_byte(f.start),
    })
}
