//! Scrim's learned detector tier: a BERT-style token classifier run with ONNX Runtime.
//!
//! [`ModelDetector`] implements [`scrim_core::Detector`], so the engine runs it beside the rule
//! tier and resolves the union with the same overlap rules. What it does with a text:
//!
//! 1. Tokenizes it with the model's own `tokenizer.json` (the `tokenizers` crate, the same token
//!    ids as Python), keeping each token's UTF-8 byte offsets into the original text.
//! 2. Cuts the tokens into windows of at most `max_tokens` (with `[CLS]`/`[SEP]`), overlapping by
//!    `overlap` tokens; every token is read from the window where it sits furthest from an edge,
//!    so no text is skipped and no token is read twice.
//! 3. Runs windows in batches (padded to the longest in the batch) on a pool of ONNX Runtime
//!    sessions: one single-threaded session per worker thread, up to [`MAX_SESSIONS`]; beyond
//!    that the sessions share the thread budget as intra-op threads, so memory stays bounded.
//! 4. Turns per-token label probabilities into spans: a token counts when the probability of all
//!    its non-`O` classes together is at least `min_prob`; neighbouring tokens of the same Scrim label
//!    separated by nothing or by whitespace join one span; a span that ends or starts inside a word
//!    grows to the whole word.
//!
//! The model directory holds `model.onnx`, `tokenizer.json` and `config.json` (whose `id2label`
//! names the BIO labels). Label names map to Scrim labels by [`map_label`]; Rampart's finer names
//! (`GIVEN_NAME`, `STREET_NAME`, ...) map too.
//!
//! ONNX Runtime is loaded at run time from a shared library (`libonnxruntime.so`), never
//! downloaded: see [`find_runtime`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use ort::environment::Environment;
use ort::session::Session;
use ort::value::Tensor;
use scrim_core::{Detector, Finding, Label, Span};
use tokenizers::{Encoding, Tokenizer};

mod cascade;
mod labels;
mod window;

pub use cascade::{Cascade, Doubt};

use window::Window;

pub use labels::map_label;

/// What went wrong loading or running the model. Messages name files and settings, never text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// ONNX Runtime's shared library could not be found or loaded.
    #[error(
        "the model tier needs ONNX Runtime (libonnxruntime, version 1.17 or later): {reason}. \
         Run `tools/model/setup.sh` (installs it from PyPI into .scrim/ort) or set ORT_DYLIB_PATH \
         to the library's path"
    )]
    Runtime {
        /// Why.
        reason: String,
    },
    /// The model directory or one of its files is missing or unreadable.
    #[error("model file {path}: {reason}")]
    ModelFile {
        /// Which file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The model's configuration does not fit what Scrim expects.
    #[error("model {path}: {reason}")]
    Config {
        /// Which file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An option is out of range.
    #[error("model option {name}: {reason}")]
    Option {
        /// Which option.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// Inference failed.
    #[error("model inference failed: {0}")]
    Inference(String),
}

/// The most inference sessions a detector opens (each costs about 190 MB); a larger thread
/// budget gives each session several intra-op threads instead.
pub const MAX_SESSIONS: usize = 4;

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where to find the model and how to run it.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    dir: PathBuf,
    threads: usize,
    batch_size: usize,
    max_tokens: usize,
    overlap: usize,
    min_prob: f32,
    runtime_dirs: Vec<PathBuf>,
}

impl ModelOptions {
    /// Options for the model in `dir`, with defaults: one session per available core, batches of
    /// 16 windows, windows of 256 tokens overlapping by 32, probability at least 0.5.
    pub fn new(dir: impl Into<PathBuf>) -> ModelOptions {
        ModelOptions {
            dir: dir.into(),
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            batch_size: 16,
            max_tokens: 256,
            overlap: 32,
            min_prob: 0.5,
            runtime_dirs: Vec::new(),
        }
    }

    /// Also look for ONNX Runtime's library in `dir` (for example the `onnxruntime/capi`
    /// directory of the `onnxruntime` Python package), after `ORT_DYLIB_PATH` and before the
    /// places [`find_runtime`] searches. The runtime is loaded once per process: this matters
    /// only to the first model loaded.
    pub fn runtime_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.runtime_dirs.push(dir.into());
        self
    }

    /// The thread budget: up to [`MAX_SESSIONS`] inferences run at once, one session each, and a
    /// larger budget is shared among them as intra-op threads.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Windows per inference call.
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// Tokens per window, `[CLS]` and `[SEP]` included (at most 512).
    pub fn max_tokens(mut self, max_tokens: usize) -> Self {
        self.max_tokens = max_tokens;
        self
    }

    /// Tokens shared by neighbouring windows.
    pub fn overlap(mut self, overlap: usize) -> Self {
        self.overlap = overlap;
        self
    }

    /// The least probability for a token to count as personal data.
    pub fn min_prob(mut self, min_prob: f32) -> Self {
        self.min_prob = min_prob;
        self
    }

    /// The model directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn check(&self) -> Result<()> {
        let bad = |name, reason: &str| {
            Err(Error::Option {
                name,
                reason: reason.into(),
            })
        };
        if self.threads == 0 {
            return bad("threads", "must be at least 1");
        }
        if self.batch_size == 0 {
            return bad("batch_size", "must be at least 1");
        }
        if !(8..=512).contains(&self.max_tokens) {
            return bad("max_tokens", "must be between 8 and 512");
        }
        if self.overlap * 2 >= self.max_tokens - 2 {
            return bad("overlap", "must be less than half the window");
        }
        if !(0.0..=1.0).contains(&self.min_prob) {
            return bad("min_prob", "must be between 0 and 1");
        }
        Ok(())
    }
}

