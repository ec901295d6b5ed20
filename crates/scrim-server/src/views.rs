//! What a reviewer sees: a project's declaration of what its tasks show, and the view built from
//! it. The view is built from an allowlist (the declared turns, the declared profile facts at
//! their declared generalization, images only when declared), never by subtracting detected data
//! from the original: anything not declared is not there.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};

/// Which turns of a conversation a task shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Turns {
    /// Every message.
    #[default]
    All,
    /// The user's messages only.
    User,
    /// The assistant's messages only.
    Assistant,
}

impl Turns {
    /// Whether a turn with this role (as [`role_of`] gives it) is shown.
    fn shows(self, role: &str) -> bool {
        match self {
            Turns::All => true,
            Turns::User => role == "user",
            Turns::Assistant => role == "assistant",
        }
    }
}

/// What happens to a message tagged with a sensitive category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveRule {
    /// The message's text is withheld from every reviewer (the default).
    #[default]
    Withhold,
    /// The task goes only to reviewers cleared for the category.
    Route,
}

/// The sensitive categories the core tags messages with.
pub const CATEGORIES: [&str; 8] = [
    "health",
    "sex_life",
    "religion",
    "politics",
    "ethnicity",
    "union_membership",
    "children",
    "self_harm",
];

/// A project's declaration of what its tasks show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSpec {
    /// Which turns.
    #[serde(default)]
    pub turns: Turns,
    /// Which profile facts, generalized how far at most.
    #[serde(default)]
    pub profile: crate::kanon::ShowSpec,
    /// Whether images appear (with their EXIF/GPS stripped at ingest, never re-encoded).
    #[serde(default)]
    pub images: bool,
    /// Per sensitive category: `withhold` (default for any category not listed) or `route`.
    #[serde(default)]
    pub sensitive: BTreeMap<String, SensitiveRule>,
}

impl Default for ProjectSpec {
    fn default() -> Self {
        ProjectSpec {
            turns: Turns::All,
            profile: crate::kanon::ShowSpec::default(),
            images: false,
            sensitive: BTreeMap::new(),
        }
    }
}

impl ProjectSpec {
    /// Check the declaration; `k` may not be below the gateway's floor `min_k`.
    pub fn check(&self, min_k: usize) -> Result<()> {
        for c in self.sensitive.keys() {
            if !CATEGORIES.contains(&c.as_str()) {
                return Err(Error::BadRequest(format!(
                    "sensitive category {c:?} is not one of {}",
                    CATEGORIES.join(", ")
                )));
            }
        }
        for key in &self.profile.other {
            // A direct identifier is never a fact (scrim_core::profile); asking to show one is a
            // mistake to name, not to accept and quietly ignore.
            if scrim_core::profile::classify(key).is_identifier() {
                return Err(Error::BadRequest(format!(
                    "profile.other: {key:?} is a direct identifier, never shown as a fact"
                )));
            }
        }
        let floor = min_k.max(1);
        if self.profile.k < floor {
            return Err(Error::BadRequest(format!(
                "profile.k must be at least {floor} (the gateway's floor)"
            )));
        }
        Ok(())
    }

