//! `scrim redact` and `scrim detect`: stream records through the engine on every core.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use scrim_core::engine::MessageAnalysis;
use scrim_core::record::Shape;
use scrim_core::text::OffsetMap;
use scrim_core::{
    Detector, Engine, EngineBuilder, Gate, Key, Outcome, Policy, Record, Redactor, Stats, Tier,
};
use serde_json::{json, Value};

use crate::gov::{Admit, DatasetSink, LineInfo, StoreRun};
use crate::io::{quarantine_path, AtomicOutput, Input, Line, Quarantine, TOO_LONG_KEPT};
use crate::{DetectArgs, EngineArgs, RedactArgs};

/// Lines per batch: enough to keep every core busy, small enough to bound memory.
const BATCH_LINES: usize = 4096;
/// Bytes per batch, whichever comes first.
const BATCH_BYTES: usize = 16 << 20;
/// Records per engine call: the learned tier batches their windows together.
const RECORDS_PER_CALL: usize = 8;

/// The policy, engine and thread pool for a run.
pub struct Setup {
    pub policy: Policy,
    pub engine: Arc<Engine>,
    pub pool: rayon::ThreadPool,
    pub threads: usize,
    /// The tiers asked for, in order.
    pub tiers: Vec<Tier>,
    /// The learned tier's detector, when asked for.
    pub model: Option<Arc<dyn Detector>>,
    /// Which text the learned tier reads.
    pub gate: Gate,
}

impl Setup {
    /// An engine running only `tiers` (for per-tier figures), sharing the loaded model.
    pub fn engine_for(&self, tiers: &[Tier]) -> Result<Arc<Engine>> {
        if tiers == self.tiers.as_slice() {
            return Ok(Arc::clone(&self.engine));
        }
        build_engine(&self.policy, tiers, self.gate, self.model.as_ref())
    }

    /// The tier combinations to report: each tier alone, then all together (just the one when
    /// only one tier is asked for).
    pub fn tier_sets(&self) -> Vec<Vec<Tier>> {
        if self.tiers.len() <= 1 {
            return vec![self.tiers.clone()];
        }
        let mut sets: Vec<Vec<Tier>> = self.tiers.iter().map(|t| vec![*t]).collect();
        sets.push(self.tiers.clone());
        sets
    }
}

/// A tier list as the user writes it: `rules,model`.
pub fn tier_names(tiers: &[Tier]) -> String {
    tiers.iter().map(|t| t.name()).collect::<Vec<_>>().join(",")
}

/// An engine for `tiers` with the policy's detection settings.
fn build_engine(
    policy: &Policy,
    tiers: &[Tier],
    gate: Gate,
    model: Option<&Arc<dyn Detector>>,
) -> Result<Arc<Engine>> {
    let mut b = EngineBuilder::default()
        .tiers(tiers)
        .min_score(policy.detection.min_score)
        .max_findings(policy.detection.max_findings_per_message)
        .model_veto(policy.detection.model_veto)
        .gate(gate);
    if let Some(m) = model {
        b = b.model(Arc::clone(m));
    }
    Ok(Arc::new(
        b.build().context("building the detection engine")?,
    ))
}

/// The model directory: the flag, the policy, SCRIM_MODEL_DIR, or models/scrim-ner in the
/// working directory or beside the executable.
fn model_dir(args: &EngineArgs, policy: &Policy) -> Result<PathBuf> {
    if let Some(d) = &args.model_dir {
        return Ok(d.clone());
    }
    if let Some(d) = &policy.detection.model_dir {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("SCRIM_MODEL_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    scrim_model::find_model_dir().with_context(|| {
        "the model tier needs its model files: no models/scrim-ner/model.onnx in the working \
             directory or beside the executable; pass --model-dir DIR, set SCRIM_MODEL_DIR, or \
             build one with tools/model/setup.sh"
    })
}

