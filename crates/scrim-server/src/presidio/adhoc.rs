//! Presidio's ad-hoc recognizers: patterns and deny lists a request brings for itself, with
//! their context words (`PatternRecognizer.from_dict`'s fields). Regexes are Python's
//! dialect as far as `fancy_regex` reads it (look-around and back-references included), with
//! a bounded backtracking budget: a pattern that runs out of it finds nothing more in that
//! text, as a Presidio pattern that times out.

use serde_json::{Map, Value};

use super::PresidioError;

/// Python's `re.IGNORECASE`.
const IGNORECASE: i64 = 2;
/// Python's `re.MULTILINE`.
const MULTILINE: i64 = 8;
/// Python's `re.DOTALL`.
const DOTALL: i64 = 16;
/// Python's `re.VERBOSE`.
const VERBOSE: i64 = 64;
/// Presidio's default flags for patterns, deny lists and allow-list regexes.
pub(super) const DEFAULT_FLAGS: i64 = DOTALL | MULTILINE | IGNORECASE;
/// Backtracking steps one match may take before the pattern gives up on the text.
const BACKTRACK_LIMIT: usize = 100_000;
/// The compiled size one pattern may reach, in bytes.
const SIZE_LIMIT: usize = 1 << 20;

/// The fields `PatternRecognizer.from_dict` accepts.
const RECOGNIZER_KEYS: &[&str] = &[
    "name",
    "supported_language",
    "patterns",
    "deny_list",
    "context",
    "deny_list_score",
    "global_regex_flags",
    "version",
    "country_code",
    "supported_entity",
    "supported_entities",
];

/// One pattern of a recognizer.
pub(super) struct Pattern {
    pub(super) name: String,
    pub(super) regex: String,
    pub(super) score: f64,
    compiled: fancy_regex::Regex,
}

/// One ad-hoc recognizer of a request.
pub(super) struct AdHoc {
    pub(super) name: String,
    pub(super) entity: String,
    pub(super) language: String,
    pub(super) patterns: Vec<Pattern>,
    /// Context words, lowercased.
    pub(super) context: Vec<String>,
    pub(super) flags: i64,
}

/// A match of an ad-hoc pattern, in bytes of the text.
pub(super) struct Hit<'r> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) pattern: &'r Pattern,
}

/// Compile `regex` with Python's `flags` (IGNORECASE, MULTILINE, DOTALL, VERBOSE).
pub(super) fn compile(regex: &str, flags: i64) -> Result<fancy_regex::Regex, String> {
    let mut inline = String::new();
    for (bit, c) in [
        (IGNORECASE, 'i'),
        (MULTILINE, 'm'),
        (DOTALL, 's'),
        (VERBOSE, 'x'),
    ] {
        if flags & bit != 0 {
            inline.push(c);
        }
    }
    let full = if inline.is_empty() {
        regex.to_string()
    } else {
        format!("(?{inline}){regex}")
    };
    fancy_regex::RegexBuilder::new(&full)
        .backtrack_limit(BACKTRACK_LIMIT)
        .delegate_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| format!("Invalid regex pattern: {}", error_kind(&e)))
}

/// What is wrong with a pattern, without the pattern.
fn error_kind(e: &fancy_regex::Error) -> &'static str {
    match e {
        fancy_regex::Error::ParseError(..) => "the pattern does not parse",
        fancy_regex::Error::CompileError(..) => "the pattern does not compile (or is too large)",
        _ => "the pattern cannot be used",
    }
}

fn analyzer(msg: &str) -> PresidioError {
    PresidioError::Analyzer(msg.to_string())
}

/// Presidio answers a field of the wrong shape in a recognizer as a parse failure (400).
fn parse_error(what: &str) -> PresidioError {
    PresidioError::BadRequest(format!(
        "Failed to parse /analyze request for AnalyzerEngine.analyze(). {what}"
    ))
}

fn string_of<'a>(o: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, PresidioError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(parse_error(&format!("{key} must be a string"))),
    }
}

fn strings_of(o: &Map<String, Value>, key: &str) -> Result<Vec<String>, PresidioError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| parse_error(&format!("{key} must be a list of strings")))
            })
            .collect(),
        Some(_) => Err(parse_error(&format!("{key} must be a list of strings"))),
    }
}

fn score_of(v: Option<&Value>, default: f64) -> Result<f64, PresidioError> {
    let score = match v {
        None | Some(Value::Null) => default,
        Some(v) => v
            .as_f64()
            .ok_or_else(|| parse_error("a score must be a number"))?,
    };
    if !(0.0..=1.0).contains(&score) {
        return Err(analyzer("Invalid score. Score should be between 0 and 1"));
    }
    Ok(score)
}