    /// How `next` would show more than `self` does: the reasons, from a fixed vocabulary
    /// ("k_lowered", "place_finer", "age_finer", "gender_shown", "facts_added",
    /// "suppression_raised", "images_shown", "sensitive_routed", "turns_added"). Empty when
    /// `next` protects at least as much.
    pub fn weakenings(&self, next: &ProjectSpec) -> Vec<&'static str> {
        let (a, b) = (&self.profile, &next.profile);
        let mut out = Vec::new();
        if b.k < a.k {
            out.push("k_lowered");
        }
        // `None` (not shown) is coarser than any level.
        if b.place.is_some_and(|n| a.place.is_none_or(|o| n < o)) {
            out.push("place_finer");
        }
        if b.age.is_some_and(|n| a.age.is_none_or(|o| n < o)) {
            out.push("age_finer");
        }
        if b.gender && !a.gender {
            out.push("gender_shown");
        }
        if b.other.iter().any(|k| !a.other.contains(k)) {
            out.push("facts_added");
        }
        if b.max_suppressed > a.max_suppressed {
            out.push("suppression_raised");
        }
        if next.images && !self.images {
            out.push("images_shown");
        }
        if CATEGORIES.iter().any(|c| {
            next.rule(c) == SensitiveRule::Route && self.rule(c) == SensitiveRule::Withhold
        }) {
            out.push("sensitive_routed");
        }
        if ["user", "assistant", "other"]
            .iter()
            .any(|r| next.turns.shows(r) && !self.turns.shows(r))
        {
            out.push("turns_added");
        }
        out
    }

    /// `next` with every part that would show more than `self` left as in `self`: what may
    /// apply at once while the rest waits for a privacy officer's approval.
    pub fn protective(&self, next: &ProjectSpec) -> ProjectSpec {
        let mut out = next.clone();
        for reason in self.weakenings(next) {
            match reason {
                "k_lowered" => out.profile.k = self.profile.k,
                "place_finer" => out.profile.place = self.profile.place,
                "age_finer" => out.profile.age = self.profile.age,
                "gender_shown" => out.profile.gender = false,
                "facts_added" => out.profile.other.retain(|k| self.profile.other.contains(k)),
                "suppression_raised" => out.profile.max_suppressed = self.profile.max_suppressed,
                "images_shown" => out.images = false,
                "sensitive_routed" => {
                    out.sensitive.retain(|c, r| {
                        *r == SensitiveRule::Withhold || self.rule(c) == SensitiveRule::Route
                    });
                }
                _ => out.turns = self.turns,
            }
        }
        out
    }

    fn rule(&self, category: &str) -> SensitiveRule {
        self.sensitive.get(category).copied().unwrap_or_default()
    }
}

/// The message roles a view shows as they are; any other role is shown as "other" (a role is
/// input: it may hold anything, a name included).
pub const ROLES: [&str; 6] = [
    "user",
    "assistant",
    "system",
    "tool",
    "function",
    "developer",
];

/// A message's role as a view shows it: one of [`ROLES`] (compared case-insensitively), else
/// "other". A missing role is "user".
pub fn role_of(raw: Option<&str>) -> &'static str {
    let Some(raw) = raw else { return "user" };
    let raw = raw.trim();
    ROLES
        .iter()
        .find(|r| r.eq_ignore_ascii_case(raw))
        .copied()
        .unwrap_or("other")
}

/// An attachment with only the core's allow-listed keys
/// ([`scrim_core::redact::ATTACHMENT_KEYS`]: not `filename`, `caption`, `url`, …);
/// `width`/`height` only when numbers, the others only when strings.
pub fn attachment_view(item: &Value) -> Value {
    let mut out = Map::new();
    for key in scrim_core::redact::ATTACHMENT_KEYS {
        let Some(v) = item.get(key) else { continue };
        let keep = match key {
            "width" | "height" => v.is_u64(),
            _ => v.is_string(),
        };
        if keep {
            out.insert(key.to_string(), v.clone());
        }
    }
    Value::Object(out)
}

/// A task's view as stored (before profile facts, which are generalized against the whole
/// project at read time), and what it needs to be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltView {
    /// `{"messages": [...], "attachments": [...]?}`.
    pub view: Value,
    /// Categories the project routes only to cleared reviewers.
    pub routed: Vec<String>,
    /// Every category tagged in the shown turns.
    pub categories: Vec<String>,
    /// Names of what the view reveals (for the audit log).
    pub fields: Vec<String>,
}

/// Build a task's view from a redacted record (the output of the core's `Redactor`), keeping
/// only what `spec` declares.
pub fn build(redacted: &Value, spec: &ProjectSpec) -> BuiltView {
    let tags = tags_by_message(redacted);
    let mut parts = ViewParts::new(spec);
    for (i, (role, content)) in turns_of(redacted).into_iter().enumerate() {
        if spec.turns.shows(role) {
            let cats = tags.get(&i).cloned().unwrap_or_default();
            parts.add_message(i, role, content, cats);
        }
    }
    let images = if spec.images {
        images(redacted)
    } else {
        Vec::new()
    };
    parts.finish(images)
}

