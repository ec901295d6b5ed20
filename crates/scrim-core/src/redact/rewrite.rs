//! One record's rewrite: each main text (the messages, or the document's text) and each scanned
//! field value with its findings replaced, and what was done listed for the `scrim` field.

use serde_json::{json, Map, Value};

use super::Redactor;
use crate::engine::MessageAnalysis;
use crate::fields::{self, Leaf, Plan};
use crate::label::Label;
use crate::policy::Action;
use crate::replace::{Applied, Pseudonyms, Replacer};
use crate::text::OffsetMap;

/// What a rewrite produced.
pub(super) struct Rewritten {
    /// The new main texts, one per original.
    pub texts: Vec<String>,
    /// A new value per scanned field value (`None`: leave it as it is).
    pub leaves: Vec<Option<String>>,
    /// The `scrim.replacements` entries, in reading order.
    pub replacements: Vec<Value>,
    /// The `scrim.tags` entries, in reading order.
    pub tags: Vec<Value>,
    /// The pseudonyms given out (the profile's values are replaced under the same numbers).
    pub table: Pseudonyms,
}

/// The state of one pass over a record's texts: the main texts first, then the plan's leaves
/// (text `i` is main text `i` below `main.len()`, else leaf `i - main.len()`).
pub(super) struct Rewrite<'a> {
    redactor: &'a Redactor,
    replacer: Replacer<'a>,
    plan: &'a Plan,
    main: &'a [String],
    /// Whether main texts are messages (their index is reported as `message`).
    conversation: bool,
    out: Rewritten,
}

impl<'a> Rewrite<'a> {
    /// A rewrite of `main` and `plan`'s leaves by `replacer`.
    pub(super) fn new(
        redactor: &'a Redactor,
        replacer: Replacer<'a>,
        plan: &'a Plan,
        main: &'a [String],
        conversation: bool,
    ) -> Rewrite<'a> {
        Rewrite {
            redactor,
            replacer,
            plan,
            main,
            conversation,
            out: Rewritten {
                texts: Vec::with_capacity(main.len()),
                leaves: vec![None; plan.leaves.len()],
                replacements: Vec::new(),
                tags: Vec::new(),
                table: Pseudonyms::new(),
            },
        }
    }

    /// Rewrite every text by its analysis (`analyses` in the same order as the texts).
    pub(super) fn run(mut self, analyses: &[MessageAnalysis]) -> Rewritten {
        self.register_persons(analyses);
        let (plan, main) = (self.plan, self.main);
        for (i, (text, a)) in all_texts(main, plan).zip(analyses).enumerate() {
            match self.leaf(i) {
                Some(leaf) if leaf.kind == fields::Kind::Identifier => {
                    self.identifier(i, leaf, text, a);
                }
                _ => self.text(i, text, a),
            }
        }
        self.out
    }

    /// Every person first, so that each mention can be tied to the longest form of the name.
    fn register_persons(&mut self, analyses: &[MessageAnalysis]) {
        for (text, a) in all_texts(self.main, self.plan).zip(analyses) {
            for f in a.findings.iter().filter(|f| f.label == Label::Person) {
                if let Some(v) = f.span.slice(text) {
                    let normalized = crate::replace::normalize(Label::Person, v);
                    self.out.table.register_person(&normalized);
                }
            }
        }
    }

    /// The leaf text `i` is, if it is one.
    fn leaf(&self, i: usize) -> Option<&'a Leaf> {
        let plan = self.plan;
        i.checked_sub(self.main.len())
            .and_then(|k| plan.leaves.get(k))
    }

    /// Where text `i` is, as the start of a `scrim` entry: `field` (and `inner`) for a leaf,
    /// `message` for a conversation's message, nothing for a document's text.
    fn where_of(&self, i: usize) -> Map<String, Value> {
        let mut r = Map::new();
        match self.leaf(i) {
            Some(leaf) => {
                r.insert("field".into(), json!(leaf.pointer));
                if let Some(inner) = &leaf.inner {
                    r.insert("inner".into(), json!(inner));
                }
            }
            None if self.conversation => {
                r.insert("message".into(), json!(i));
            }
            None => {}
        }
        r
    }

    /// An identifier (`id`, `subject`) becomes a keyed pseudonym as a whole when it holds a kind
    /// the policy does not keep.
    fn identifier(&mut self, i: usize, leaf: &Leaf, text: &str, a: &MessageAnalysis) {
        let policy = self.redactor.policy();
        let Some(f) = a
            .findings
            .iter()
            .find(|f| policy.action(f.label) != Action::Keep)
        else {
            return;
        };
        let field = leaf.pointer.trim_start_matches('/');
        let pseudonym = self.redactor.identifier_pseudonym(field, text);
        let mut r = self.where_of(i);
        r.insert("label".into(), json!(f.label.as_str()));
        r.insert("action".into(), json!("pseudonym"));
        r.insert("replacement".into(), json!(pseudonym));
        self.out.replacements.push(Value::Object(r));
        if let Some(slot) = self.out.leaves.get_mut(i - self.main.len()) {
            *slot = Some(pseudonym);
        }
    }

    /// Replace the findings of text `i`, listing each replacement and the text's tags.
    fn text(&mut self, i: usize, text: &str, a: &MessageAnalysis) {
        let (new_text, applied) = self.replacer.apply(text, &a.findings, &mut self.out.table);
        let changed = !applied.is_empty();
        self.list_replacements(i, text, applied);
        if !a.tags.is_empty() {
            let mut t = self.where_of(i);
            t.insert("categories".into(), json!(a.tags));
            self.out.tags.push(Value::Object(t));
        }
        match i.checked_sub(self.main.len()) {
            None => self.out.texts.push(new_text),
            Some(k) => {
                if let Some(slot) = self
                    .out
                    .leaves
                    .get_mut(k)
                    .filter(|_| changed && new_text != text)
                {
                    *slot = Some(new_text);
                }
            }
        }
    }

    /// One `scrim.replacements` entry per replacement made in text `i` (code point offsets).
    fn list_replacements(&mut self, i: usize, text: &str, applied: Vec<Applied>) {
        let offsets = OffsetMap::new(text);
        for ap in applied {
            let mut r = self.where_of(i);
            r.insert("start".into(), json!(offsets.char_of_byte(ap.span.start())));
            r.insert("end".into(), json!(offsets.char_of_byte(ap.span.end())));
            r.insert("label".into(), json!(ap.label.as_str()));
            r.insert("action".into(), json!(ap.action));
            if let Some(rep) = ap.replacement {
                r.insert("replacement".into(), json!(rep));
            }
            self.out.replacements.push(Value::Object(r));
        }
    }
}

/// The main texts, then the leaves' texts.
fn all_texts<'t>(main: &'t [String], plan: &'t Plan) -> impl Iterator<Item = &'t str> {
    main.iter()
        .map(String::as_str)
        .chain(plan.leaves.iter().map(|l| l.text.as_str()))
}
