//! The detection engine: runs the chosen tiers of detectors over every message of a conversation,
//! resolves overlaps, and makes the answer consistent across the conversation.
//!
//! Consistency rule: a value found as PERSON, LOCATION, ORG, USERNAME or SECRET in one message (or given
//! as a profile fact, a [`Seed`]) is found wherever else it occurs in the conversation, at word
//! boundaries. Matching ignores case, except for values that are also common English words
//! ("Will", "Grace"), which match only with the same capitalisation or in capitals ("WILL"). The single words of a
//! multi-word name also spread ("Hailey Mills" makes a later "Hailey" a name) unless they are
//! common words. A value spreads to standalone words only, never into a host, a path, an address
//! or an identifier (`us.acme.com`, `/users/maya/`, `maya_k`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::detect::names::NameDetector;
use crate::detect::patterns::Patterns;
use crate::detect::{resolve, Detector};
use crate::error::{Error, Result};
use crate::fits;
use crate::gate::Echoes;
pub use crate::gate::Gate;
use crate::label::Label;
use crate::lexicon::Lexicon;
use crate::rule::{NameRule, Rule};
use crate::scope;
use crate::segment::{segment, Segments};
use crate::sensitive::{Category, SensitiveTagger};
use crate::span::{Finding, Span};

/// A detector tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    /// Patterns with validators, gazetteers and context rules. Always available.
    Rules,
    /// A learned token classifier (the `scrim-model` crate), given to
    /// [`EngineBuilder::model`]: the teacher, `models/scrim-ner`.
    Model,
    /// The learned tier's small, fast student model (distilled from the teacher).
    Student,
    /// The student, with the teacher reading again what the student is unsure of.
    Cascade,
}

impl Tier {
    /// The tier's name as `--tiers` and policies write it.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Rules => "rules",
            Tier::Model => "model",
            Tier::Student => "student",
            Tier::Cascade => "cascade",
        }
    }

    /// Whether this is a learned tier (one detector given to [`EngineBuilder::model`]); an
    /// engine runs at most one.
    pub fn is_learned(self) -> bool {
        !matches!(self, Tier::Rules)
    }
}

impl std::str::FromStr for Tier {
    type Err = Error;

    fn from_str(s: &str) -> Result<Tier> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rules" => Ok(Tier::Rules),
            "model" | "teacher" => Ok(Tier::Model),
            "student" => Ok(Tier::Student),
            "cascade" => Ok(Tier::Cascade),
            other => Err(Error::Policy(format!(
                "unknown detector tier {other:?} (expected rules, model, student or cascade)"
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
    max_findings: usize,
}

/// The default most findings one message may have ([`EngineBuilder::max_findings`]).
pub const MAX_FINDINGS_PER_MESSAGE: usize = 10_000;

impl std::fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineBuilder")
            .field("tiers", &self.tiers)
            .field("min_score", &self.min_score)
            .field("model", &self.model.as_ref().map(|m| m.name()))
            .field("gate", &self.gate)
            .field("veto", &self.veto)
            .field("max_findings", &self.max_findings)
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
            max_findings: MAX_FINDINGS_PER_MESSAGE,
        }
    }
}

impl EngineBuilder {
    /// A builder with `policy`'s detection settings: its tiers, `min_score`,
    /// `max_findings_per_message`, `model_veto` and `model_gate` (what `scrim` runs under a
    /// policy; a front end sets a learned model with [`EngineBuilder::model`] and may override
    /// the tiers). Fails on an unknown tier or gate name.
    pub fn for_policy(policy: &crate::Policy) -> Result<Self> {
        let tiers = policy
            .detection
            .tiers
            .iter()
            .map(|t| t.parse::<Tier>())
            .collect::<Result<Vec<_>>>()?;
        Ok(EngineBuilder::default()
            .tiers(&tiers)
            .min_score(policy.detection.min_score)
            .max_findings(policy.detection.max_findings_per_message)
            .model_veto(policy.detection.model_veto)
            .gate(policy.detection.model_gate.parse()?))
    }

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
    /// tiers include a learned tier ([`Tier::is_learned`]).
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

    /// The most findings one message may have (default [`MAX_FINDINGS_PER_MESSAGE`]). A message
    /// with more fails its conversation with [`Error::TooManyFindings`]: the caller withholds it
    /// (it is never passed on as clean), and the engine's work stays bounded.
    pub fn max_findings(mut self, max: usize) -> Self {
        self.max_findings = max;
        self
    }