/// The sensitive categories tagged on each message, by message index (`/scrim/tags`).
fn tags_by_message(redacted: &Value) -> BTreeMap<usize, Vec<String>> {
    let mut tags: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let Some(ts) = redacted.pointer("/scrim/tags").and_then(Value::as_array) else {
        return tags;
    };
    for t in ts {
        let i = t.get("message").and_then(Value::as_u64).unwrap_or(0) as usize;
        let cats = t
            .get("categories")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        tags.entry(i).or_default().extend(cats);
    }
    tags
}

/// Every turn of a record as (role as shown, content): its `messages`, or its `text` as one
/// user turn.
fn turns_of(redacted: &Value) -> Vec<(&'static str, String)> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    match redacted.get("messages").and_then(Value::as_array) {
        Some(ms) => ms
            .iter()
            .map(|m| {
                (
                    role_of(m.get("role").and_then(Value::as_str)),
                    text(m.get("content")),
                )
            })
            .collect(),
        None => vec![("user", text(redacted.get("text")))],
    }
}

/// The declared images of a record: its attachments whose metadata the core stripped
/// (`/scrim/attachments`), with only the allow-listed keys ([`attachment_view`]).
fn images(redacted: &Value) -> Vec<Value> {
    let kept: Vec<Value> = redacted
        .pointer("/scrim/attachments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|x| x.get("action").and_then(Value::as_str) == Some("stripped"))
                .filter_map(|x| x.get("id").cloned())
                .collect()
        })
        .unwrap_or_default();
    redacted
        .get("attachments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|x| x.get("id").is_some_and(|id| kept.contains(id)))
                .map(attachment_view)
                .collect()
        })
        .unwrap_or_default()
}

/// A view being built: the shown messages so far and what they reveal.
struct ViewParts<'a> {
    /// The project's declaration.
    spec: &'a ProjectSpec,
    /// The shown messages.
    messages: Vec<Value>,
    /// Categories routed to cleared reviewers.
    routed: BTreeSet<String>,
    /// Every category tagged in the shown turns.
    categories: BTreeSet<String>,
    /// Names of what the view reveals.
    fields: BTreeSet<String>,
}

impl<'a> ViewParts<'a> {
    /// An empty view under `spec`.
    fn new(spec: &'a ProjectSpec) -> Self {
        Self {
            spec,
            messages: Vec::new(),
            routed: BTreeSet::new(),
            categories: BTreeSet::new(),
            fields: BTreeSet::new(),
        }
    }

    /// Adds a shown turn; its text is withheld when a tagged category says so.
    fn add_message(&mut self, index: usize, role: &str, content: String, cats: Vec<String>) {
        let withheld = self.note_categories(&cats);
        let content = if withheld.is_empty() {
            self.fields.insert(format!("messages:{role}"));
            content
        } else {
            self.fields.insert("messages:withheld".to_string());
            format!("[withheld: {}]", withheld.join(", "))
        };
        self.messages
            .push(json!({"index": index, "role": role, "content": content, "tags": cats}));
    }

    /// Notes a shown turn's categories (routed ones included); returns those that withhold it.
    fn note_categories(&mut self, cats: &[String]) -> Vec<String> {
        let mut withheld = Vec::new();
        for c in cats {
            self.categories.insert(c.clone());
            match self.spec.rule(c) {
                SensitiveRule::Withhold => withheld.push(c.clone()),
                SensitiveRule::Route => {
                    self.routed.insert(c.clone());
                }
            }
        }
        withheld
    }

    /// The built view, with `images` when there are any.
    fn finish(mut self, images: Vec<Value>) -> BuiltView {
        let mut view = Map::new();
        view.insert("messages".into(), Value::Array(self.messages));
        if !images.is_empty() {
            self.fields.insert("attachments:images".to_string());
            view.insert("attachments".into(), Value::Array(images));
        }
        BuiltView {
            view: Value::Object(view),
            routed: self.routed.into_iter().collect(),
            categories: self.categories.into_iter().collect(),
            fields: self.fields.into_iter().collect(),
        }
    }
}

