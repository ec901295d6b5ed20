//! Redaction policy: what happens to each kind of personal data, to profiles and to attachments.
//!
//! Policies are TOML. The documented default (`policies/default.toml` in the repository, embedded
//! here) errs toward privacy. Keys never live in a policy; see [`crate::replace::Key`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::label::Label;
use crate::sensitive::Category;

/// The default policy's TOML text.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../../../policies/default.toml");

/// What to do with one kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `[PERSON_1]`, numbered within the conversation.
    Placeholder,
    /// A realistic keyed fake of the same kind and shape.
    Surrogate,
    /// Letters and digits become `*`.
    Mask,
    /// `[PERSON:1f3a9c0b]`, a keyed HMAC.
    Hash,
    /// Left as is.
    Keep,
    /// The whole record is withheld.
    Drop,
}

/// What to do with a record's `profile` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileAction {
    /// Remove the profile.
    Drop,
    /// Replace each fact by its label's action; facts of unknown kind are dropped.
    Replace,
    /// Keep the profile as it is.
    Keep,
}

/// What to do with image attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageAction {
    /// Remove every attachment.
    Withhold,
    /// Keep images with their metadata stripped (no re-encoding); withhold anything else.
    StripMetadata,
}

/// What to do with fields of a record whose meaning Scrim does not know (see
/// [`crate::fields`] for the fields it knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnknownFields {
    /// Scan their strings (and integers) like message text and replace what is found; a name
    /// found only there does not spread into the messages.
    #[default]
    Redact,
    /// Remove them from the output.
    Drop,
    /// Pass them through unexamined (counted in the record's `scrim` field and the summary).
    Keep,
}

/// Record handling beyond the message contents.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecordPolicy {
    /// Fields of unknown meaning (default: redact).
    pub unknown_fields: UnknownFields,
}

/// Per-label actions. (Unknown label names are rejected by [`Label`]'s own parsing.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LabelActions {
    /// The action for labels not listed.
    #[serde(default = "placeholder")]
    pub default: Action,
    /// Listed labels.
    #[serde(flatten)]
    pub by_label: BTreeMap<Label, Action>,
}

impl Default for LabelActions {
    /// Every label becomes a placeholder.
    fn default() -> Self {
        LabelActions {
            default: Action::Placeholder,
            by_label: BTreeMap::new(),
        }
    }
}

fn placeholder() -> Action {
    Action::Placeholder
}

/// Profile handling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilePolicy {
    /// What happens to the profile object.
    #[serde(default = "drop_profile")]
    pub action: ProfileAction,
    /// Whether profile values seed detection in the messages.
    #[serde(default = "yes")]
    pub seed_detection: bool,
}

fn yes() -> bool {
    true
}

fn drop_profile() -> ProfileAction {
    ProfileAction::Drop
}

impl Default for ProfilePolicy {
    /// Profiles are dropped; their values still seed detection.
    fn default() -> Self {
        ProfilePolicy {
            action: ProfileAction::Drop,
            seed_detection: true,
        }
    }
}

impl Default for AttachmentPolicy {
    /// Attachments are withheld.
    fn default() -> Self {
        AttachmentPolicy {
            images: ImageAction::Withhold,
        }
    }
}

impl Default for DetectionPolicy {
    /// The rule tier, findings scored 0.5 or more.
    fn default() -> Self {
        DetectionPolicy {
            tiers: vec!["rules".into()],
            min_score: 0.5,
            model_dir: None,
            model_gate: "signals".into(),
            model_veto: Some(0.8),
            model_min_prob: 0.3,
            student_dir: None,
            cascade_band: [0.1, 0.8],
            max_findings_per_message: crate::engine::MAX_FINDINGS_PER_MESSAGE,
        }
    }
}

/// Attachment handling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentPolicy {
    /// What happens to images.
    #[serde(default = "withhold")]
    pub images: ImageAction,
}

fn withhold() -> ImageAction {
    ImageAction::Withhold
}

/// Detection settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DetectionPolicy {
    /// Detector tiers to run: `rules` (patterns, gazetteers, context) and/or `model` (the
    /// learned token classifier).
    pub tiers: Vec<String>,
    /// Findings scored below this are ignored.
    pub min_score: f32,
    /// Where the `model` tier's files are (default: `models/scrim-ner` under the working
    /// directory or beside the executable).
    pub model_dir: Option<String>,
    /// Which text the `model` tier reads: `signals` (only sentences where cheap signals say a
    /// name, place or address may be) or `all`.
    pub model_gate: String,
    /// With both tiers: a name or place that only the word lists guessed, scored below this, is
    /// dropped when the model read its sentence and found nothing there (default 0.8: guesses
    /// from capitalisation or a word list alone, not those after a cue such as "my name is" or a
    /// greeting, which score 0.8 or more).
    /// 0 keeps every rule finding.
    pub model_veto: Option<f32>,
    /// The least probability (of all personal-data classes together) for the model to mark a
    /// token.
    pub model_min_prob: f32,
    /// Where the `student` tier's files are (default: `models/scrim-student` under the working
    /// directory or beside the executable). The `cascade` tier reads both directories.
    pub student_dir: Option<String>,
    /// The `cascade` tier's band of doubt `[low, high]`: a piece of text where the student gives
    /// any token a personal-data probability in it (at least `low`, at most `high`) is read again
    /// by the teacher (the `model` tier), whose findings then replace the student's there.
    pub cascade_band: [f32; 2],
    /// The most findings one message may have; a record with a message over it is withheld
    /// (never passed on raw), which also bounds the work one message can cost.
    pub max_findings_per_message: usize,
}