/// Find ONNX Runtime's shared library: `ORT_DYLIB_PATH` if set, else what `tools/model/setup.sh`
/// installs (`.scrim/ort/onnxruntime/capi/` under the working directory or any ancestor of the
/// executable), else `None` (the system's library search path is tried by name).
pub fn find_runtime() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    search_roots()
        .iter()
        .find_map(|root| runtime_in(&root.join(".scrim/ort/onnxruntime/capi")))
}

/// Find the default model: `models/scrim-ner` (holding `model.onnx`) under the working
/// directory or any ancestor of the executable.
pub fn find_model_dir() -> Option<PathBuf> {
    find_models("models/scrim-ner")
}

/// Find the default student model (the `student` and `cascade` tiers): `models/scrim-student`
/// (holding `model.onnx`) under the working directory or any ancestor of the executable.
pub fn find_student_dir() -> Option<PathBuf> {
    find_models("models/scrim-student")
}

fn find_models(relative: &str) -> Option<PathBuf> {
    search_roots()
        .iter()
        .map(|root| root.join(relative))
        .find(|d| d.join("model.onnx").is_file())
}

/// Where installed files are looked for: the working directory, then the executable's
/// ancestors (so `target/release/scrim` finds the repository's files).
fn search_roots() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = std::env::current_dir().into_iter().collect();
    if let Ok(exe) = std::env::current_exe() {
        roots.extend(exe.ancestors().skip(1).map(Path::to_path_buf));
    }
    roots
}

/// The ONNX Runtime library in a directory, if there is one.
fn runtime_in(dir: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("libonnxruntime.so") || n == "libonnxruntime.dylib")
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// The runtime library to load: `ORT_DYLIB_PATH`, else one in `dirs`, else [`find_runtime`]'s.
fn runtime_path(dirs: &[PathBuf]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs.iter()
        .find_map(|d| runtime_in(d))
        .or_else(find_runtime)
}

/// Load ONNX Runtime once per process (looking in `dirs` too, see [`ModelOptions::runtime_dir`]).
fn runtime(dirs: &[PathBuf]) -> Result<Environment> {
    static LOADED: OnceLock<Result<Environment, String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            let path = runtime_path(dirs).unwrap_or_else(|| PathBuf::from("libonnxruntime.so"));
            let builder = ort::init_from(&path).map_err(|e| e.to_string())?;
            builder
                .with_name("scrim")
                .build()
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|reason| Error::Runtime { reason })
}