/// Replace a code-point range of one message's content in a stored view with `[FLAGGED]`;
/// returns the text that was there (to go on the project's deny list, never logged).
pub fn flag(view: &mut Value, message: usize, start: usize, end: usize) -> Result<String> {
    let bad = || Error::BadRequest(format!("no text at message {message}, {start}..{end}"));
    if start >= end {
        return Err(bad());
    }
    let msg = view
        .get_mut("messages")
        .and_then(Value::as_array_mut)
        .and_then(|ms| {
            ms.iter_mut()
                .find(|m| m.get("index").and_then(Value::as_u64) == Some(message as u64))
        })
        .ok_or_else(bad)?;
    let content = msg
        .get("content")
        .and_then(Value::as_str)
        .ok_or_else(bad)?
        .to_string();
    let map = scrim_core::text::OffsetMap::new(&content);
    let (bs, be) = (map.byte_of_char(start), map.byte_of_char(end));
    let (Some(bs), Some(be)) = (bs, be) else {
        return Err(bad());
    };
    let value = content.get(bs..be).ok_or_else(bad)?.to_string();
    if placeholders(&content)
        .iter()
        .any(|p| (bs > p.start && bs < p.end) || (be > p.start && be < p.end))
    {
        return Err(Error::BadRequest(format!(
            "the selection at message {message}, {start}..{end} cuts a placeholder: select all of it or none"
        )));
    }
    let mut next = String::with_capacity(content.len());
    next.push_str(content.get(..bs).unwrap_or(""));
    next.push_str("[FLAGGED]");
    next.push_str(content.get(be..).unwrap_or(""));
    if let Some(obj) = msg.as_object_mut() {
        obj.insert("content".into(), Value::String(next));
    }
    Ok(value)
}

/// Flagged values shorter than this (in letters and digits outside placeholders) hide the
/// selection in its own task only; from this length on they go on the project's deny list and
/// are hidden in every waiting task and every later ingest.
pub const MIN_DENYLIST_CHARS: usize = 3;

/// Whether a flagged value is long enough for the project's deny list (see
/// [`MIN_DENYLIST_CHARS`]).
pub fn deny_listable(value: &str) -> bool {
    let spans = placeholders(value);
    let letters = value
        .char_indices()
        .filter(|(i, c)| c.is_alphanumeric() && !spans.iter().any(|p| p.contains(i)))
        .count();
    letters >= MIN_DENYLIST_CHARS
}

