//! `scrim eval --html`: the report page, and the model threshold trade-off behind its chart.
//!
//! The trade-off is measured, not estimated: the learned tier runs once, wrapped in a
//! [`Recorder`] that keeps every finding it returns for every text it reads; each threshold then
//! reruns the whole detection (rules, gate, veto, resolution, conversation consistency) with a
//! [`Replay`] of those findings in place of the model, keeping the ones that score at least the
//! threshold. Rule findings keep the policy's `min_score`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use scrim_core::{Detector, Finding, Tier};
use scrim_eval::html::{render_html, Page, PageInfo, Sweep, SweepPoint, TierRun};
use scrim_eval::{flatten, score, Doc, Options, Report};
use scrim_pipeline::AtomicFile;
use serde_json::Value;

use crate::eval::predict;
use crate::setup::{tier_names, Setup};

/// Model thresholds the trade-off is measured at (those below the model's `min_prob` are
/// skipped: the model returns nothing below it).
const THRESHOLDS: [f32; 8] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/// Misses and false alarms shown per tier.
const TOP: usize = 30;

/// What the learned tier returned, by the text it read.
type Cache = Mutex<HashMap<String, Vec<Finding>>>;

/// The learned tier, remembering what it found.
pub(crate) struct Recording {
    /// The loaded model.
    inner: Arc<dyn Detector>,
    cache: Arc<Cache>,
}

/// Wraps `setup`'s learned tier (when there is one) so that its findings are kept for the
/// trade-off.
pub(crate) fn record_model(setup: &mut Setup) -> Result<Option<Arc<Recording>>> {
    let Some(inner) = setup.model.clone() else {
        return Ok(None);
    };
    let rec = Arc::new(Recording {
        inner,
        cache: Arc::new(Mutex::new(HashMap::new())),
    });
    setup.replace_model(Arc::new(Recorder(Arc::clone(&rec))))?;
    Ok(Some(rec))
}

/// The learned tier as a detector that records.
struct Recorder(Arc<Recording>);

impl Detector for Recorder {
    fn name(&self) -> &'static str {
        self.0.inner.name()
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
        self.detect_batch(&[text], std::slice::from_mut(out))
    }

    fn detect_batch(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> scrim_core::Result<()> {
        let mut fresh = vec![Vec::new(); texts.len()];
        self.0.inner.detect_batch(texts, &mut fresh)?;
        let mut cache = self.0.cache.lock().unwrap_or_else(PoisonError::into_inner);
        for ((text, found), dest) in texts.iter().zip(fresh).zip(out.iter_mut()) {
            cache.insert((*text).to_owned(), found.clone());
            dest.extend(found);
        }
        Ok(())
    }
}

/// The recorded findings at one threshold; a text not read before goes to the model.
struct Replay {
    rec: Arc<Recording>,
    threshold: f32,
    /// The engine's `min_score`: a kept finding scores at least this, so that the engine keeps
    /// it (the threshold replaces `min_score` for the learned tier).
    floor: f32,
}

impl Detector for Replay {
    fn name(&self) -> &'static str {
        self.rec.inner.name()
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
        let cached = {
            let cache = self
                .rec
                .cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            cache.get(text).cloned()
        };
        let found = match cached {
            Some(f) => f,
            None => {
                let mut f = Vec::new();
                self.rec.inner.detect(text, &mut f)?;
                f
            }
        };
        // Findings under the threshold are still returned, scored below any `min_score`: the
        // veto sees everything the model found (as with a higher `min_score`), and the engine
        // drops them right after it.
        out.extend(found.into_iter().map(|f| Finding {
            score: if f.score >= self.threshold {
                f.score.max(self.floor)
            } else {
                -1.0
            },
            ..f
        }));
        Ok(())
    }
}