/// Label metadata of one output class.
#[derive(Debug, Clone, Copy)]
struct ClassInfo {
    /// The Scrim label and finer kind, or `None` for `O`.
    label: Option<(Label, Option<&'static str>)>,
}

/// The most distinct Scrim labels a model may output (Scrim has fewer).
const MAX_SLOTS: usize = 32;

/// The distinct Scrim labels of a model's classes, and each class's index among them, so that a
/// token's probabilities add up per label without allocating.
struct LabelSlots {
    /// Slot of each class, `None` for `O`.
    of_class: Vec<Option<usize>>,
    /// Label (and the finer kind of its first class) of each slot, in first-class order.
    labels: Vec<(Label, Option<&'static str>)>,
}

impl LabelSlots {
    fn new(classes: &[ClassInfo], path: &Path) -> Result<LabelSlots> {
        let mut labels: Vec<(Label, Option<&'static str>)> = Vec::new();
        let mut of_class = Vec::with_capacity(classes.len());
        for class in classes {
            of_class.push(class.label.map(|label| {
                labels
                    .iter()
                    .position(|l| l.0 == label.0)
                    .unwrap_or_else(|| {
                        labels.push(label);
                        labels.len() - 1
                    })
            }));
        }
        if labels.len() > MAX_SLOTS {
            return Err(Error::Config {
                path: path.to_path_buf(),
                reason: format!("more than {MAX_SLOTS} distinct labels"),
            });
        }
        Ok(LabelSlots { of_class, labels })
    }
}

/// The learned detector. Build once with [`ModelDetector::load`], share between threads.
pub struct ModelDetector {
    tokenizer: Tokenizer,
    sessions: Vec<Mutex<Session>>,
    next: AtomicUsize,
    classes: Vec<ClassInfo>,
    slots: LabelSlots,
    input_names: Vec<String>,
    cls: u32,
    sep: u32,
    pad: u32,
    /// Whether token types carry the capitalisation flag (see [`case_flags`]).
    case_feature: bool,
    options: ModelOptions,
}

impl std::fmt::Debug for ModelDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelDetector")
            .field("dir", &self.options.dir)
            .field("sessions", &self.sessions.len())
            .field("classes", &self.classes.len())
            .finish()
    }
}

fn file_error(path: &Path, reason: impl ToString) -> Error {
    Error::ModelFile {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// What a model's `config.json` says: its classes, their Scrim labels, and whether token types
/// carry the capitalisation flag.
struct ModelConfig {
    classes: Vec<ClassInfo>,
    slots: LabelSlots,
    case_feature: bool,
}

impl ModelConfig {
    /// Read and check `config.json` at `path`.
    fn read(path: &Path) -> Result<ModelConfig> {
        let config = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
        let classes = labels::classes_from_config(&config, path)?;
        let case_feature = labels::case_feature(&config);
        let slots = LabelSlots::new(&classes, path)?;
        Ok(ModelConfig {
            classes,
            slots,
            case_feature,
        })
    }
}

/// The ids of the special tokens a window is framed and padded with.
struct SpecialTokens {
    cls: u32,
    sep: u32,
    pad: u32,
}

/// Load `tokenizer.json` at `path`, set to encode whole texts as they are, with its special
/// tokens' ids.
fn load_tokenizer(path: &Path) -> Result<(Tokenizer, SpecialTokens)> {
    let mut tokenizer = Tokenizer::from_file(path).map_err(|e| file_error(path, e))?;
    tokenizer
        .with_truncation(None)
        .map_err(|e| file_error(path, e))?;
    tokenizer.with_padding(None);
    // "[SEP]" or "[CLS]" typed in a message is text, not a control token for the model.
    tokenizer.set_encode_special_tokens(true);
    let special = |name: &str| {
        tokenizer.token_to_id(name).ok_or_else(|| Error::Config {
            path: path.to_path_buf(),
            reason: format!("the vocabulary lacks the special token {name}"),
        })
    };
    let special = SpecialTokens {
        cls: special("[CLS]")?,
        sep: special("[SEP]")?,
        pad: special("[PAD]")?,
    };
    Ok((tokenizer, special))
}

/// Start the inference sessions of the model at `model_path` for a budget of `threads`, and
/// read (and check) its input names.
fn start_sessions(
    env: &Environment,
    threads: usize,
    model_path: &Path,
) -> Result<(Vec<Mutex<Session>>, Vec<String>)> {
    // One session per thread up to MAX_SESSIONS (each holds its own copy of the weights);
    // beyond that, sessions share the thread budget as intra-op threads.
    let n_sessions = threads.min(MAX_SESSIONS);
    let intra = threads.div_ceil(n_sessions);
    let mut sessions = Vec::with_capacity(n_sessions);
    let mut input_names = Vec::new();
    // The sessions share their pre-packed weight matrices.
    let prepacked = ort::session::builder::PrepackedWeights::new();
    for _ in 0..n_sessions {
        let session = Session::builder(env)
            .and_then(|b| Ok(b.with_intra_threads(intra)?))
            .and_then(|b| Ok(b.with_inter_threads(1)?))
            .and_then(|b| Ok(b.with_prepacked_weights(&prepacked)?))
            .and_then(|mut b| b.commit_from_file(model_path))
            .map_err(|e| file_error(model_path, e))?;
        if input_names.is_empty() {
            input_names = checked_inputs(&session, model_path)?;
        }
        sessions.push(Mutex::new(session));
    }
    Ok((sessions, input_names))
}

/// A session's input names, once it is checked that the model has outputs and an
/// `input_ids` input.
fn checked_inputs(session: &Session, model_path: &Path) -> Result<Vec<String>> {
    let input_names: Vec<String> = session
        .inputs()
        .iter()
        .map(|i| i.name().to_string())
        .collect();
    let outputs = session.outputs().len();
    if outputs == 0 {
        return Err(Error::Config {
            path: model_path.to_path_buf(),
            reason: "the model has no outputs".into(),
        });
    }
    if !input_names.iter().any(|n| n == "input_ids") {
        return Err(Error::Config {
            path: model_path.to_path_buf(),
            reason: "the model has no input_ids input".into(),
        });
    }
    Ok(input_names)
}

/// One batch of windows as the model's inputs: `rows` x `width` token ids, attention mask and
/// token types, row-major.
struct BatchInputs {
    rows: usize,
    width: usize,
    ids: Vec<i64>,
    mask: Vec<i64>,
    types: Vec<i64>,
}

/// Texts tokenized for the model: per text its encoding, its token types and its windows.
struct Encoded {
    encodings: Vec<Encoding>,
    types: Vec<Vec<u32>>,
    plans: Vec<Vec<Window>>,
}

impl Encoded {
    /// Every text's windows, in order: each window's token ids and token types.
    fn windows(&self) -> Vec<(&[u32], &[u32])> {
        let mut windows: Vec<(&[u32], &[u32])> = Vec::new();
        for ((enc, ty), plan) in self.encodings.iter().zip(&self.types).zip(&self.plans) {
            for w in plan {
                windows.push((
                    enc.get_ids().get(w.start..w.end).unwrap_or(&[]),
                    ty.get(w.start..w.end).unwrap_or(&[]),
                ));
            }
        }
        windows
    }
}

impl ModelDetector {
    /// Load the model in `options.dir()`: checks the files, loads ONNX Runtime, starts the sessions.
    pub fn load(options: ModelOptions) -> Result<ModelDetector> {
        options.check()?;
        let dir = options.dir.clone();
        if !dir.is_dir() {
            return Err(file_error(
                &dir,
                "no such model directory (build or fetch it with tools/model/setup.sh, or pass \
                 --model-dir)",
            ));
        }
        let config = ModelConfig::read(&dir.join("config.json"))?;
        let (tokenizer, special) = load_tokenizer(&dir.join("tokenizer.json"))?;
        let model_path = dir.join("model.onnx");
        if !model_path.is_file() {
            return Err(file_error(&model_path, "missing"));
        }
        let env = runtime(&options.runtime_dirs)?;
        let (sessions, input_names) = start_sessions(&env, options.threads, &model_path)?;
        Ok(ModelDetector {
            tokenizer,
            sessions,
            next: AtomicUsize::new(0),
            classes: config.classes,
            slots: config.slots,
            input_names,
            cls: special.cls,
            sep: special.sep,
            pad: special.pad,
            case_feature: config.case_feature,
            options,
        })
    }

    /// The options it was loaded with.
    pub fn options(&self) -> &ModelOptions {
        &self.options
    }

    /// Per-token class probabilities for each window, in the windows' order.
    ///
    /// Each window is its token ids and their token types (the capitalisation flags, or zeros).
    fn infer(&self, windows: &[(&[u32], &[u32])]) -> Result<Vec<Vec<Vec<f32>>>> {
        let n_classes = self.classes.len();
        let mut out: Vec<Vec<Vec<f32>>> = vec![Vec::new(); windows.len()];
        // Longest first, so each batch pads little.
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(windows.get(i).map_or(0, |w| w.0.len())));
        for batch in order.chunks(self.options.batch_size) {
            let inputs = self.batch_inputs(windows, batch);
            let (rows, width) = (inputs.rows, inputs.width);
            let logits = self.run(inputs)?;
            if logits.len() != rows * width * n_classes {
                return Err(Error::Inference(format!(
                    "expected {rows}x{width}x{n_classes} logits, got {}",
                    logits.len()
                )));
            }
            for (r, &i) in batch.iter().enumerate() {
                let len = windows.get(i).map_or(0, |w| w.0.len());
                let mut probs = Vec::with_capacity(len);
                for j in 1..=len {
                    let at = (r * width + j) * n_classes;
                    let row = logits.get(at..at + n_classes).unwrap_or(&[]);
                    probs.push(softmax(row));
                }
                if let Some(slot) = out.get_mut(i) {
                    *slot = probs;
                }
            }
        }
        Ok(out)
    }

    /// The model's inputs for one batch of windows (`batch` indexes `windows`): each row
    /// `[CLS]`, the window's tokens, `[SEP]`, padded to the batch's longest.
    fn batch_inputs(&self, windows: &[(&[u32], &[u32])], batch: &[usize]) -> BatchInputs {
        let width = batch
            .iter()
            .filter_map(|&i| windows.get(i))
            .map(|w| w.0.len() + 2)
            .max()
            .unwrap_or(2);
        let rows = batch.len();
        let mut inputs = BatchInputs {
            rows,
            width,
            ids: vec![i64::from(self.pad); rows * width],
            mask: vec![0i64; rows * width],
            types: vec![0i64; rows * width],
        };
        for (r, &i) in batch.iter().enumerate() {
            let (w, t) = windows.get(i).copied().unwrap_or((&[], &[]));
            let row = r * width;
            let seq = std::iter::once((self.cls, 0))
                .chain(w.iter().copied().zip(t.iter().copied()))
                .chain(std::iter::once((self.sep, 0)));
            for (j, (id, ty)) in seq.enumerate() {
                if let (Some(slot), Some(m), Some(tt)) = (
                    inputs.ids.get_mut(row + j),
                    inputs.mask.get_mut(row + j),
                    inputs.types.get_mut(row + j),
                ) {
                    *slot = i64::from(id);
                    *m = 1;
                    *tt = i64::from(ty);
                }
            }
        }
        inputs
    }

    /// One batch through a free session; returns the flat logits.
    fn run(&self, batch: BatchInputs) -> Result<Vec<f32>> {
        let inputs = self.session_inputs(batch)?;
        let mut guard = self.free_session()?;
        let outputs = guard
            .run(inputs)
            .map_err(|e| Error::Inference(e.to_string()))?;
        let mut values = outputs.values();
        let first = values
            .next()
            .ok_or_else(|| Error::Inference("no output".into()))?;
        let (_, logits) = first
            .try_extract_tensor::<f32>()
            .map_err(|e| Error::Inference(e.to_string()))?;
        Ok(logits.to_vec())
    }

    /// A batch's tensors, named and in the order of the model's inputs.
    fn session_inputs(
        &self,
        batch: BatchInputs,
    ) -> Result<Vec<(String, ort::session::SessionInputValue<'static>)>> {
        let shape = [batch.rows, batch.width];
        let (mut ids, mut mask, mut types) = (Some(batch.ids), Some(batch.mask), Some(batch.types));
        let mut inputs: Vec<(String, ort::session::SessionInputValue<'static>)> = Vec::new();
        for name in &self.input_names {
            let data = match name.as_str() {
                "input_ids" => ids.take(),
                "attention_mask" => mask.take(),
                "token_type_ids" => types.take(),
                _ => None,
            }
            .ok_or_else(|| Error::Inference(format!("unexpected model input {name}")))?;
            let tensor =
                Tensor::from_array((shape, data)).map_err(|e| Error::Inference(e.to_string()))?;
            inputs.push((name.clone(), tensor.into()));
        }
        Ok(inputs)
    }

    /// The first free session, or (when every one is busy) the one this call was dealt, once
    /// it is free.
    fn free_session(&self) -> Result<MutexGuard<'_, Session>> {
        let n = self.sessions.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for k in 0..n {
            if let Some(s) = self.sessions.get((start + k) % n) {
                if let Ok(g) = s.try_lock() {
                    return Ok(g);
                }
            }
        }
        self.sessions
            .get(start % n)
            .ok_or_else(|| Error::Inference("no session".into()))?
            .lock()
            .map_err(|_| Error::Inference("a session was poisoned by an earlier failure".into()))
    }

    /// Findings in many texts at once; `out[i]` gets the findings of `texts[i]`.
    pub fn detect_all(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> Result<()> {
        self.detect_all_with_doubt(texts, out, &Doubt::NONE)
            .map(|_| ())
    }

    /// [`ModelDetector::detect_all`], also giving for each text the byte ranges of the tokens
    /// the model was unsure of: those whose personal-data probability fell inside `doubt`'s band.
    pub fn detect_all_with_doubt(
        &self,
        texts: &[&str],
        out: &mut [Vec<Finding>],
        doubt: &Doubt,
    ) -> Result<Vec<Vec<std::ops::Range<usize>>>> {
        let encoded = self.encode(texts)?;
        let probs = self.infer(&encoded.windows())?;
        let mut next_window = 0;
        let mut unsure = Vec::with_capacity(texts.len());
        for (((text, enc), plan), found) in texts
            .iter()
            .zip(&encoded.encodings)
            .zip(&encoded.plans)
            .zip(out.iter_mut())
        {
            let tokens = self.guesses(enc, plan, &probs, &mut next_window);
            unsure.push(
                tokens
                    .iter()
                    .filter(|t| doubt.contains(t.prob))
                    .map(|t| t.start..t.end)
                    .collect(),
            );
            self.spans(text, &tokens, found);
        }
        Ok(unsure)
    }

    /// Tokenize `texts`, with each token's type and each text's windows.
    fn encode(&self, texts: &[&str]) -> Result<Encoded> {
        let mut encodings = Vec::with_capacity(texts.len());
        for text in texts {
            let enc = self
                .tokenizer
                .encode(*text, false)
                .map_err(|e| Error::Inference(format!("tokenizer: {e}")))?;
            encodings.push(enc);
        }
        let width = self.options.max_tokens - 2;
        let types: Vec<Vec<u32>> = texts
            .iter()
            .zip(&encodings)
            .map(|(text, enc)| {
                if self.case_feature {
                    case_flags(text, enc)
                } else {
                    vec![0; enc.get_ids().len()]
                }
            })
            .collect();
        let plans = encodings
            .iter()
            .map(|enc| window::plan(enc.get_ids().len(), width, self.options.overlap))
            .collect();
        Ok(Encoded {
            encodings,
            types,
            plans,
        })
    }

    /// The guesses of one text's tokens, each read from the window that owns it; its windows'
    /// probabilities start at `probs[*next_window]`, which moves past them.
    fn guesses(
        &self,
        enc: &Encoding,
        plan: &[Window],
        probs: &[Vec<Vec<f32>>],
        next_window: &mut usize,
    ) -> Vec<TokenGuess> {
        let offsets = enc.get_offsets();
        let mut tokens: Vec<TokenGuess> = Vec::with_capacity(offsets.len());
        for w in plan {
            let Some(p) = probs.get(*next_window) else {
                break;
            };
            *next_window += 1;
            for t in w.own_start..w.own_end {
                let Some(row) = p.get(t - w.start) else {
                    continue;
                };
                let Some(&(s, e)) = offsets.get(t) else {
                    continue;
                };
                tokens.push(self.guess(row, s, e));
            }
        }
        tokens
    }

    /// A token's guess: it counts as personal data when the probability of every non-`O` class
    /// together reaches `min_prob`; its label is the Scrim label with the most probability (B-
    /// and I- classes, and finer names of one label, add up).
    fn guess(&self, probs: &[f32], start: usize, end: usize) -> TokenGuess {
        let mut sums = [0.0f32; MAX_SLOTS];
        let mut entity = 0.0f32;
        for (slot, &p) in self.slots.of_class.iter().zip(probs) {
            if let Some(sum) = slot.and_then(|i| sums.get_mut(i)) {
                *sum += p;
                entity += p;
            }
        }
        // The first slot with the most probability (ties go to the earlier label).
        let n = self.slots.labels.len();
        let best = (0..n).fold(None, |acc: Option<usize>, i| match acc {
            Some(a) if sums.get(a) >= sums.get(i) => Some(a),
            _ => Some(i),
        });
        TokenGuess {
            label: best
                .and_then(|i| self.slots.labels.get(i).copied())
                .filter(|_| entity >= self.options.min_prob),
            prob: entity,
            start,
            end,
        }
    }

    /// Join token guesses into findings.
    fn spans(&self, text: &str, tokens: &[TokenGuess], out: &mut Vec<Finding>) {
        let mut current: Option<Open> = None;
        for t in tokens {
            let Some((label, kind)) = t.label else {
                if let Some(open) = current.take() {
                    open.finish(text, out);
                }
                continue;
            };
            match &mut current {
                Some(open)
                    if open.label == label
                        && t.start >= open.end
                        && text
                            .get(open.end..t.start)
                            .is_some_and(|g| g.chars().all(char::is_whitespace)) =>
                {
                    open.end = t.end;
                    open.kind = open.kind.or(kind);
                    open.prob_sum += t.prob;
                    open.tokens += 1;
                }
                _ => {
                    if let Some(open) = current.take() {
                        open.finish(text, out);
                    }
                    current = Some(Open {
                        start: t.start,
                        end: t.end,
                        label,
                        kind,
                        prob_sum: t.prob,
                        tokens: 1,
                    });
                }
            }
        }
        if let Some(open) = current {
            open.finish(text, out);
        }
    }
}

/// A span being built from consecutive tokens.
struct Open {
    start: usize,
    end: usize,
    label: Label,
    kind: Option<&'static str>,
    prob_sum: f32,
    tokens: usize,
}

impl Open {
    /// Grow to whole words and emit, scored by the mean token probability.
    fn finish(self, text: &str, out: &mut Vec<Finding>) {
        let (s, e) = grow_to_words(text, self.start, self.end);
        if let Some(span) = Span::new(text, s, e) {
            let mut f = Finding::new(
                span,
                self.label,
                self.prob_sum / self.tokens.max(1) as f32,
                scrim_core::Rule::Model,
            );
            f.kind = self.kind;
            out.push(f);
        }
    }
}

/// One token's best guess.
#[derive(Debug, Clone, Copy)]
struct TokenGuess {
    label: Option<(Label, Option<&'static str>)>,
    prob: f32,
    start: usize,
    end: usize,
}

/// The capitalisation flag of each token, for models whose tokenizer lowercases
/// (`"scrim_case_feature": true` in `config.json`): 1 when the first character of the token's
/// pre-tokenizer word is uppercase, else 0. The training scripts compute the same
/// (`tools/model/eval_model.py`, `case_flags`).
pub fn case_flags(text: &str, enc: &tokenizers::Encoding) -> Vec<u32> {
    // The tokens of one word are contiguous: remember where the current word began.
    let mut current: Option<(u32, usize)> = None;
    enc.get_word_ids()
        .iter()
        .zip(enc.get_offsets())
        .map(|(word, &(start, _))| {
            let Some(word) = word else {
                return 0;
            };
            let at = match current {
                Some((w, s)) if w == *word => s,
                _ => {
                    current = Some((*word, start));
                    start
                }
            };
            u32::from(
                text.get(at..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(char::is_uppercase),
            )
        })
        .collect()
}

fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&l| (l - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    if sum > 0.0 {
        exps.iter().map(|e| e / sum).collect()
    } else {
        exps
    }
}

/// Grow `[s, e)` to whole words: while the character before `s` or after `e` is alphanumeric.
fn grow_to_words(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while let Some(c) = text.get(..s).and_then(|t| t.chars().next_back()) {
        if !c.is_alphanumeric() {
            break;
        }
        s -= c.len_utf8();
    }
    while let Some(c) = text.get(e..).and_then(|t| t.chars().next()) {
        if !c.is_alphanumeric() {
            break;
        }
        e += c.len_utf8();
    }
    (s, e)
}

/// One text through a learned detector's batch path (the models run in batches).
fn detect_one(d: &dyn Detector, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
    let mut found = [Vec::new()];
    d.detect_batch(&[text], &mut found)?;
    let [f] = found;
    out.extend(f);
    Ok(())
}

impl Detector for ModelDetector {
    fn name(&self) -> &'static str {
        "model"
    }

    /// One text; a failed inference is an error (the caller fails closed).
    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
        detect_one(self, text, out)
    }

    fn detect_batch(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> scrim_core::Result<()> {
        self.detect_all(texts, out)
            .map_err(|e| scrim_core::Error::Detector {
                detector: "model",
                reason: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory given in the options is searched (after ORT_DYLIB_PATH, which wins).
    #[test]
    fn runtime_dirs_are_searched() {
        let dir = std::env::temp_dir().join(format!("scrim-ort-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let lib = dir.join("libonnxruntime.so.1.22.1");
        std::fs::write(&lib, b"").unwrap_or_default();
        let found = runtime_path(std::slice::from_ref(&dir));
        match std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
            Some(p) => assert_eq!(found, Some(PathBuf::from(p))),
            None => assert_eq!(found, Some(lib)),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn words_grow_to_their_edges() {
        let t = "hi Priyanka!";
        assert_eq!(grow_to_words(t, 5, 8), (3, 11));
        let t = "çok güzel Ayşegül 👋";
        let s = t.find("şe").unwrap_or(0);
        let (a, b) = grow_to_words(t, s, s + "şe".len());
        assert_eq!(&t[a..b], "Ayşegül");
    }

    #[test]
    fn softmax_sums_to_one() {
        let p = softmax(&[1.0, 2.0, 3.0]);
        let sum: f32 = p.iter().sum();
        assert!((sum - 1.0).abs() < 1e-6);
        assert!(p[2] > p[1] && p[1] > p[0]);
    }

    #[test]
    fn bad_options_are_errors() {
        assert!(ModelOptions::new("x").threads(0).check().is_err());
        assert!(ModelOptions::new("x").max_tokens(600).check().is_err());
        assert!(ModelOptions::new("x")
            .max_tokens(64)
            .overlap(40)
            .check()
            .is_err());
        assert!(ModelOptions::new("x").check().is_ok());
    }

    #[test]
    fn a_missing_directory_names_itself() {
        let err = ModelDetector::load(ModelOptions::new("/nonexistent/scrim-model"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("/nonexistent/scrim-model"), "{err}");
    }
}