/// Load the policy, build the engine with the chosen tiers, and size the thread pool.
pub fn setup(args: &EngineArgs) -> Result<Setup> {
    let policy = match &args.policy {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read policy {}", p.display()))?;
            Policy::from_toml(&text).with_context(|| format!("in policy {}", p.display()))?
        }
        None => Policy::default_policy().context("the built-in default policy")?,
    };
    let tier_names = args
        .tiers
        .clone()
        .unwrap_or_else(|| policy.detection.tiers.clone());
    let tiers = tier_names
        .iter()
        .map(|t| t.parse::<Tier>())
        .collect::<Result<Vec<_>, _>>()?;
    if tiers.is_empty() {
        bail!("--tiers needs at least one tier (rules, model)");
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    let gate: Gate = policy.detection.model_gate.parse()?;
    let model: Option<Arc<dyn Detector>> = if tiers.contains(&Tier::Model) {
        let dir = model_dir(args, &policy)?;
        let options = scrim_model::ModelOptions::new(&dir)
            .threads(threads)
            .min_prob(policy.detection.model_min_prob);
        let detector = scrim_model::ModelDetector::load(options)
            .with_context(|| format!("loading the model tier from {}", dir.display()))?;
        Some(Arc::new(detector))
    } else {
        None
    };
    let engine = build_engine(&policy, &tiers, gate, model.as_ref())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;
    Ok(Setup {
        policy,
        engine,
        pool,
        threads,
        tiers,
        model,
        gate,
    })
}