/// The trade-off over [`THRESHOLDS`], or why there is none.
fn sweep(
    setup: Option<&Setup>,
    rec: Option<&Arc<Recording>>,
    gold_values: &[Value],
    gold: &[Doc],
    opts: &Options,
) -> Result<Sweep> {
    let (Some(setup), Some(rec)) = (setup, rec) else {
        let why = if setup.is_none() {
            "a prediction file was scored (--pred); the trade-off needs Scrim's own detection"
        } else {
            "the model tier was not asked for; run with --tiers rules,model (it needs ONNX \
             Runtime and the model: tools/model/setup.sh)"
        };
        return Ok(Sweep::Unavailable(why.to_owned()));
    };
    let det = &setup.policy.detection;
    let mut points = Vec::new();
    for t in THRESHOLDS.iter().filter(|t| **t >= det.model_min_prob) {
        let replay = Replay {
            rec: Arc::clone(rec),
            threshold: *t,
            floor: det.min_score,
        };
        let engine = setup.engine_with_model(&setup.tiers, Arc::new(replay))?;
        let (preds, _) = predict(setup, engine, gold_values)?;
        let pred: Vec<Doc> = preds.iter().flat_map(flatten).collect();
        let report = score(gold, &pred, opts)?;
        points.push(SweepPoint::from_report(f64::from(*t), &report));
    }
    Ok(Sweep::Points {
        tiers: tier_names(&setup.tiers),
        note: sweep_note(setup),
        points,
    })
}

/// How the trade-off was measured, for the page.
fn sweep_note(setup: &Setup) -> String {
    let det = &setup.policy.detection;
    let rules = if setup.tiers.contains(&Tier::Rules) {
        format!(
            " Rule findings keep the policy's min_score {}; the policy's own run corresponds to \
             threshold {}.",
            det.min_score,
            det.min_score.max(det.model_min_prob)
        )
    } else {
        String::new()
    };
    format!(
        "The model ran once (token min_prob {}); at each threshold its findings scoring at least \
         the threshold were replayed through the whole detection (gate, veto, overlap \
         resolution, conversation consistency) and scored again.{rules}",
        det.model_min_prob
    )
}

/// One scored run, as the page shows it.
pub(crate) struct Scored {
    /// The tier names (or what the predictions were).
    pub(crate) name: String,
    /// The predictions, flattened.
    pub(crate) pred: Vec<Doc>,
    /// The scores.
    pub(crate) report: Report,
}

/// What the page needs from the driver.
pub(crate) struct HtmlJob<'a> {
    pub(crate) path: &'a Path,
    pub(crate) info: PageInfo,
    pub(crate) setup: Option<&'a Setup>,
    pub(crate) rec: Option<&'a Arc<Recording>>,
    pub(crate) gold_values: &'a [Value],
    pub(crate) gold: &'a [Doc],
    pub(crate) scored: &'a [Scored],
    pub(crate) opts: &'a Options,
}

/// Measure the trade-off, render the page and write it atomically.
pub(crate) fn write_html(job: &HtmlJob<'_>) -> Result<()> {
    let sweep = sweep(job.setup, job.rec, job.gold_values, job.gold, job.opts)?;
    let runs: Vec<TierRun<'_>> = job
        .scored
        .iter()
        .map(|s| TierRun {
            name: &s.name,
            report: &s.report,
            pred: &s.pred,
        })
        .collect();
    let page = Page {
        info: &job.info,
        gold: job.gold,
        runs: &runs,
        sweep: &sweep,
        options: job.opts,
        top: TOP,
    };
    let mut out = AtomicFile::create(job.path)?;
    out.line(&render_html(&page))?;
    out.commit()?;
    Ok(())
}

/// Header facts: the gold file, the policy's hash, today's date (UTC), the version.
pub(crate) fn page_info(gold: &Path, title: Option<&str>, setup: Option<&Setup>) -> PageInfo {
    PageInfo {
        title: title.map(str::to_owned),
        gold_file: gold.display().to_string(),
        policy: setup.map_or_else(
            || "none (a prediction file was scored)".to_owned(),
            |s| s.policy.hash(),
        ),
        date: today(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// Today's date in UTC, `YYYY-MM-DD` (days to civil date, after Howard Hinnant).
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let z = i64::try_from(secs / 86_400).unwrap_or(0) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} UTC")
}