/// Sensitive-category handling.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitivePolicy {
    /// Records with a message tagged with any of these are withheld.
    #[serde(default)]
    pub withhold_records_with: Vec<Category>,
}

/// A complete redaction policy. Only `version` is required: a missing section or key takes the
/// value of the documented default policy (`policies/default.toml`), which errs toward privacy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Format version; 1.
    pub version: u32,
    /// Per-label actions (missing: every label a placeholder).
    #[serde(default)]
    pub labels: LabelActions,
    /// Profile handling (missing: dropped).
    #[serde(default)]
    pub profile: ProfilePolicy,
    /// Attachment handling (missing: withheld).
    #[serde(default)]
    pub attachments: AttachmentPolicy,
    /// Detection settings (missing: the rule tier, min score 0.5).
    #[serde(default)]
    pub detection: DetectionPolicy,
    /// Sensitive-category handling.
    #[serde(default)]
    pub sensitive: SensitivePolicy,
    /// Record fields beyond the messages (missing: unknown fields redacted).
    #[serde(default)]
    pub record: RecordPolicy,
}

impl Policy {
    /// Parse a policy from TOML. Errors name the offending key or line, never values from records.
    ///
    /// A file that is not a policy (a data file given by mistake) is named by line and column
    /// only: no text of it, and no value quoted from it, reaches the message.
    pub fn from_toml(text: &str) -> Result<Policy> {
        let p: Policy = toml::from_str(text).map_err(|e| Error::Policy(toml_error(text, &e)))?;
        p.validate()?;
        Ok(p)
    }

    /// The documented default policy.
    pub fn default_policy() -> Result<Policy> {
        Policy::from_toml(DEFAULT_POLICY_TOML)
    }

    fn validate(&self) -> Result<()> {
        if self.version != 1 {
            return Err(Error::Policy(format!(
                "unsupported policy version {} (expected 1)",
                self.version
            )));
        }
        if !(0.0..=1.0).contains(&self.detection.min_score) {
            return Err(Error::Policy(
                "detection.min_score must be in [0, 1]".into(),
            ));
        }
        if self.detection.max_findings_per_message == 0 {
            return Err(Error::Policy(
                "detection.max_findings_per_message must be at least 1".into(),
            ));
        }
        if self.detection.tiers.is_empty() {
            return Err(Error::Policy(
                "detection.tiers must name at least one tier".into(),
            ));
        }
        let [low, high] = self.detection.cascade_band;
        if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) || low > high {
            return Err(Error::Policy(format!(
                "detection.cascade_band must be [low, high] with 0 <= low <= high <= 1, not \
                 [{low}, {high}]"
            )));
        }
        if self
            .detection
            .model_gate
            .parse::<crate::engine::Gate>()
            .is_err()
        {
            return Err(Error::Policy(format!(
                "detection.model_gate must be \"signals\" or \"all\", not {:?}",
                self.detection.model_gate
            )));
        }
        Ok(())
    }

    /// The action for a label.
    pub fn action(&self, label: Label) -> Action {
        self.labels
            .by_label
            .get(&label)
            .copied()
            .unwrap_or(self.labels.default)
    }

    /// `sha256:<hex>` of the policy's canonical JSON form: two policies with the same meaning
    /// have the same hash whatever their formatting or comments.
    pub fn hash(&self) -> String {
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&canonical);
        format!("sha256:{}", crate::hex::encode(&digest))
    }
}

/// A TOML error as "line L, column C: what", without the source line toml quotes, and with
/// values quoted from the file left out.
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let what = scrub_quotes(e.message().lines().next().unwrap_or("invalid TOML"));
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {what}")
        }
        None => what,
    }
}

