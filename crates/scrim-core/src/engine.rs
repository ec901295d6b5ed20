//! The detection engine: runs the chosen tiers of detectors over every message of a conversation,
//! resolves overlaps, and makes the answer consistent across the conversation.
//!
//! Consistency rule: a value found as PERSON, LOCATION, ORG or USERNAME in one message (or given
//! as a profile fact, a [`Seed`]) is found wherever else it occurs in the conversation, at word
//! boundaries. Matching ignores case, except for values that are also common English words
//! ("Will", "Grace"), which match only with the same capitalisation. The single words of a
//! multi-word name also spread ("Hailey Mills" makes a later "Hailey" a name) unless they are
//! common words.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::detect::names::NameDetector;
use crate::detect::patterns::Patterns;
use crate::detect::{resolve, Detector};
use crate::error::{Error, Result};
pub use crate::gate::Gate;
use crate::label::Label;
use crate::lexicon::Lexicon;
use crate::sensitive::{Category, SensitiveTagger};
use crate::span::{Finding, Span};

/// A detector tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    /// Patterns with validators, gazetteers and context rules. Always available.
    Rules,
    /// A learned token classifier (the `scrim-model` crate), given to
    /// [`EngineBuilder::model`].
    Model,
}

impl Tier {
    /// The tier's name as `--tiers` and policies write it.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Rules => "rules",
            Tier::Model => "model",
        }
    }
}

impl std::str::FromStr for Tier {
    type Err = Error;

    fn from_str(s: &str) -> Result<Tier> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rules" => Ok(Tier::Rules),
            "model" => Ok(Tier::Model),
            other => Err(Error::Policy(format!(
                "unknown detector tier {other:?} (expected rules or model)"
            ))),
        }
    }
}

/// A value known in advance to be personal data (a profile fact), to find in every message.
#[derive(Clone)]
pub struct Seed {
    /// The value.
    pub value: String,
    /// Its kind.
    pub label: Label,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seed({}, <{} bytes>)", self.label, self.value.len())
    }
}

/// What the engine found in one message.
#[derive(Debug, Clone, Default)]
pub struct MessageAnalysis {
    /// Resolved findings: sorted, non-overlapping, UTF-8 byte offsets into the message.
    pub findings: Vec<Finding>,
    /// Sensitive categories of the message.
    pub tags: Vec<Category>,
}

/// Builder for an [`Engine`].
#[derive(Clone)]
pub struct EngineBuilder {
    tiers: Vec<Tier>,
    min_score: f32,
    model: Option<Arc<dyn Detector>>,
    gate: Gate,
    veto: Option<f32>,
}

impl std::fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineBuilder")
            .field("tiers", &self.tiers)
            .field("min_score", &self.min_score)
            .field("model", &self.model.as_ref().map(|m| m.name()))
            .field("gate", &self.gate)
            .field("veto", &self.veto)
            .finish()
    }
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            tiers: vec![Tier::Rules],
            min_score: 0.5,
            model: None,
            gate: Gate::Signals,
            veto: None,
        }
    }
}

impl EngineBuilder {
    /// The tiers to run (default: rules).
    pub fn tiers(mut self, tiers: &[Tier]) -> Self {
        self.tiers = tiers.to_vec();
        self
    }

    /// Ignore findings scored below this (default 0.5).
    pub fn min_score(mut self, min_score: f32) -> Self {
        self.min_score = min_score;
        self
    }

    /// The learned tier's detector (for example `scrim_model::ModelDetector`), used when the
    /// tiers include [`Tier::Model`].
    pub fn model(mut self, model: Arc<dyn Detector>) -> Self {
        self.model = Some(model);
        self
    }

    /// Which text the learned tier reads (default: [`Gate::Signals`]).
    pub fn gate(mut self, gate: Gate) -> Self {
        self.gate = gate;
        self
    }