/// The key: from a file, from SCRIM_KEY, or fresh and random (said in the summary).
fn load_key(path: Option<&Path>) -> Result<(Key, &'static str)> {
    if let Some(p) = path {
        let bytes =
            std::fs::read(p).with_context(|| format!("cannot read key file {}", p.display()))?;
        let trimmed = bytes.trim_ascii();
        if trimmed.len() < 16 {
            bail!("key file {} holds fewer than 16 bytes", p.display());
        }
        return Ok((Key::from_secret(trimmed), "key file"));
    }
    if let Ok(v) = std::env::var("SCRIM_KEY") {
        if v.trim().len() < 16 {
            bail!("SCRIM_KEY holds fewer than 16 bytes");
        }
        return Ok((Key::from_secret(v.trim().as_bytes()), "SCRIM_KEY"));
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no system randomness for a key: {e}"))?;
    Ok((Key::from_secret(&bytes), "random (this run only)"))
}

fn progress(size: Option<u64>) -> ProgressBar {
    let bar = match size {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    // indicatif draws only when standard error is a terminal.
    bar
}

/// What one line became.
enum LineResult {
    Out(String, Stats),
    Withheld(String, Stats),
    Bad(&'static str, String),
}

/// Counts for the summary.
#[derive(Default)]
struct Summary {
    records: usize,
    written: usize,
    withheld: BTreeMap<String, usize>,
    excluded: BTreeMap<&'static str, usize>,
    quarantined: BTreeMap<&'static str, usize>,
    stats: Stats,
    input_bytes: u64,
}

fn parse_line(item: &Line) -> Result<Record, (&'static str, String)> {
    match item {
        Line::Text(line) => Record::parse(line).map_err(|e| (e.code(), e.to_string())),
        Line::NotUtf8(_) => Err((
            "not_utf8",
            "line is not valid UTF-8 (raw_b64 holds its bytes)".to_string(),
        )),
        Line::TooLong { bytes, .. } => Err((
            "line_too_long",
            format!(
                "line is {bytes} bytes, over the --max-line-bytes limit; the quarantine keeps its \
                 first {TOO_LONG_KEPT} bytes"
            ),
        )),
    }
}

fn raw(item: &Line) -> &[u8] {
    item.bytes()
}

/// Where output lines go: a JSONL file, or a dataset in the store.
pub(crate) trait Sink {
    /// One output line (without newline), where it came from, and the raw input line.
    fn put(&mut self, line: &str, info: &LineInfo, raw: &[u8]) -> Result<()>;
}

impl Sink for AtomicOutput {
    fn put(&mut self, line: &str, _info: &LineInfo, _raw: &[u8]) -> Result<()> {
        self.line(line)
    }
}

impl Sink for DatasetSink<'_> {
    fn put(&mut self, line: &str, info: &LineInfo, raw: &[u8]) -> Result<()> {
        DatasetSink::put(self, line, info, raw)
    }
}

/// Decides which parsed records go on (consent, source rules), a batch at a time.
type AdmitFn<'a> = dyn Fn(&[&Record]) -> Result<Vec<Admit>> + 'a;

/// Drive batches of lines through `f` on the pool, writing results in input order.
#[allow(clippy::too_many_arguments)]
fn drive(
    (input, max_line): (&Path, usize),
    sink: &mut dyn Sink,
    quarantine: PathBuf,
    pool: &rayon::ThreadPool,
    quiet: bool,
    admit: &AdmitFn<'_>,
    f: &(dyn Fn(Vec<Record>) -> Vec<LineResult> + Sync),
) -> Result<(Summary, Quarantine, f64)> {
    let start = Instant::now();
    let mut src = Input::open(input, max_line)?;
    let mut quarantine = Quarantine::new(quarantine);
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        progress(src.size)
    };
    let mut summary = Summary::default();
    loop {
        let batch = src.batch(BATCH_LINES, BATCH_BYTES)?;
        if batch.is_empty() {
            break;
        }
        let bytes: u64 = batch.iter().map(|(_, l)| raw(l).len() as u64 + 1).sum();
        let parsed: Vec<Result<Record, (&'static str, String)>> =
            pool.install(|| batch.par_iter().map(|(_, item)| parse_line(item)).collect());
        // Admission for the whole batch at once (one consent query).
        let admitted: Vec<&Record> = parsed.iter().filter_map(|p| p.as_ref().ok()).collect();
        let mut decisions = admit(&admitted)?.into_iter();
        enum Slot {
            Go(Record, LineInfo),
            Done(LineResult),
            Excluded(&'static str),
        }
        let slots: Vec<Slot> = parsed
            .into_iter()
            .zip(&batch)
            .map(|(p, (line_no, _))| match p {
                Err((code, reason)) => Slot::Done(LineResult::Bad(code, reason)),
                Ok(rec) => match decisions.next() {
                    Some(Admit::Yes) => {
                        let info = LineInfo {
                            id: rec.id(),
                            subject: rec.str_field("subject").map(str::to_string),
                            line_no: *line_no,
                        };
                        Slot::Go(rec, info)
                    }
                    Some(Admit::Exclude(code)) => Slot::Excluded(code),
                    Some(Admit::Quarantine(code, why)) => Slot::Done(LineResult::Bad(code, why)),
                    None => Slot::Done(LineResult::Bad(
                        "internal",
                        "no admission decision for this record".to_string(),
                    )),
                },
            })
            .collect();
        let mut infos: Vec<Option<LineInfo>> = Vec::with_capacity(slots.len());
        let mut go: Vec<Record> = Vec::new();
        let mut fixed: Vec<Option<Slot>> = Vec::with_capacity(slots.len());
        for slot in slots {
            match slot {
                Slot::Go(rec, info) => {
                    go.push(rec);
                    infos.push(Some(info));
                    fixed.push(None);
                }
                other => {
                    infos.push(None);
                    fixed.push(Some(other));
                }
            }
        }
        // Records go to the engine a few at a time, so the learned tier can batch across them.
        let chunks: Vec<Vec<Record>> = {
            let mut v = Vec::new();
            let mut it = go.into_iter().peekable();
            while it.peek().is_some() {
                v.push(it.by_ref().take(RECORDS_PER_CALL).collect());
            }
            v
        };
        let results: Vec<LineResult> = pool.install(|| {
            chunks
                .into_par_iter()
                .flat_map_iter(|chunk| {
                    let n = chunk.len();
                    let mut out = f(chunk);
                    out.resize_with(n, || {
                        LineResult::Bad("internal", "no result for this record".to_string())
                    });
                    out
                })
                .collect()
        });
        let mut results = results.into_iter();
        for (((line_no, item), slot), info) in batch.iter().zip(fixed).zip(infos) {
            summary.records += 1;
            let result = match slot {
                Some(Slot::Excluded(code)) => {
                    *summary.excluded.entry(code).or_default() += 1;
                    continue;
                }
                Some(Slot::Done(r)) => r,
                Some(Slot::Go(..)) | None => results.next().unwrap_or(LineResult::Bad(
                    "internal",
                    "no result for this record".to_string(),
                )),
            };
            match result {
                LineResult::Out(line, stats) => {
                    let info = info.unwrap_or(LineInfo {
                        id: None,
                        subject: None,
                        line_no: *line_no,
                    });
                    sink.put(&line, &info, raw(item))?;
                    summary.written += 1;
                    summary.stats.merge(&stats);
                }
                LineResult::Withheld(reason, stats) => {
                    *summary.withheld.entry(reason).or_default() += 1;
                    summary.stats.merge(&stats);
                }
                LineResult::Bad(code, reason) => {
                    quarantine.put(*line_no, code, &reason, raw(item))?;
                    *summary.quarantined.entry(code).or_default() += 1;
                }
            }
        }
        summary.input_bytes += bytes;
        bar.inc(bytes);
    }
    bar.finish_and_clear();
    let secs = start.elapsed().as_secs_f64();
    Ok((summary, quarantine, secs))
}

#[allow(clippy::too_many_arguments)]
fn print_summary(
    what: &str,
    s: &Summary,
    q: &Quarantine,
    secs: f64,
    threads: usize,
    key_note: Option<&str>,
    dataset: Option<&Value>,
    as_json: bool,
) {
    let mb = s.input_bytes as f64 / 1e6;
    let rate = if secs > 0.0 { mb / secs } else { 0.0 };
    let quarantined: usize = s.quarantined.values().sum();
    let withheld: usize = s.withheld.values().sum();
    let excluded: usize = s.excluded.values().sum();
    if as_json {
        let v = json!({
            "command": what,
            "records": s.records, "written": s.written, "withheld": s.withheld,
            "excluded": s.excluded, "dataset": dataset,
            "quarantined": s.quarantined, "quarantine_file": (quarantined > 0).then(|| q.path().display().to_string()),
            "entities": s.stats.by_label.iter().map(|(l, n)| (l.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "tags": s.stats.tags,
            "attachments_withheld": s.stats.attachments_withheld,
            "attachments_stripped": s.stats.attachments_stripped,
            "unexamined_fields": s.stats.unexamined_fields, "dropped_fields": s.stats.dropped_fields,
            "input_mb": mb, "seconds": secs, "mb_per_s": rate, "threads": threads, "key": key_note,
        });
        eprintln!("{v}");
        return;
    }
    eprintln!(
        "scrim {what}: {} records, {} written, {withheld} withheld, {excluded} excluded, {quarantined} quarantined",
        s.records, s.written
    );
    if excluded > 0 {
        let parts: Vec<String> = s.excluded.iter().map(|(c, n)| format!("{c} {n}")).collect();
        eprintln!(
            "  excluded (consent and source rules): {}",
            parts.join(", ")
        );
    }
    if let Some(d) = dataset {
        eprintln!(
            "  dataset {} ({} purpose): {} records of {} subjects in {} shard(s) at {}",
            d["name"].as_str().unwrap_or_default(),
            d["purpose"].as_str().unwrap_or_default(),
            d["records"],
            d["subjects"],
            d["shards"],
            d["path"].as_str().unwrap_or_default()
        );
        if let Some(r) = d.get("raw_retained").filter(|r| !r.is_null()) {
            eprintln!(
                "  raw records retained, sealed per subject: {} in {}",
                r["records"],
                r["file"].as_str().unwrap_or_default()
            );
        }
    }
    if !s.stats.by_label.is_empty() {
        let parts: Vec<String> = s
            .stats
            .by_label
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        eprintln!("  entities: {}", parts.join(", "));
    }
    if !s.stats.tags.is_empty() {
        let parts: Vec<String> = s
            .stats
            .tags
            .iter()
            .map(|(c, n)| {
                format!(
                    "{} {n}",
                    serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                )
            })
            .collect();
        eprintln!("  sensitive messages: {}", parts.join(", "));
    }
    for (reason, n) in &s.withheld {
        eprintln!("  withheld {n}: {reason}");
    }
    if quarantined > 0 {
        let parts: Vec<String> = s
            .quarantined
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        eprintln!(
            "  quarantined to {}: {}",
            q.path().display(),
            parts.join(", ")
        );
    }
    if s.stats.attachments_withheld + s.stats.attachments_stripped > 0 {
        eprintln!(
            "  attachments: {} withheld, {} kept with metadata stripped",
            s.stats.attachments_withheld, s.stats.attachments_stripped
        );
    }
    if s.stats.unexamined_fields > 0 {
        eprintln!(
            "  passed through unexamined: {} fields (policy: [record] unknown_fields = \"keep\")",
            s.stats.unexamined_fields
        );
    }
    if s.stats.dropped_fields > 0 {
        eprintln!("  unknown fields dropped: {}", s.stats.dropped_fields);
    }
    eprintln!("  {mb:.2} MB in {secs:.2} s: {rate:.2} MB/s on {threads} threads");
    if let Some(k) = key_note {
        if k.starts_with("random") {
            eprintln!("  key: none given, so a fresh random key was used: pseudonyms from this run cannot be linked to any other run (use --key-file or SCRIM_KEY for stable ones)");
        } else {
            eprintln!("  key: from {k}");
        }
    }
}

/// Turn redaction outcomes into line results.
fn outcome_lines(outcomes: Vec<Outcome>) -> Vec<LineResult> {
    outcomes
        .into_iter()
        .map(|outcome| match outcome {
            Outcome::Redacted { value, stats } => LineResult::Out(value.to_string(), stats),
            // A record no detector could look at is kept in quarantine, to run again.
            Outcome::Withheld {
                reason: reason @ scrim_core::redact::WithheldReason::DetectionFailed(_),
                ..
            } => LineResult::Bad("detection_failed", reason.to_string()),
            Outcome::Withheld { reason, stats } => LineResult::Withheld(reason.to_string(), stats),
        })
        .collect()
}

/// `scrim redact`.
pub fn redact(args: RedactArgs) -> Result<()> {
    let gov = crate::gov::governance(args.governance.as_deref())?;
    match &args.store {
        Some(url) => redact_to_store(&args, url, gov),
        None => {
            if args.purpose.is_some() || args.retain_raw.is_some() || args.dataset.is_some() {
                bail!("--purpose, --dataset and --retain-raw need --store (consent and lineage live in the store)");
            }
            redact_to_file(&args, &gov)
        }
    }
}

fn redact_to_file(args: &RedactArgs, gov: &scrim_store::Governance) -> Result<()> {
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, false)?;
    let setup = setup(&args.engine)?;
    let (key, key_note) = load_key(args.key_file.as_deref())?;
    let redactor = Redactor::new(Arc::clone(&setup.engine), setup.policy.clone(), key);
    let f = |records: Vec<Record>| outcome_lines(redactor.redact_batch(records));
    let admit = |records: &[&Record]| Ok(crate::gov::admit_without_store(gov, records));
    let mut out = AtomicOutput::create(&args.output)?;
    let (summary, quarantine, secs) = drive(
        (&args.input, args.max_line_bytes),
        &mut out,
        qpath,
        &setup.pool,
        args.quiet,
        &admit,
        &f,
    )?;
    out.commit()?;
    if !args.quiet || args.summary_json {
        print_summary(
            "redact",
            &summary,
            &quarantine,
            secs,
            setup.threads,
            Some(key_note),
            None,
            args.summary_json,
        );
    }
    quarantine.commit()?;
    Ok(())
}

fn redact_to_store(args: &RedactArgs, url: &str, gov: scrim_store::Governance) -> Result<()> {
    let Some(purpose) = args.purpose.clone() else {
        bail!("--store needs --purpose (training, human_review, personalization, ads, or one the governance policy declares)");
    };
    if args.key_file.is_some() {
        bail!("with --store the pseudonym key comes from the store; drop --key-file");
    }
    if args.output.as_os_str() == "-" {
        bail!("with --store the output is a dataset directory, not standard output");
    }
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, true)?;
    let scope = gov.key_scope(&purpose);
    let run = StoreRun::start(url, &purpose, gov, &args.keys)?;
    let setup = setup(&args.engine)?;
    let key = Key::from_secret(run.pseudonym_key.1.bytes());
    let redactor =
        Redactor::new(Arc::clone(&setup.engine), setup.policy.clone(), key).with_scope(scope);
    let lineage = &run.lineage;
    let f = |mut records: Vec<Record>| {
        // The subject leaves as its keyed lineage id, never as the source system's id.
        for r in &mut records {
            let lid = r.str_field("subject").map(|s| lineage.subject(s));
            if let Some(lid) = lid {
                r.fields_mut().insert("subject".into(), Value::String(lid));
            }
        }
        outcome_lines(redactor.redact_batch(records))
    };
    let admit = |records: &[&Record]| run.admit(records);
    let name = match &args.dataset {
        Some(n) => n.clone(),
        None => args
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .context("name the dataset with --dataset")?,
    };
    let mut sink = DatasetSink::create(
        &run,
        &args.output,
        &name,
        &setup.policy.hash(),
        args.shard_records,
        args.retain_raw.as_deref(),
    )?;
    let (summary, quarantine, secs) = drive(
        (&args.input, args.max_line_bytes),
        &mut sink,
        qpath,
        &setup.pool,
        args.quiet,
        &admit,
        &f,
    )?;
    let dataset = sink.finish()?;
    if !args.quiet || args.summary_json {
        print_summary(
            "redact",
            &summary,
            &quarantine,
            secs,
            setup.threads,
            Some(&format!(
                "store {} (pseudonym key v{}, {} scope)",
                run.opened.store.describe(),
                run.pseudonym_key.0,
                scope.name()
            )),
            Some(&dataset),
            args.summary_json,
        );
    }
    quarantine.commit()?;
    Ok(())
}

/// Spans of one record as prediction JSON: code point offsets, `message` for conversations.
pub fn spans_json(record: &Record, analyses: &[MessageAnalysis]) -> Vec<Value> {
    let texts = record.texts();
    let conversation = record.shape() == Shape::Conversation;
    let mut spans = Vec::new();
    for (i, (text, a)) in texts.iter().zip(analyses).enumerate() {
        let map = OffsetMap::new(text);
        for f in &a.findings {
            let mut s = serde_json::Map::new();
            if conversation {
                s.insert("message".into(), json!(i));
            }
            s.insert("start".into(), json!(map.char_of_byte(f.span.start())));
            s.insert("end".into(), json!(map.char_of_byte(f.span.end())));
            s.insert("label".into(), json!(f.label.as_str()));
            if let Some(k) = f.kind {
                s.insert("kind".into(), json!(k));
            }
            s.insert(
                "score".into(),
                json!((f64::from(f.score) * 1000.0).round() / 1000.0),
            );
            s.insert("detector".into(), json!(f.detector));
            spans.push(Value::Object(s));
        }
    }
    spans
}

/// `scrim detect`.
pub fn detect(args: DetectArgs) -> Result<()> {
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, false)?;
    let setup = setup(&args.engine)?;
    // Detection needs no key; seeds still come from profiles when the policy allows.
    let redactor = Redactor::new(
        Arc::clone(&setup.engine),
        setup.policy.clone(),
        Key::from_secret(b"detect"),
    );
    let f = |records: Vec<Record>| {
        let analyses = redactor.detect_batch(&records);
        records
            .iter()
            .zip(analyses)
            .map(|(rec, analyses)| {
                let analyses = match analyses {
                    Ok(a) => a,
                    Err(e) => return LineResult::Bad("detection_failed", e.to_string()),
                };
                let spans = spans_json(rec, &analyses);
                let id = rec.id().map_or(Value::Null, Value::String);
                LineResult::Out(
                    json!({"id": id, "spans": spans}).to_string(),
                    Stats::default(),
                )
            })
            .collect()
    };
    let admit = |records: &[&Record]| Ok(records.iter().map(|_| Admit::Yes).collect());
    let mut out = AtomicOutput::create(&args.output)?;
    let (summary, quarantine, secs) = drive(
        (&args.input, args.max_line_bytes),
        &mut out,
        qpath,
        &setup.pool,
        args.quiet,
        &admit,
        &f,
    )?;
    out.commit()?;
    if !args.quiet {
        print_summary(
            "detect",
            &summary,
            &quarantine,
            secs,
            setup.threads,
            None,
            None,
            false,
        );
    }
    quarantine.commit()?;
    Ok(())
}