/// The byte ranges of the placeholders in a text: `[` upper-case ASCII letters, digits and `_`
/// `]` (`[PERSON_1]`, `[EMAIL_2]`, `[FLAGGED]`), and a whole `[withheld: …]` text.
pub fn placeholders(text: &str) -> Vec<std::ops::Range<usize>> {
    if text.starts_with("[withheld: ") {
        let whole = 0..text.len();
        return vec![whole];
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b.get(i) == Some(&b'[') {
            let mut j = i + 1;
            while b
                .get(j)
                .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
            {
                j += 1;
            }
            if j > i + 1 && b.get(j) == Some(&b']') {
                out.push(i..j + 1);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replace every whole-word, case-insensitive occurrence of `needle` in `hay` with `with`, never
/// touching a placeholder; `None` when nothing matched. A match must not continue a word on
/// either side (Unicode letters and digits: "hi" is not in "this", "Zoë" is not in "Zoëlle")
/// and must not overlap a placeholder ("person" is not in `[PERSON_1]`).
pub fn replace_words(hay: &str, needle: &str, with: &str) -> Option<String> {
    let needle: Vec<char> = needle.chars().collect();
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else {
        return None;
    };
    let protected = placeholders(hay);
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let mut out = String::with_capacity(hay.len());
    let mut copied = 0; // bytes of `hay` already in `out`
    let mut changed = false;
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        let matches = chars
            .get(i..i + needle.len())
            .is_some_and(|w| w.iter().zip(&needle).all(|((_, a), b)| same(*a, *b)));
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).map(|(_, c)| *c);
        let after = chars.get(i + needle.len()).map(|(_, c)| *c);
        let cuts_before = is_word(first) && before.is_some_and(is_word);
        let cuts_after = is_word(last) && after.is_some_and(is_word);
        let bounded = !cuts_before && !cuts_after;
        if matches && bounded {
            let start = chars.get(i).map_or(hay.len(), |(b, _)| *b);
            let end = chars.get(i + needle.len()).map_or(hay.len(), |(b, _)| *b);
            if !protected.iter().any(|p| start < p.end && end > p.start) {
                out.push_str(hay.get(copied..start).unwrap_or(""));
                out.push_str(with);
                copied = end;
                changed = true;
                i += needle.len();
                continue;
            }
        }
        i += 1;
    }
    if !changed {
        return None;
    }
    out.push_str(hay.get(copied..).unwrap_or(""));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted() -> Value {
        json!({
            "id": "c1", "subject": "s_x", "secret_field": "do not show",
            "messages": [
                {"role": "user", "content": "hi [PERSON_1] 😀 here"},
                {"role": "assistant", "content": "hello"},
                {"role": "user", "content": "my therapist says"}
            ],
            "profile": {"first_name": "Hailey"},
            "attachments": [{"id": "a1", "media_type": "image/jpeg", "data": "AAAA"}],
            "scrim": {"tags": [{"message": 2, "categories": ["health"]}],
                      "attachments": [{"id": "a1", "action": "stripped"}]}
        })
    }

    #[test]
    fn only_what_is_declared() {
        let spec = ProjectSpec {
            turns: Turns::User,
            ..ProjectSpec::default()
        };
        let b = build(&redacted(), &spec);
        let text = b.view.to_string();
        for hidden in [
            "secret_field",
            "Hailey",
            "hello",
            "AAAA",
            "therapist",
            "s_x",
        ] {
            assert!(!text.contains(hidden), "{hidden} leaked: {text}");
        }
        assert_eq!(b.view["messages"].as_array().map(Vec::len), Some(2));
        assert_eq!(b.view["messages"][1]["content"], "[withheld: health]");
        assert!(b.routed.is_empty());
        assert_eq!(b.categories, ["health"]);
    }

    #[test]
    fn routing_and_images_when_declared() {
        let mut spec = ProjectSpec {
            images: true,
            ..ProjectSpec::default()
        };
        spec.sensitive.insert("health".into(), SensitiveRule::Route);
        let b = build(&redacted(), &spec);
        assert_eq!(b.routed, ["health"]);
        assert_eq!(b.view["messages"][2]["content"], "my therapist says");
        assert_eq!(b.view["attachments"][0]["id"], "a1");
        assert!(b.fields.contains(&"attachments:images".to_string()));
    }

    #[test]
    fn flags_cut_by_code_points() {
        let mut v = build(&redacted(), &ProjectSpec::default()).view;
        // "hi [PERSON_1] 😀 here": "here" starts at code point 16.
        let got = flag(&mut v, 0, 16, 20).unwrap_or_default();
        assert_eq!(got, "here");
        assert_eq!(v["messages"][0]["content"], "hi [PERSON_1] 😀 [FLAGGED]");
        assert!(flag(&mut v, 0, 5, 500).is_err());
        assert!(flag(&mut v, 9, 0, 1).is_err());
    }

    #[test]
    fn roles_and_attachment_keys_are_allow_listed() {
        let mut r = redacted();
        r["messages"][0]["role"] = json!("Hailey Mills");
        r["messages"][1]["role"] = json!("Assistant");
        r["attachments"][0]["filename"] = json!("hailey_passport.jpg");
        r["attachments"][0]["caption"] = json!("Hailey at home");
        r["attachments"][0]["width"] = json!(640);
        let spec = ProjectSpec {
            images: true,
            ..ProjectSpec::default()
        };
        let b = build(&r, &spec);
        let text = b.view.to_string();
        assert!(!text.contains("Hailey"), "{text}");
        assert_eq!(b.view["messages"][0]["role"], "other");
        assert_eq!(b.view["messages"][1]["role"], "assistant");
        assert_eq!(b.view["attachments"][0]["width"], 640);
        assert!(
            b.fields.iter().all(|f| !f.contains("Hailey")),
            "{:?}",
            b.fields
        );
        assert!(b.fields.contains(&"messages:other".to_string()));
        assert_eq!(role_of(None), "user");
        assert_eq!(role_of(Some(" tool ")), "tool");
        // User turns only: a message whose role is not one of the list is not a user turn.
        let user = ProjectSpec {
            turns: Turns::User,
            ..ProjectSpec::default()
        };
        assert_eq!(
            build(&r, &user).view["messages"].as_array().map(Vec::len),
            Some(1)
        );
    }

    #[test]
    fn weakenings_are_named_and_held_back() {
        use crate::kanon::{AgeLevel, PlaceLevel};
        let mut old = ProjectSpec::default();
        old.profile.place = Some(PlaceLevel::Region);
        old.profile.age = Some(AgeLevel::Band10);
        old.profile.k = 10;
        assert!(old.weakenings(&old).is_empty());
        let mut next = old.clone();
        next.profile.k = 5;
        next.profile.place = Some(PlaceLevel::City);
        next.profile.age = None;
        next.images = true;
        next.turns = Turns::All;
        next.sensitive.insert("health".into(), SensitiveRule::Route);
        next.profile.other = vec!["bio".into()];
        let w = old.weakenings(&next);
        assert_eq!(
            w,
            [
                "k_lowered",
                "place_finer",
                "facts_added",
                "images_shown",
                "sensitive_routed"
            ]
        );
        let held = old.protective(&next);
        assert!(old.weakenings(&held).is_empty());
        assert_eq!(held.profile.age, None, "the stronger part applies");
        assert_eq!(held.profile.place, Some(PlaceLevel::Region));
        assert_eq!(held.profile.k, 10);
        let user = ProjectSpec {
            turns: Turns::User,
            ..ProjectSpec::default()
        };
        let assistant = ProjectSpec {
            turns: Turns::Assistant,
            ..ProjectSpec::default()
        };
        assert_eq!(user.weakenings(&assistant), ["turns_added"]);
        assert!(ProjectSpec::default().weakenings(&user).is_empty());
        let mut low = ProjectSpec::default();
        low.profile.k = 4;
        assert!(low.check(5).is_err());
        assert!(low.check(4).is_ok());
        low.profile.k = 0;
        assert!(low.check(0).is_err());
    }

    #[test]
    fn flagged_words_match_whole_words_outside_placeholders() {
        assert_eq!(
            replace_words("this is hi", "hi", "[F]").as_deref(),
            Some("this is [F]")
        );
        assert_eq!(replace_words("this", "hi", "[F]"), None);
        assert_eq!(
            replace_words("Hi BOB, bob! bobby", "bob", "[X]").as_deref(),
            Some("Hi [X], [X]! bobby")
        );
        assert_eq!(
            replace_words("😀 Bob 😀", "bob", "[X]").as_deref(),
            Some("😀 [X] 😀")
        );
        assert_eq!(
            replace_words("Zoëlle and ZOË", "zoë", "[X]").as_deref(),
            Some("Zoëlle and [X]")
        );
        assert_eq!(
            replace_words("éBob", "bob", "[X]"),
            None,
            "a Unicode letter before"
        );
        assert_eq!(
            replace_words("[PERSON_1] is a person", "person", "[X]").as_deref(),
            Some("[PERSON_1] is a [X]")
        );
        assert_eq!(replace_words("[FLAGGED]", "flagged", "[X]"), None);
        assert_eq!(replace_words("[withheld: health]", "health", "[X]"), None);
        assert_eq!(
            replace_words("mail @zed now", "@zed", "[X]").as_deref(),
            Some("mail [X] now")
        );
        assert_eq!(replace_words("abc", "", "[X]"), None);
        assert!(!deny_listable("hi"));
        assert!(!deny_listable("[PERSON_1] x"));
        assert!(deny_listable("Zoë"));
        assert_eq!(
            placeholders("a [PERSON_1] [x] [EMAIL_22]"),
            vec![2..12, 17..27]
        );
    }

    #[test]
    fn a_flag_may_not_cut_a_placeholder() {
        let mut v = build(&redacted(), &ProjectSpec::default()).view;
        // "hi [PERSON_1] 😀 here": the placeholder is code points 3..13.
        assert!(flag(&mut v, 0, 4, 8).is_err());
        assert!(flag(&mut v, 0, 0, 5).is_err());
        assert_eq!(flag(&mut v, 0, 3, 13).unwrap_or_default(), "[PERSON_1]");
    }
}