    /// With both tiers: drop a name or place the word lists guessed with a score below `veto`
    /// when the model read its sentence and found nothing there (default: off).
    pub fn model_veto(mut self, veto: Option<f32>) -> Self {
        self.veto = veto;
        self
    }

    /// Build the engine: loads the word lists and compiles the patterns.
    pub fn build(self) -> Result<Engine> {
        let model = if self.tiers.contains(&Tier::Model) {
            Some(self.model.ok_or_else(|| {
                Error::Policy(
                    "the `model` tier was asked for but no model was given to the engine \
                     (load one with scrim_model::ModelDetector)"
                        .into(),
                )
            })?)
        } else {
            None
        };
        let lexicon = Arc::new(Lexicon::builtin()?);
        let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
        if self.tiers.contains(&Tier::Rules) {
            detectors.push(Box::new(Patterns::new()?));
            detectors.push(Box::new(NameDetector::new(Arc::clone(&lexicon))));
        }
        Ok(Engine {
            detectors,
            model,
            gate: self.gate,
            veto: self.veto,
            tagger: SensitiveTagger::new()?,
            lexicon,
            min_score: self.min_score,
            model_bytes: AtomicU64::new(0),
            seen_bytes: AtomicU64::new(0),
        })
    }
}

/// Runs detectors over conversations. Build once, share between threads.
pub struct Engine {
    detectors: Vec<Box<dyn Detector>>,
    model: Option<Arc<dyn Detector>>,
    gate: Gate,
    veto: Option<f32>,
    tagger: SensitiveTagger,
    lexicon: Arc<Lexicon>,
    min_score: f32,
    /// Bytes the learned tier read, and bytes of text analyzed, for [`Engine::model_coverage`].
    model_bytes: AtomicU64,
    seen_bytes: AtomicU64,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.detectors.iter().map(|d| d.name()).collect();
        f.debug_struct("Engine")
            .field("detectors", &names)
            .field("model", &self.model.as_ref().map(|m| m.name()))
            .field("gate", &self.gate)
            .field("min_score", &self.min_score)
            .finish()
    }
}

/// Rule findings the learned tier may overrule: guesses from word lists and context, not
/// validated patterns.
fn vetoable(f: &Finding) -> bool {
    f.detector.starts_with("names")
        && matches!(f.label, Label::Person | Label::Location | Label::Org)
}

/// Zipf frequency from which a word is too plain to spread on its own ("the", "like", "time").
const PLAIN_ZIPF: f32 = 5.5;

