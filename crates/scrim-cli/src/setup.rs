//! What every record-processing command starts from: the policy, the detection engine with its
//! tiers (the learned one loaded when asked for), the thread pool, and the pseudonym key.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use scrim_core::{Detector, Engine, EngineBuilder, Gate, Key, Policy, Tier};

use crate::EngineArgs;

/// The policy, engine and thread pool for a run.
pub(crate) struct Setup {
    pub(crate) policy: Policy,
    pub(crate) engine: Arc<Engine>,
    pub(crate) pool: rayon::ThreadPool,
    pub(crate) threads: usize,
    /// The tiers asked for, in order.
    pub(crate) tiers: Vec<Tier>,
    /// The learned tier's detector, when asked for (the first learned tier's, for `scrim bench`,
    /// which may be given several).
    pub(crate) model: Option<Arc<dyn Detector>>,
    /// Every learned tier asked for, with its detector.
    pub(crate) learned: Vec<(Tier, Arc<dyn Detector>)>,
    /// The cascade, when asked for (for its figures).
    pub(crate) cascade: Option<Arc<scrim_model::Cascade>>,
    /// Which text the learned tier reads.
    pub(crate) gate: Gate,
}

impl Setup {
    /// An engine running only `tiers` (for per-tier figures), sharing the loaded model.
    pub(crate) fn engine_for(&self, tiers: &[Tier]) -> Result<Arc<Engine>> {
        if tiers == self.tiers.as_slice() {
            return Ok(Arc::clone(&self.engine));
        }
        let model = self
            .learned
            .iter()
            .find(|(t, _)| tiers.contains(t))
            .map(|(_, d)| d);
        build_engine(&self.policy, tiers, self.gate, model)
    }

    /// An engine running `tiers` with `model` as the learned tier instead of the loaded one.
    pub(crate) fn engine_with_model(
        &self,
        tiers: &[Tier],
        model: Arc<dyn Detector>,
    ) -> Result<Arc<Engine>> {
        build_engine(&self.policy, tiers, self.gate, Some(&model))
    }

    /// Use `model` as the learned tier from now on (the main engine is rebuilt with it).
    pub(crate) fn replace_model(&mut self, model: Arc<dyn Detector>) -> Result<()> {
        self.engine = build_engine(&self.policy, &self.tiers, self.gate, Some(&model))?;
        self.model = Some(model);
        Ok(())
    }

    /// What the main engine's learned tier read so far, when it has one.
    pub(crate) fn learned_read(&self) -> Option<crate::summary::LearnedRead> {
        let tier = self.tiers.iter().find(|t| t.is_learned())?;
        let (read, seen) = self.engine.model_coverage();
        let share = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Some(crate::summary::LearnedRead {
            tier: tier.name(),
            read_share: share(read, seen),
            teacher_reread_share: self
                .cascade
                .as_ref()
                .filter(|_| *tier == Tier::Cascade)
                .map(|c| {
                    let (read, again) = c.escalated();
                    share(again, read)
                }),
        })
    }

    /// The tier combinations to report: each tier alone, then all together (just the one when
    /// only one tier is asked for).
    ///
    /// With several learned tiers (`rules,student,cascade,model`): the rules alone, then each
    /// learned tier with the rules (or alone, without them), side by side.
    pub(crate) fn tier_sets(&self) -> Vec<Vec<Tier>> {
        if self.tiers.len() <= 1 {
            return vec![self.tiers.clone()];
        }
        let rules: Vec<Tier> = self
            .tiers
            .iter()
            .copied()
            .filter(|t| !t.is_learned())
            .collect();
        if self.learned.len() > 1 {
            let mut sets: Vec<Vec<Tier>> = Vec::new();
            if !rules.is_empty() {
                sets.push(rules.clone());
            }
            for (t, _) in &self.learned {
                let mut set = rules.clone();
                set.push(*t);
                sets.push(set);
            }
            return sets;
        }
        let mut sets: Vec<Vec<Tier>> = self.tiers.iter().map(|t| vec![*t]).collect();
        sets.push(self.tiers.clone());
        sets
    }
}

/// A tier list as the user writes it: `rules,model`.
pub(crate) fn tier_names(tiers: &[Tier]) -> String {
    tiers.iter().map(|t| t.name()).collect::<Vec<_>>().join(",")
}

/// An engine for `tiers` with the policy's detection settings.
fn build_engine(
    policy: &Policy,
    tiers: &[Tier],
    gate: Gate,
    model: Option<&Arc<dyn Detector>>,
) -> Result<Arc<Engine>> {
    let mut b = EngineBuilder::for_policy(policy)?.tiers(tiers).gate(gate);
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

/// The policy: a file, or the built-in default.
fn load_policy(path: Option<&Path>) -> Result<Policy> {
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read policy {}", p.display()))?;
            Policy::from_toml(&text).with_context(|| format!("in policy {}", p.display()))
        }
        None => Policy::default_policy().context("the built-in default policy"),
    }
}

/// The student's directory: the flag, the policy, SCRIM_STUDENT_DIR, or models/scrim-student in
/// the working directory or beside the executable.
fn student_dir(args: &EngineArgs, policy: &Policy) -> Result<PathBuf> {
    if let Some(d) = &args.student_dir {
        return Ok(d.clone());
    }
    if let Some(d) = &policy.detection.student_dir {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("SCRIM_STUDENT_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    scrim_model::find_student_dir().with_context(|| {
        "the student and cascade tiers need the student's model files: no \
         models/scrim-student/model.onnx in the working directory or beside the executable; pass \
         --student-dir DIR or set SCRIM_STUDENT_DIR"
    })
}