/// Read one recognizer (`PatternRecognizer.from_dict`).
pub(super) fn parse(v: &Value) -> Result<AdHoc, PresidioError> {
    let o = v
        .as_object()
        .ok_or_else(|| parse_error("an ad-hoc recognizer must be an object"))?;
    if let Some(k) = o.keys().find(|k| !RECOGNIZER_KEYS.contains(&k.as_str())) {
        // The key is the client's field name, not its data; Presidio names it too.
        let k = super::anonymize::safe_name(k);
        return Err(parse_error(&format!(
            "PatternRecognizer.__init__() got an unexpected keyword argument '{k}'"
        )));
    }
    let entity = match string_of(o, "supported_entity")? {
        Some(e) => Some(e.to_string()),
        None => strings_of(o, "supported_entities")?.into_iter().next(),
    };
    let entity = entity
        .filter(|e| !e.is_empty())
        .ok_or_else(|| analyzer("Pattern recognizer should be initialized with entity"))?;
    let name = string_of(o, "name")?
        .filter(|n| !n.is_empty())
        .unwrap_or("PatternRecognizer")
        .to_string();
    let language = string_of(o, "supported_language")?
        .unwrap_or("en")
        .to_string();
    let flags = match o.get("global_regex_flags") {
        None | Some(Value::Null) => DEFAULT_FLAGS,
        Some(v) => v
            .as_i64()
            .ok_or_else(|| parse_error("global_regex_flags must be an integer"))?,
    };
    let mut patterns = Vec::new();
    if let Some(ps) = o.get("patterns").filter(|p| !p.is_null()) {
        let ps = ps
            .as_array()
            .ok_or_else(|| parse_error("patterns must be a list"))?;
        for p in ps {
            let p = p
                .as_object()
                .ok_or_else(|| parse_error("a pattern must be an object"))?;
            if p.keys()
                .any(|k| !matches!(k.as_str(), "name" | "regex" | "score"))
            {
                return Err(parse_error(
                    "Pattern.__init__() got an unexpected keyword argument",
                ));
            }
            let (Some(name), Some(regex)) = (string_of(p, "name")?, string_of(p, "regex")?) else {
                return Err(parse_error(
                    "Pattern.__init__() missing a required argument: 'name', 'regex' or 'score'",
                ));
            };
            if p.get("score").is_none_or(Value::is_null) {
                return Err(parse_error(
                    "Pattern.__init__() missing 1 required positional argument: 'score'",
                ));
            }
            let score = score_of(p.get("score"), 0.0)?;
            let compiled = compile(regex, flags).map_err(PresidioError::Analyzer)?;
            patterns.push(Pattern {
                name: name.to_string(),
                regex: regex.to_string(),
                score,
                compiled,
            });
        }
    }
    let deny = strings_of(o, "deny_list")?;
    if !deny.is_empty() {
        let escaped: Vec<String> = deny
            .iter()
            .map(|w| fancy_regex::escape(w).into_owned())
            .collect();
        let regex = format!(r"(?:^|(?<=\W))({})(?:(?=\W)|$)", escaped.join("|"));
        let compiled = compile(&regex, flags).map_err(PresidioError::Analyzer)?;
        patterns.push(Pattern {
            name: "deny_list".to_string(),
            regex,
            score: score_of(o.get("deny_list_score"), 1.0)?,
            compiled,
        });
    }
    if patterns.is_empty() {
        return Err(analyzer(
            "Pattern recognizer should be initialized with patterns or with deny list",
        ));
    }
    let context = strings_of(o, "context")?
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect();
    Ok(AdHoc {
        name,
        entity,
        language,
        patterns,
        context,
        flags,
    })
}

impl AdHoc {
    /// Every non-empty match of every pattern in `text`, in bytes; a pattern past its
    /// backtracking budget stops there.
    pub(super) fn hits<'r>(&'r self, text: &str) -> Vec<Hit<'r>> {
        let mut out = Vec::new();
        for p in &self.patterns {
            for m in p.compiled.find_iter(text) {
                let Ok(m) = m else { break };
                if m.start() < m.end() && p.score > 0.0 {
                    out.push(Hit {
                        start: m.start(),
                        end: m.end(),
                        pattern: p,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deny_lists_match_whole_words_only() {
        let r = parse(&json!({"supported_entity": "TITLE", "deny_list": ["Mr", "Mr."]})).unwrap();
        let text = "Mr. Smith and Mrs Jones, Mr";
        let hits: Vec<(usize, usize)> = r.hits(text).iter().map(|h| (h.start, h.end)).collect();
        assert!(hits.contains(&(0, 2)));
        // The first alternative that matches wins, as in Python: "Mr", then not "Mr.".
        assert!(!hits.contains(&(0, 3)));
        assert!(hits.contains(&(25, 27)));
        assert!(!hits.iter().any(|(s, _)| *s == 14), "not inside Mrs");
    }

    #[test]
    fn refusals_carry_presidio_codes() {
        let e = parse(&json!({"supported_entity": "X"})).err().unwrap();
        assert_eq!(e.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let e = parse(&json!({"supported_entity": "X", "deny_list": ["a"], "bogus": 1}))
            .err()
            .unwrap();
        assert_eq!(e.status(), axum::http::StatusCode::BAD_REQUEST);
        let e = parse(&json!({"supported_entity": "X", "patterns": [{"name": "p", "regex": "(", "score": 0.5}]}))
            .err()
            .unwrap();
        assert_eq!(e.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.to_string().contains('('));
    }
}