/// Labels whose values spread across the conversation.
fn spreads(label: Label) -> bool {
    matches!(
        label,
        Label::Person | Label::Location | Label::Org | Label::Username
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `[s, e)` in `text` starts and ends at word boundaries.
fn at_word_boundaries(text: &str, s: usize, e: usize) -> bool {
    let before = text.get(..s).and_then(|t| t.chars().next_back());
    let after = text.get(e..).and_then(|t| t.chars().next());
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

impl Engine {
    /// An engine with the default settings (rules tier).
    pub fn new() -> Result<Engine> {
        EngineBuilder::default().build()
    }

    /// The shared word lists.
    pub fn lexicon(&self) -> &Arc<Lexicon> {
        &self.lexicon
    }

    /// Whether the learned tier runs.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Bytes the learned tier has read so far, and bytes of text analyzed: what the gate let
    /// through.
    pub fn model_coverage(&self) -> (u64, u64) {
        (
            self.model_bytes.load(Ordering::Relaxed),
            self.seen_bytes.load(Ordering::Relaxed),
        )
    }

    /// Findings in one text, without conversation-level consistency.
    pub fn detect_text(&self, text: &str) -> Result<Vec<Finding>> {
        let mut all = self.detect_texts(&[text])?;
        Ok(all.pop().unwrap_or_default())
    }

    /// Findings in each text, resolved per text, without conversation-level consistency: the
    /// rule tier on every text, then the learned tier on the gated regions of all of them in one
    /// batch.
    fn detect_texts(&self, texts: &[&str]) -> Result<Vec<Vec<Finding>>> {
        let mut found: Vec<Vec<Finding>> = texts
            .iter()
            .map(|t| {
                let mut f = Vec::new();
                for d in &self.detectors {
                    d.detect(t, &mut f);
                }
                f
            })
            .collect();
        let total: usize = texts.iter().map(|t| t.len()).sum();
        self.seen_bytes.fetch_add(total as u64, Ordering::Relaxed);
        if let Some(model) = &self.model {
            let mut slices: Vec<&str> = Vec::new();
            // (message, region) of each slice.
            let mut owners: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
            for (i, (text, rules)) in texts.iter().zip(&found).enumerate() {
                for r in crate::gate::regions(self.gate, text, &self.lexicon, rules) {
                    if let Some(slice) = text.get(r.clone()) {
                        slices.push(slice);
                        owners.push((i, r));
                    }
                }
            }
            let read: usize = slices.iter().map(|s| s.len()).sum();
            self.model_bytes.fetch_add(read as u64, Ordering::Relaxed);
            if !slices.is_empty() {
                let mut outs: Vec<Vec<Finding>> = vec![Vec::new(); slices.len()];
                model.detect_batch(&slices, &mut outs)?;
                for ((i, region), fs) in owners.into_iter().zip(outs) {
                    let (Some(text), Some(dest)) = (texts.get(i), found.get_mut(i)) else {
                        continue;
                    };
                    let offset = region.start;
                    let shifted: Vec<Finding> = fs
                        .into_iter()
                        .filter_map(|f| {
                            let (s, e) = (f.span.start() + offset, f.span.end() + offset);
                            Span::new(text, s, e).map(|span| Finding { span, ..f })
                        })
                        .collect();
                    if let Some(veto) = self.veto {
                        // A weak gazetteer guess in text the model read and found nothing in
                        // is dropped: the model saw the context and disagrees.
                        dest.retain(|r| {
                            !(vetoable(r)
                                && r.score < veto
                                && region.start <= r.span.start()
                                && r.span.end() <= region.end
                                && !shifted.iter().any(|m| m.span.overlaps(&r.span)))
                        });
                    }
                    dest.extend(shifted);
                }
            }
        }
        Ok(texts
            .iter()
            .zip(found)
            .map(|(text, mut f)| {
                f.retain(|f| f.score >= self.min_score && f.span.end() <= text.len());
                resolve(f)
            })
            .collect())
    }

    /// Analyze a conversation: every message's findings (consistent across messages) and tags.
    ///
    /// Fails only when a detector could not look at the text (the learned tier's runtime failed):
    /// the conversation must then not pass as clean.
    pub fn analyze(&self, texts: &[&str], seeds: &[Seed]) -> Result<Vec<MessageAnalysis>> {
        Ok(self
            .analyze_batch(&[(texts, seeds)])?
            .pop()
            .unwrap_or_default())
    }

    /// Analyze several conversations at once: like [`Engine::analyze`] on each, but the learned
    /// tier reads the gated text of all of them in one batch (fewer, fuller inference calls).
    /// A failure fails the whole batch; callers may retry records one by one.
    pub fn analyze_batch(
        &self,
        conversations: &[(&[&str], &[Seed])],
    ) -> Result<Vec<Vec<MessageAnalysis>>> {
        let all: Vec<&str> = conversations
            .iter()
            .flat_map(|(texts, _)| texts.iter().copied())
            .collect();
        let mut findings = self.detect_texts(&all)?.into_iter();
        let mut out = Vec::with_capacity(conversations.len());
        for (texts, seeds) in conversations {
            let mut analyses: Vec<MessageAnalysis> = texts
                .iter()
                .map(|t| MessageAnalysis {
                    findings: findings.next().unwrap_or_default(),
                    tags: self.tagger.tag(t),
                })
                .collect();
            self.spread(texts, seeds, &mut analyses);
            out.push(analyses);
        }
        Ok(out)
    }

    /// Whether a found value is too plain to look for everywhere else: every word of it is a
    /// function word of English or another language ("the", "hai", "la"), or a short acronym
    /// ("IBAN", "KYC", "HR"). One wrong guess would otherwise be copied to every mention.
    /// Profile seeds are not subject to this.
    fn too_plain_to_spread(&self, value: &str) -> bool {
        value
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .all(|w| {
                let n = w.chars().count();
                if n <= 4 && w.chars().all(|c| c.is_ascii_uppercase()) {
                    return true;
                }
                let info = self.lexicon.word(&w.to_lowercase());
                info.foreign_function || info.common_zipf >= PLAIN_ZIPF
            })
    }

    /// Whether a value is a common English word (and so must match with its own capitalisation).
    fn is_common(&self, lower: &str) -> bool {
        let w = self.lexicon.word(lower);
        w.dictionary && w.common_zipf >= 3.0
    }

    fn spread(&self, texts: &[&str], seeds: &[Seed], out: &mut [MessageAnalysis]) {
        // Collect (needle, label) pairs.
        let mut needles: Vec<(String, Label)> = Vec::new();
        let push = |value: &str, label: Label, needles: &mut Vec<(String, Label)>| {
            let v = value.trim();
            if v.chars().count() >= 2 && !needles.iter().any(|(n, l)| n == v && *l == label) {
                needles.push((v.to_string(), label));
            }
        };
        for seed in seeds {
            push(&seed.value, seed.label, &mut needles);
        }
        for (text, analysis) in texts.iter().zip(out.iter()) {
            for f in &analysis.findings {
                if !spreads(f.label) {
                    continue;
                }
                let Some(value) = f.span.slice(text) else {
                    continue;
                };
                if self.too_plain_to_spread(value) {
                    continue;
                }
                push(value, f.label, &mut needles);
                if f.label == Label::Person {
                    for token in value.split_whitespace() {
                        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
                        if token.chars().count() >= 3
                            && !self.is_common(&token.to_lowercase())
                            && !self.too_plain_to_spread(token)
                        {
                            push(token, Label::Person, &mut needles);
                        }
                    }
                }
            }
        }
        if needles.is_empty() {
            return;
        }
        let (exact, folded): (Vec<_>, Vec<_>) = needles
            .into_iter()
            .partition(|(n, _)| self.is_common(&n.to_lowercase()));
        for (patterns, fold) in [(exact, false), (folded, true)] {
            if patterns.is_empty() {
                continue;
            }
            // A few needles per record: a SIMD substring search per needle beats building an
            // automaton for every record. Folded needles search an ASCII-lowercased copy of the
            // text, which keeps every byte offset.
            let needles: Vec<(String, Label)> = patterns
                .iter()
                .map(|(n, l)| {
                    (
                        if fold {
                            n.to_ascii_lowercase()
                        } else {
                            n.clone()
                        },
                        *l,
                    )
                })
                .collect();
            for (text, analysis) in texts.iter().zip(out.iter_mut()) {
                let lowered;
                let hay: &str = if fold {
                    lowered = text.to_ascii_lowercase();
                    &lowered
                } else {
                    text
                };
                let mut added = Vec::new();
                for (needle, label) in &needles {
                    for s in memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes()) {
                        let e = s + needle.len();
                        if !at_word_boundaries(text, s, e) {
                            continue;
                        }
                        let Some(span) = Span::new(text, s, e) else {
                            continue;
                        };
                        added.push(Finding::new(span, *label, 0.9, "consistency"));
                    }
                }
                if !added.is_empty() {
                    let mut all = std::mem::take(&mut analysis.findings);
                    all.extend(added);
                    analysis.findings = resolve(all);
                }
            }
        }
    }
}