/// The learned detectors `tiers` asks for, each model loaded once (the cascade shares the
/// student and the teacher with their own tiers), and the cascade itself when asked for.
struct Learned {
    detectors: Vec<(Tier, Arc<dyn Detector>)>,
    cascade: Option<Arc<scrim_model::Cascade>>,
}

fn load_learned(
    args: &EngineArgs,
    policy: &Policy,
    tiers: &[Tier],
    threads: usize,
) -> Result<Learned> {
    let load = |dir: PathBuf, what: &str| -> Result<Arc<scrim_model::ModelDetector>> {
        let options = scrim_model::ModelOptions::new(&dir)
            .threads(threads)
            .min_prob(policy.detection.model_min_prob);
        let detector = scrim_model::ModelDetector::load(options)
            .with_context(|| format!("loading the {what} from {}", dir.display()))?;
        Ok(Arc::new(detector))
    };
    let wants = |t: Tier| tiers.contains(&t);
    let teacher = if wants(Tier::Model) || wants(Tier::Cascade) {
        Some(load(model_dir(args, policy)?, "model tier")?)
    } else {
        None
    };
    let student = if wants(Tier::Student) || wants(Tier::Cascade) {
        Some(load(student_dir(args, policy)?, "student tier")?)
    } else {
        None
    };
    let cascade = match (&student, &teacher) {
        (Some(s), Some(t)) if wants(Tier::Cascade) => {
            let [low, high] = policy.detection.cascade_band;
            let doubt = scrim_model::Doubt::new(low, high).context("detection.cascade_band")?;
            Some(Arc::new(scrim_model::Cascade::new(
                Arc::clone(s),
                Arc::clone(t),
                doubt,
            )))
        }
        _ => None,
    };
    let mut detectors: Vec<(Tier, Arc<dyn Detector>)> = Vec::new();
    for &t in tiers.iter().filter(|t| t.is_learned()) {
        let d: Option<Arc<dyn Detector>> = match t {
            Tier::Model => teacher.clone().map(|d| d as Arc<dyn Detector>),
            Tier::Student => student.clone().map(|d| d as Arc<dyn Detector>),
            Tier::Cascade => cascade.clone().map(|d| d as Arc<dyn Detector>),
            Tier::Rules => None,
        };
        if let Some(d) = d {
            detectors.push((t, d));
        }
    }
    Ok(Learned { detectors, cascade })
}

/// Load the policy, build the engine with the chosen tiers, and size the thread pool.
pub(crate) fn setup(args: &EngineArgs) -> Result<Setup> {
    setup_with(args, false)
}

/// [`setup`] for `scrim bench`, which may be given several learned tiers to compare.
pub(crate) fn setup_comparing(args: &EngineArgs) -> Result<Setup> {
    setup_with(args, true)
}

fn setup_with(args: &EngineArgs, comparing: bool) -> Result<Setup> {
    let policy = load_policy(args.policy.as_deref())?;
    let tier_names = args
        .tiers
        .clone()
        .unwrap_or_else(|| policy.detection.tiers.clone());
    let tiers = tier_names
        .iter()
        .map(|t| t.parse::<Tier>())
        .collect::<Result<Vec<_>, _>>()?;
    if tiers.is_empty() {
        bail!("--tiers needs at least one tier (rules, model, student, cascade)");
    }
    let learned_names: Vec<&str> = tiers
        .iter()
        .filter(|t| t.is_learned())
        .map(|t| t.name())
        .collect();
    if learned_names.len() > 1 && !comparing {
        bail!(
            "--tiers names {} learned tiers ({}): choose one (only `scrim bench` compares them)",
            learned_names.len(),
            learned_names.join(", ")
        );
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    if threads == 0 {
        bail!("--threads must be at least 1");
    }
    let gate: Gate = policy.detection.model_gate.parse()?;
    let learned = load_learned(args, &policy, &tiers, threads)?;
    let model = learned.detectors.first().map(|(_, d)| Arc::clone(d));
    // With several learned tiers (only `scrim bench` compares them), the main engine runs the
    // first; `engine_for` builds the others.
    let first: Vec<Tier> = match learned.detectors.first() {
        Some((l, _)) => tiers
            .iter()
            .copied()
            .filter(|t| !t.is_learned() || t == l)
            .collect(),
        None => tiers.clone(),
    };
    let engine = build_engine(&policy, &first, gate, model.as_ref())?;
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
        learned: learned.detectors,
        cascade: learned.cascade,
        gate,
    })
}

/// The key: from a file, from SCRIM_KEY, or fresh and random (said in the summary).
pub(crate) fn load_key(path: Option<&Path>) -> Result<(Key, &'static str)> {
    if let Some(p) = path {
        let bytes =
            std::fs::read(p).with_context(|| format!("cannot read key file {}", p.display()))?;
        let Some(key) = Key::from_configured(&bytes) else {
            bail!(
                "key file {} holds fewer than {} bytes",
                p.display(),
                Key::MIN_SECRET_BYTES
            );
        };
        return Ok((key, "key file"));
    }
    if let Ok(v) = std::env::var("SCRIM_KEY") {
        let Some(key) = Key::from_configured(v.as_bytes()) else {
            bail!("SCRIM_KEY holds fewer than {} bytes", Key::MIN_SECRET_BYTES);
        };
        return Ok((key, "SCRIM_KEY"));
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no system randomness for a key: {e}"))?;
    Ok((Key::from_secret(&bytes), "random (this run only)"))
}