    /// Build the engine: loads the word lists and compiles the patterns.
    pub fn build(self) -> Result<Engine> {
        let learned: Vec<&str> = self
            .tiers
            .iter()
            .filter(|t| t.is_learned())
            .map(|t| t.name())
            .collect();
        if learned.len() > 1 {
            return Err(Error::Policy(format!(
                "an engine runs one learned tier, not {} (choose one of model, student, cascade)",
                learned.join(" and ")
            )));
        }
        let model = if let Some(name) = learned.first() {
            Some(self.model.ok_or_else(|| {
                Error::Policy(format!(
                    "the `{name}` tier was asked for but no model was given to the engine \
                     (load one with scrim_model::ModelDetector)"
                ))
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
            max_findings: self.max_findings,
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
    max_findings: usize,
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
            .field("max_findings", &self.max_findings)
            .finish()
    }
}

/// Rule findings the learned tier may overrule: guesses from word lists and context, not
/// validated patterns.
fn vetoable(f: &Finding) -> bool {
    f.detector.is_word_list_guess()
        && matches!(f.label, Label::Person | Label::Location | Label::Org)
}

/// The parts of a gated range the learned tier reads: the range cut to the regions
/// [`scope::model_reads`] admits (not code bodies, shell sessions or logs).
fn model_pieces(segments: &Segments, gated: Range<usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in segments.covering(gated.clone()) {
        if !scope::model_reads(r.kind) {
            continue;
        }
        let piece = r.range.start.max(gated.start)..r.range.end.min(gated.end);
        match out.last_mut() {
            Some(last) if last.end == piece.start => last.end = piece.end,
            _ if piece.is_empty() => {}
            _ => out.push(piece),
        }
    }
    out
}

/// Unknown capitalised words guessed as names (no word list knows them) that the conversation
/// also writes in lowercase are ordinary words ("Repudiation ... repudiation", "Kubernetes ...
/// kubernetes"): their guesses are dropped before they can spread.
fn drop_lowercase_guesses(texts: &[&str], analyses: &mut [MessageAnalysis]) {
    let written_lower = |word: &str| {
        let finder = memchr::memmem::Finder::new(word.as_bytes());
        texts.iter().any(|t| {
            finder
                .find_iter(t.as_bytes())
                .any(|s| at_word_boundaries(t, s, s + word.len()))
        })
    };
    for (text, analysis) in texts.iter().zip(analyses.iter_mut()) {
        analysis.findings.retain(|f| {
            let unknown_guess = matches!(
                f.detector,
                Rule::Name(NameRule::ProperNoun | NameRule::UnknownOpening)
            );
            let Some(value) = f.span.slice(text).filter(|_| unknown_guess) else {
                return true;
            };
            let lower = value.to_lowercase();
            lower == value || value.contains(char::is_whitespace) || !written_lower(&lower)
        });
    }
}

/// Whether a secret's value is worth looking for everywhere: it holds a digit or a symbol, as
/// keys and passwords do, rather than being a word that code also uses for names (`token`,
/// `client_secret`), which would spread onto every identifier.
fn secret_like(value: &str) -> bool {
    value.len() >= 6
        && !value.contains(char::is_whitespace)
        && value
            .chars()
            .any(|c| c.is_ascii_digit() || !(c.is_alphanumeric() || c == '_'))
}

/// Zipf frequency from which a word is too plain to spread on its own ("the", "like", "time").
const PLAIN_ZIPF: f32 = 5.5;

/// Labels whose values spread across the conversation (a password given once after "password:"
/// is still the password when it comes back bare: "hunter2 didn't work either").
fn spreads(label: Label) -> bool {
    matches!(
        label,
        Label::Person | Label::Location | Label::Org | Label::Username | Label::Secret
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

/// Whether `s..e` is glued into a host, a path, an address or an identifier
/// (`us.jingdiao.com`, `/users/maya/`, `maya@`, `maya_k`, markdown's `maya\_k`): a value spreads
/// to standalone words only, where the detector that owns such strings (URL, email, username)
/// decides.
fn inside_link_or_name(text: &str, s: usize, e: usize) -> bool {
    let before = text.get(..s).and_then(|t| t.chars().next_back());
    let mut after = text.get(e..).unwrap_or("").chars();
    let next = after.next();
    let glued_before = before.is_some_and(|c| matches!(c, '.' | '/' | '@' | '_' | '\\'));
    // `\_` and `\\_` are underscores as markdown exports of chat logs escape them (`nvr\_ip`).
    let glued_after = crate::detect::patterns::md_escape_len(text, e) > 0
        || match next {
            Some('@' | '_' | '/') => true,
            Some('.') => after.next().is_some_and(|c| c.is_alphanumeric()),
            _ => false,
        };
    glued_before || glued_after
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
        let mut all = self.detect_texts(&[text], &[segment(text)], &[None])?;
        Ok(all.pop().unwrap_or_default())
    }

    /// Findings in each text, resolved per text, without conversation-level consistency: the
    /// rule tier on every text, then the learned tier on the gated regions of all of them in one
    /// batch. `answers[i]` holds the user's echo words when text `i` is an assistant's answer
    /// (the gate reads answers narrowly).
    fn detect_texts(
        &self,
        texts: &[&str],
        segments: &[Segments],
        answers: &[Option<&Echoes>],
    ) -> Result<Vec<Vec<Finding>>> {
        let mut found: Vec<Vec<Finding>> = texts
            .iter()
            .zip(segments)
            .map(|(t, seg)| {
                let mut f = Vec::new();
                for d in &self.detectors {
                    d.detect(t, &mut f)?;
                }
                if !self.detectors.is_empty() {
                    crate::keyed::find(t, seg, &mut f);
                }
                // A value its key names (a data block's field, a contact card's property)
                // stands wherever the record was pasted, a code block included.
                f.retain(|x| x.detector == Rule::Keyed || scope::fits(t, seg, x));
                Ok(f)
            })
            .collect::<Result<_>>()?;
        let total: usize = texts.iter().map(|t| t.len()).sum();
        self.seen_bytes.fetch_add(total as u64, Ordering::Relaxed);
        if let Some(model) = &self.model {
            let mut slices: Vec<&str> = Vec::new();
            // (message, region) of each slice.
            let mut owners: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
            for (i, ((text, rules), seg)) in texts.iter().zip(&found).zip(segments).enumerate() {
                let answer = answers.get(i).copied().flatten();
                for gated in crate::gate::regions(self.gate, text, &self.lexicon, rules, answer) {
                    for r in model_pieces(seg, gated) {
                        if let Some(slice) = text.get(r.clone()) {
                            slices.push(slice);
                            owners.push((i, r));
                        }
                    }
                }
            }
            let read: usize = slices.iter().map(|s| s.len()).sum();
            self.model_bytes.fetch_add(read as u64, Ordering::Relaxed);
            if !slices.is_empty() {
                let mut outs: Vec<Vec<Finding>> = vec![Vec::new(); slices.len()];
                model.detect_batch(&slices, &mut outs)?;
                for ((i, region), fs) in owners.into_iter().zip(outs) {
                    let (Some(text), Some(seg), Some(dest)) =
                        (texts.get(i), segments.get(i), found.get_mut(i))
                    else {
                        continue;
                    };
                    let offset = region.start;
                    let shifted: Vec<Finding> = fs
                        .into_iter()
                        .filter_map(|f| {
                            let (s, e) = (f.span.start() + offset, f.span.end() + offset);
                            Span::new(text, s, e).map(|span| Finding { span, ..f })
                        })
                        .filter(|f| fits::model_finding_fits(text, seg, &self.lexicon, f))
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
        texts
            .iter()
            .zip(found)
            .map(|(text, mut f)| {
                // Rule findings were kept by scope above, the model's by `model_finding_fits`.
                f.retain(|f| f.score >= self.min_score && f.span.end() <= text.len());
                self.within_cap(resolve(f))
            })
            .collect()
    }

    /// The findings of one message, or an error when there are more than the cap.
    fn within_cap(&self, findings: Vec<Finding>) -> Result<Vec<Finding>> {
        if findings.len() > self.max_findings {
            return Err(Error::TooManyFindings {
                limit: self.max_findings,
            });
        }
        Ok(findings)
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
        let convs: Vec<Conversation<'_>> = conversations
            .iter()
            .map(|(texts, seeds)| Conversation {
                texts,
                seeds,
                teaching: texts.len(),
                answers: &[],
            })
            .collect();
        self.analyze_conversations(&convs)
    }

    /// Analyze several conversations, each with texts that teach the others what to look for
    /// (messages) and texts that only receive (see [`Conversation::teaching`]).
    pub fn analyze_conversations(
        &self,
        conversations: &[Conversation<'_>],
    ) -> Result<Vec<Vec<MessageAnalysis>>> {
        self.analyze_with(conversations, true)
    }

    /// [`Engine::analyze_conversations`] without the sensitive categories: every
    /// [`MessageAnalysis::tags`] is left empty. For callers that want only the findings (`scrim
    /// detect`, a binding's `detect`): tagging reads every text once more, about a tenth of the
    /// rule tier's time on real chat logs.
    pub fn find_in_conversations(
        &self,
        conversations: &[Conversation<'_>],
    ) -> Result<Vec<Vec<MessageAnalysis>>> {
        self.analyze_with(conversations, false)
    }

    fn analyze_with(
        &self,
        conversations: &[Conversation<'_>],
        tags: bool,
    ) -> Result<Vec<Vec<MessageAnalysis>>> {
        let all: Vec<&str> = conversations
            .iter()
            .flat_map(|c| c.texts.iter().copied())
            .collect();
        let segments: Vec<Segments> = all.iter().map(|t| segment(t)).collect();
        // The gate reads an assistant's answer where it echoes its conversation's user messages.
        let echoes: Vec<Option<Echoes>> = conversations
            .iter()
            .map(|c| {
                (self.model.is_some() && c.answers.iter().any(|&a| a)).then(|| {
                    let asked = c
                        .texts
                        .iter()
                        .zip(c.answers.iter().chain(std::iter::repeat(&false)))
                        .filter(|(_, &a)| !a)
                        .map(|(t, _)| *t);
                    Echoes::of(asked, &self.lexicon)
                })
            })
            .collect();
        let answers: Vec<Option<&Echoes>> = conversations
            .iter()
            .zip(&echoes)
            .flat_map(|(c, e)| {
                (0..c.texts.len()).map(move |i| {
                    e.as_ref()
                        .filter(|_| c.answers.get(i).copied().unwrap_or(false))
                })
            })
            .collect();
        let mut findings = self.detect_texts(&all, &segments, &answers)?.into_iter();
        let mut segs = segments.as_slice();
        let mut out = Vec::with_capacity(conversations.len());
        for c in conversations {
            let (mine, rest) = segs.split_at(c.texts.len().min(segs.len()));
            segs = rest;
            let mut analyses: Vec<MessageAnalysis> = c
                .texts
                .iter()
                .map(|t| MessageAnalysis {
                    findings: findings.next().unwrap_or_default(),
                    tags: if tags { self.tagger.tag(t) } else { Vec::new() },
                })
                .collect();
            drop_lowercase_guesses(c.texts, &mut analyses);
            self.spread(c, mine, &mut analyses)?;
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

    /// Whether a value is also a word (and so must match with its own capitalisation): a common
    /// English word, a function word of another language, a keyword of code or the name of a
    /// product ("app", "le", "twilio"). A name found once as "App" or "Twilio" is not copied onto
    /// every lowercase "app".
    fn is_common(&self, lower: &str) -> bool {
        let w = self.lexicon.word(lower);
        (w.dictionary && w.common_zipf >= 3.0) || w.foreign_function || w.code || w.product
    }

    /// What a conversation teaches: its seeds, then each distinct value found in a teaching text
    /// (and, for a person, the uncommon words of the name), in first-seen order.
    fn needles(&self, c: &Conversation<'_>, out: &[MessageAnalysis]) -> Needles {
        let mut needles = Needles::default();
        for seed in c.seeds {
            needles.push(&seed.value, seed.label, SEED_STRENGTH);
        }
        // Each distinct found value is judged once, however often it was found, with the best
        // score it was found with.
        let mut found: Vec<(&str, Label, f32)> = Vec::new();
        let mut at: HashMap<(&str, Label), usize> = HashMap::new();
        for (text, analysis) in c.texts.iter().zip(out.iter()).take(c.teaching) {
            for f in analysis.findings.iter().filter(|f| spreads(f.label)) {
                let Some(value) = f.span.slice(text) else {
                    continue;
                };
                match at.get(&(value, f.label)).and_then(|&i| found.get_mut(i)) {
                    Some(seen) => seen.2 = seen.2.max(f.score),
                    None => {
                        at.insert((value, f.label), found.len());
                        found.push((value, f.label, f.score));
                    }
                }
            }
        }
        for (value, label, score) in found {
            if self.too_plain_to_spread(value) || (label == Label::Secret && !secret_like(value)) {
                continue;
            }
            needles.push(value, label, score);
            if label == Label::Person {
                for token in value.split_whitespace() {
                    let token = token.trim_matches(|c: char| !c.is_alphanumeric());
                    if token.chars().count() >= 3
                        && !self.is_common(&token.to_lowercase())
                        && !self.too_plain_to_spread(token)
                    {
                        needles.push(token, Label::Person, score);
                    }
                }
            }
        }
        needles
    }

    /// Spread what one text taught to every text of the conversation (the module's consistency
    /// rule). Linear in the text and in the findings: needles are deduplicated by hash, and many
    /// needles are searched with one automaton rather than one pass each.
    fn spread(
        &self,
        c: &Conversation<'_>,
        segments: &[Segments],
        out: &mut [MessageAnalysis],
    ) -> Result<()> {
        let texts = c.texts;
        let needles = self.needles(c, out);
        if needles.list.is_empty() {
            return Ok(());
        }
        let (mut exact, folded): (Vec<_>, Vec<_>) = needles
            .list
            .into_iter()
            .partition(|(n, _)| self.is_common(&n.to_lowercase()));
        // A name that is also a common word keeps its capitalisation, but its ALL-CAPS form is
        // the same name (a script's "RUBY", a heading's "TRUMP"); not for the most frequent
        // words, which shouted text is full of ("WILL", "MARK").
        let shouted: Vec<(String, Label)> = exact
            .iter()
            .filter(|(n, _)| {
                n.contains(' ') || self.lexicon.word(&n.to_lowercase()).common_zipf < SHOUTED_ZIPF
            })
            .map(|(n, l)| (n.to_uppercase(), *l))
            .filter(|(u, _)| !exact.iter().any(|(n, _)| n == u))
            .collect();
        exact.extend(shouted);
        for (patterns, fold) in [(exact, false), (folded, true)] {
            if patterns.is_empty() {
                continue;
            }
            // Folded needles search an ASCII-lowercased copy of the text, which keeps every
            // byte offset.
            let patterns: Vec<(String, Label)> = patterns
                .into_iter()
                .map(|(n, l)| (if fold { n.to_ascii_lowercase() } else { n }, l))
                .collect();
            let search = Search::new(&patterns)?;
            for ((text, analysis), seg) in texts.iter().zip(out.iter_mut()).zip(segments) {
                let lowered;
                let hay: &str = if fold {
                    lowered = text.to_ascii_lowercase();
                    &lowered
                } else {
                    text
                };
                let mut added = Vec::new();
                // The finding that taught a value keeps its own rule (and score): a copy of it
                // would only hide which detector found it. A set, so each match costs one lookup.
                let found_here: HashSet<(usize, usize, Label)> = analysis
                    .findings
                    .iter()
                    .map(|f| (f.span.start(), f.span.end(), f.label))
                    .collect();
                search.each(hay, |s, e, label| {
                    if !at_word_boundaries(text, s, e) || inside_link_or_name(text, s, e) {
                        return;
                    }
                    if found_here.contains(&(s, e, label)) {
                        return;
                    }
                    if let Some(span) = Span::new(text, s, e) {
                        let found = Finding::new(span, label, 0.9, Rule::Consistency);
                        // Each copy is held to the checks a finding there would meet.
                        if fits::copy_fits(text, seg, &self.lexicon, &found) {
                            added.push(found);
                        }
                    }
                });
                if !added.is_empty() {
                    let mut all = std::mem::take(&mut analysis.findings);
                    all.extend(added);
                    analysis.findings = self.within_cap(resolve(all))?;
                }
            }
        }
        Ok(())
    }
}

/// One conversation for [`Engine::analyze_conversations`].
#[derive(Debug, Clone, Copy)]
pub struct Conversation<'a> {
    /// Its texts: message contents, then any other fields to scan.
    pub texts: &'a [&'a str],
    /// Values known in advance (profile facts, participant names).
    pub seeds: &'a [Seed],
    /// How many of the texts, from the first, teach the others: a name found in one of them is
    /// looked for in every text. The rest are searched for what was taught but teach nothing
    /// (fields of unknown meaning, whose stray words must not spread into the messages).
    pub teaching: usize,
    /// Which texts, from the first, are an assistant's answers (the learned tier's gate reads
    /// them narrowly: see [`crate::gate`]); texts past its end are not. Empty when no text is.
    pub answers: &'a [bool],
}

/// Needles for the consistency rule, in first-seen order, without repeats, each value with one
/// label: the label of its strongest teacher.
///
/// A value taught with two labels ("Boise" a city in the profile, and a capitalised guess at a
/// person in one message) would otherwise be copied as both, and the weaker guess could win a
/// place where the stronger finding stood. A seed (a profile fact) outranks every finding; among
/// findings the higher score wins, and on a tie the first seen.
#[derive(Default)]
struct Needles {
    list: Vec<(String, Label)>,
    /// Index in `list` and strength of each value's teacher, by the value in lowercase.
    best: HashMap<String, (usize, f32)>,
}

/// The strength of a seed: above every finding's score.
const SEED_STRENGTH: f32 = f32::INFINITY;

impl Needles {
    fn push(&mut self, value: &str, label: Label, strength: f32) {
        let v = value.trim();
        if v.chars().count() < 2 {
            return;
        }
        let key = v.to_lowercase();
        match self.best.get_mut(&key) {
            Some((at, best)) => {
                if strength > *best {
                    *best = strength;
                    if let Some(slot) = self.list.get_mut(*at) {
                        slot.1 = label;
                    }
                }
            }
            None => {
                self.best.insert(key, (self.list.len(), strength));
                self.list.push((v.to_string(), label));
            }
        }
    }
}

/// Names that are common words are also looked for in capitals when rarer than this (Zipf).
const SHOUTED_ZIPF: f32 = 5.0;

/// Needles up to this many are searched one by one (a SIMD substring search each); more go
/// into one Aho-Corasick automaton, so the search stays linear in the text.
const FEW_NEEDLES: usize = 8;
/// Needles longer than this always go into the automaton.
const SHORT_NEEDLE: usize = 64;

/// Every occurrence of any needle in a text.
enum Search<'p> {
    Few(Vec<(memchr::memmem::Finder<'p>, Label)>),
    Many(aho_corasick::AhoCorasick, Vec<Label>),
}

impl<'p> Search<'p> {
    fn new(patterns: &'p [(String, Label)]) -> Result<Search<'p>> {
        // A long needle could match at nearly every byte of a repetitive text: the automaton
        // reports overlapping matches without rescanning.
        if patterns.len() <= FEW_NEEDLES && patterns.iter().all(|(n, _)| n.len() <= SHORT_NEEDLE) {
            return Ok(Search::Few(
                patterns
                    .iter()
                    .map(|(n, l)| (memchr::memmem::Finder::new(n.as_bytes()), *l))
                    .collect(),
            ));
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(patterns.iter().map(|(n, _)| n.as_bytes()))
            .map_err(|e| Error::Detector {
                detector: Rule::Consistency.as_str(),
                reason: format!("cannot build the needle automaton: {e}"),
            })?;
        Ok(Search::Many(
            automaton,
            patterns.iter().map(|(_, l)| *l).collect(),
        ))
    }

    /// Call `f(start, end, label)` for every occurrence, overlapping ones included.
    fn each(&self, hay: &str, mut f: impl FnMut(usize, usize, Label)) {
        match self {
            Search::Few(finders) => {
                // Overlapping occurrences too ("Hailey Mills Hailey" twice in "Hailey Mills
                // Hailey Mills Hailey"), as the automaton reports them.
                for (finder, label) in finders {
                    let n = finder.needle().len();
                    let mut from = 0;
                    while let Some(at) = hay.as_bytes().get(from..).and_then(|h| finder.find(h)) {
                        let s = from + at;
                        f(s, s + n, *label);
                        from = s + 1;
                    }
                }
            }
            Search::Many(automaton, labels) => {
                for m in automaton.find_overlapping_iter(hay) {
                    if let Some(label) = labels.get(m.pattern().as_usize()) {
                        f(m.start(), m.end(), *label);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_keep_one_label_per_value_from_the_strongest_teacher() {
        let mut n = Needles::default();
        n.push("Jordan", Label::Person, 0.75);
        n.push("jordan", Label::Location, 0.9);
        n.push("Jordan", Label::Org, 0.8);
        n.push("Priya", Label::Person, 0.5);
        n.push("Priya", Label::Location, 0.5);
        n.push("Boise", Label::Person, 0.99);
        n.push("Boise", Label::Location, SEED_STRENGTH);
        assert_eq!(
            n.list,
            [
                ("Jordan".to_string(), Label::Location),
                ("Priya".to_string(), Label::Person),
                ("Boise".to_string(), Label::Location),
            ]
        );
    }
}