/// Leave out what a message quotes from the file, before its "expected ..." part (which names
/// the policy's own keys and values): a field name is kept when it looks like one (so a typo
/// in a key can be found), any other quoted text becomes `(…)`.
fn scrub_quotes(msg: &str) -> String {
    let (head, tail) = match msg.find("expected") {
        Some(i) => msg.split_at(i),
        None => (msg, ""),
    };
    let mut out = String::with_capacity(msg.len());
    let mut rest = head;
    while let Some(open) = rest.find(['`', '"']) {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let q = if from.starts_with('`') { '`' } else { '"' };
        let inner = &from[1..];
        let Some(close) = inner.find(q) else {
            out.push_str("(…)");
            rest = "";
            break;
        };
        let quoted = &inner[..close];
        let key_like = out.ends_with("field ")
            && (1..=40).contains(&quoted.len())
            && quoted
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if key_like {
            out.push(q);
            out.push_str(quoted);
            out.push(q);
        } else {
            out.push_str("(…)");
        }
        rest = &inner[close + 1..];
    }
    out.push_str(rest);
    out.push_str(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_private() {
        let p = Policy::default_policy().unwrap();
        for l in Label::ALL {
            assert_eq!(p.action(l), Action::Placeholder, "{l}");
        }
        assert_eq!(p.profile.action, ProfileAction::Drop);
        assert_eq!(p.attachments.images, ImageAction::Withhold);
        assert!(p.hash().starts_with("sha256:"));
    }

    #[test]
    fn hash_ignores_formatting_but_not_meaning() {
        let a = Policy::default_policy().unwrap();
        let reformatted = DEFAULT_POLICY_TOML.replace("# ", "#  ");
        let b = Policy::from_toml(&reformatted).unwrap();
        assert_eq!(a.hash(), b.hash());
        let changed =
            DEFAULT_POLICY_TOML.replace("PERSON = \"placeholder\"", "PERSON = \"surrogate\"");
        let c = Policy::from_toml(&changed).unwrap();
        assert_ne!(a.hash(), c.hash());
        assert_eq!(c.action(Label::Person), Action::Surrogate);
    }

    #[test]
    fn rejects_unknown_keys_and_labels() {
        let bad = DEFAULT_POLICY_TOML.replace("[profile]", "[profile]\nbogus = 1");
        assert!(Policy::from_toml(&bad).is_err());
        let bad = DEFAULT_POLICY_TOML.replace("AGE = ", "NAME = ");
        assert!(Policy::from_toml(&bad).is_err());
        let bad = DEFAULT_POLICY_TOML.replace("\"placeholder\"\nPERSON", "\"shred\"\nPERSON");
        assert!(Policy::from_toml(&bad).is_err());
    }

    #[test]
    fn missing_sections_take_the_default_policy() {
        let min = Policy::from_toml("version = 1").unwrap();
        let def = Policy::default_policy().unwrap();
        for l in Label::ALL {
            assert_eq!(min.action(l), def.action(l), "{l:?}");
        }
        assert_eq!(min.profile, def.profile);
        assert_eq!(min.attachments, def.attachments);
        assert_eq!(min.detection, def.detection);
        assert_eq!(min.sensitive, def.sensitive);
        assert_eq!(min.record, def.record);
        assert_eq!(def.record.unknown_fields, UnknownFields::Redact);
        assert_eq!(def.detection.max_findings_per_message, 10_000);
        // A partial section keeps the other keys' defaults.
        let p = Policy::from_toml(
            "version = 1\n[labels]\nPERSON = \"surrogate\"\n[detection]\nmin_score = 0.7",
        )
        .unwrap();
        assert_eq!(p.action(Label::Person), Action::Surrogate);
        assert_eq!(p.action(Label::Email), Action::Placeholder);
        assert_eq!(p.detection.tiers, vec!["rules".to_string()]);
        // The version is still required, and unknown keys are still errors.
        assert!(Policy::from_toml("").is_err());
        assert!(Policy::from_toml("version = 1\n[profile]\nactoin = \"keep\"").is_err());
    }

    #[test]
    fn a_data_file_is_named_by_place_never_quoted() {
        let line = r#"{"id":"c1","text":"I am Hailey Mills, hailey.r.mills@gmail.com"}"#;
        for text in [
            format!("{line}\n{line}\n"),
            format!("version = 1\n\n  {line}\n"),
            "version = 1\n[labels]\nPERSON = \"Hailey Mills\"\n".to_string(),
            "version = \"Hailey Mills\"\n".to_string(),
            "version = 1\n[profile]\naction = \"hailey.r.mills@gmail.com\"\n".to_string(),
        ] {
            let e = Policy::from_toml(&text).unwrap_err().to_string();
            assert!(
                !e.contains("Hailey") && !e.contains("hailey") && !e.contains("Mills"),
                "{e}"
            );
            assert!(e.contains("line ") && e.contains("column "), "{e}");
        }
        let e = Policy::from_toml(&format!("{line}\n"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("policy: line 1, column "), "{e}");
        let e = Policy::from_toml("version = 1\n\n  {\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3, column 3"), "{e}");
        // A key's typo is still named, and the expected names are listed.
        let e = Policy::from_toml("version = 1\n[profile]\nactoin = \"keep\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`actoin`") && e.contains("`action`"), "{e}");
    }

    #[test]
    fn record_and_cap_settings_parse_and_validate() {
        let p = Policy::from_toml(
            "version = 1\n[record]\nunknown_fields = \"drop\"\n[detection]\nmax_findings_per_message = 50",
        )
        .unwrap();
        assert_eq!(p.record.unknown_fields, UnknownFields::Drop);
        assert_eq!(p.detection.max_findings_per_message, 50);
        assert!(Policy::from_toml("version = 1\n[record]\nunknown_fields = \"shred\"").is_err());
        assert!(
            Policy::from_toml("version = 1\n[detection]\nmax_findings_per_message = 0").is_err()
        );
    }
}
