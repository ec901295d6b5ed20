//! The governance commands (`consent`, `optout`, `forget`, `datasets`, `compact`, `keys`, `raw`)
//! and what `scrim redact --store` adds: admission by consent and source, datasets registered
//! with their lineage, retained raw records sealed per subject.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use scrim_core::Record;
use scrim_store::dataset::{
    crash_point, DatasetWriter, LineEntry, Manifest, DEFAULT_SHARD_RECORDS,
};
use scrim_store::raw::RawWriter;
use scrim_store::{Decision, Governance, Keyring, Lineage, SecretKey, Store};
use serde_json::json;

/// Where the store is and who is acting.
#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// The governance store: a SQLite file path (created if missing) or a postgres:// URL.
    #[arg(
        long,
        env = "SCRIM_STORE",
        default_value = "scrim.db",
        value_name = "URL"
    )]
    pub store: String,
    /// Who is acting, for the history (default: $USER).
    #[arg(long, env = "SCRIM_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Where the master keyring is.
#[derive(Args, Debug, Clone)]
pub struct KeyArgs {
    /// The master keyring file (one base64 key per line, the primary first). Alternatively
    /// SCRIM_MASTER_KEY holds the keyring itself.
    #[arg(long, env = "SCRIM_MASTER_KEY_FILE", value_name = "FILE")]
    pub master_key_file: Option<PathBuf>,
}

/// `scrim consent`.
#[derive(Subcommand, Debug)]
pub enum ConsentCmd {
    /// Record a subject's decision for a purpose (or `*` for every purpose).
    Set {
        /// The subject (the source system's opaque id).
        subject: String,
        /// training, human_review, personalization, ads, a declared purpose, or `*`.
        purpose: String,
        /// grant or deny.
        decision: String,
        /// Why (kept in the history; no personal data, please).
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
        /// Governance policy (TOML) declaring extra purposes. Default: the built-in policy.
        #[arg(long, value_name = "FILE")]
        governance: Option<PathBuf>,
    },
    /// The decision in force for each purpose.
    Show {
        /// The subject.
        subject: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Every decision ever recorded for a subject, oldest first.
    History {
        /// The subject.
        subject: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `scrim keys`.
#[derive(Subcommand, Debug)]
pub enum KeysCmd {
    /// Write a new master keyring file holding one fresh random key.
    New {
        /// Where (refuses to overwrite).
        file: PathBuf,
    },
    /// Put a new primary master key first in a keyring file, keeping the old ones after it.
    AddPrimary {
        /// The keyring file to update.
        file: PathBuf,
    },
    /// Re-wrap every key in the store under the keyring's primary master key (no downtime:
    /// readers with the same keyring keep working). Then the old keys can leave the keyring.
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        keys: KeyArgs,
        /// Also start a new version of the pseudonym key for later runs.
        #[arg(long)]
        pseudonym: bool,
    },
    /// How many keys each master key wraps, and how many subject keys were destroyed.
    Status {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `scrim raw`.
#[derive(Subcommand, Debug)]
pub enum RawCmd {
    /// Decrypt the retained raw records that still can be (to re-process them); forgotten
    /// subjects' records are counted as shredded.
    Export {
        /// The raw archive directory (`scrim redact --retain-raw DIR`).
        dir: PathBuf,
        /// Where to write the records (JSONL; `-` for standard output).
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        keys: KeyArgs,
    },
}

/// A tokio runtime and an open store.
pub struct Opened {
    pub rt: tokio::runtime::Runtime,
    pub store: Store,
}

impl Opened {
    /// Run a store (or gateway) call to completion.
    pub fn run<T, E>(
        &self,
        f: impl std::future::Future<Output = std::result::Result<T, E>>,
    ) -> Result<T>
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Ok(self.rt.block_on(f)?)
    }
}

/// Open the store at `url`.
pub fn open(url: &str) -> Result<Opened> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the store's runtime")?;
    let store = rt
        .block_on(Store::open(url))
        .with_context(|| format!("opening the store {}", scrim_store::display_url(url)))?;
    Ok(Opened { rt, store })
}

/// The master keyring: from the file, or SCRIM_MASTER_KEY.
pub fn keyring(args: &KeyArgs) -> Result<Keyring> {
    if let Some(f) = &args.master_key_file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("cannot read master keyring {}", f.display()))?;
        return Ok(Keyring::parse(&text, &f.display().to_string())?);
    }
    if let Ok(v) = std::env::var("SCRIM_MASTER_KEY") {
        return Ok(Keyring::parse(&v.replace(',', "\n"), "SCRIM_MASTER_KEY")?);
    }
    bail!(
        "no master key: create a keyring with `scrim keys new master.key` and pass \
         --master-key-file master.key (or set SCRIM_MASTER_KEY_FILE, or SCRIM_MASTER_KEY to its \
         contents)"
    )
}

/// Who is acting.
pub fn actor(a: Option<&String>) -> String {
    a.cloned()
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "cli".to_string())
}

/// The governance policy: a file, or the built-in default.
pub fn governance(path: Option<&Path>) -> Result<Governance> {
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read governance policy {}", p.display()))?;
            Governance::from_toml(&text).with_context(|| format!("in {}", p.display()))
        }
        None => Ok(Governance::default_policy()?),
    }
}

fn print_json(v: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// `scrim consent …`.
pub fn consent(cmd: ConsentCmd) -> Result<()> {
    match cmd {
        ConsentCmd::Set {
            subject,
            purpose,
            decision,
            note,
            store,
            governance: g,
        } => {
            let gov = governance(g.as_deref())?;
            if purpose != scrim_store::governance::ALL_PURPOSES {
                gov.check_purpose(&purpose)?;
            }
            let decision: Decision = decision.parse()?;
            let o = open(&store.store)?;
            let who = actor(store.actor.as_ref());
            let (event, tomb) = o
                .run(
                    o.store
                        .set_consent(&subject, &purpose, decision, &who, note.as_deref()),
                )
                .with_context(|| format!("subject {subject}, purpose {purpose}"))?;
            if store.json {
                return print_json(&json!({"event": event, "tombstone": tomb}));
            }
            println!(
                "subject {subject}: {} {purpose} (recorded #{} by {who} at {})",
                event.decision, event.seq, event.at
            );
            if let Some(t) = tomb {
                print_tombstone(&t);
            }
            Ok(())
        }
        ConsentCmd::Show { subject, store } => {
            let o = open(&store.store)?;
            let state = o.run(o.store.consent_state(&subject))?;
            if store.json {
                return print_json(&state);
            }
            if state.is_empty() {
                println!("subject {subject}: no decision recorded (each source's default applies)");
            }
            for (p, e) in &state {
                let p = if p == "*" { "* (every purpose)" } else { p };
                println!("{p}: {} (since {}, by {})", e.decision, e.at, e.actor);
            }
            Ok(())
        }
        ConsentCmd::History { subject, store } => {
            let o = open(&store.store)?;
            let h = o.run(o.store.consent_history(&subject))?;
            if store.json {
                return print_json(&h);
            }
            if h.is_empty() {
                println!("subject {subject}: no decision recorded");
            }
            for e in &h {
                println!(
                    "#{} {} {} {} by {}{}",
                    e.seq,
                    e.at,
                    e.purpose,
                    e.decision,
                    e.actor,
                    e.note
                        .as_ref()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

fn print_tombstone(t: &scrim_store::TombstoneReport) {
    let scope = t.purpose.as_deref().unwrap_or("every purpose");
    println!(
        "tombstone #{} ({}, {scope}) for subject {}{}",
        t.tombstone,
        t.kind,
        t.subject,
        if t.key_destroyed {
            "; the subject's raw-record key is destroyed"
        } else {
            ""
        }
    );
    if t.holdings.is_empty() {
        println!("  no dataset holds the subject");
    } else {
        println!(
            "  held in {} shard(s); run `scrim compact` on:",
            t.holdings.len()
        );
        for h in &t.holdings {
            println!(
                "  {} shard {} ({}): {} record(s)  [{}]",
                h.dataset, h.shard, h.file, h.records, h.path
            );
        }
    }
    if !t.subject_linked {
        println!(
            "  review gateway: the store cannot link the subject to their tasks yet (pass the \
             master keyring to do it now); the gateway withholds them at its next request{}",
            if t.review_tasks_deleted {
                " and deletes them"
            } else {
                ""
            }
        );
    } else if t.review_tasks.is_empty() {
        println!("  review gateway: no task of the subject");
    } else {
        let n: i64 = t.review_tasks.iter().map(|r| r.tasks).sum();
        println!(
            "  review gateway: {n} task(s) {}:",
            if t.review_tasks_deleted {
                "deleted, with their ratings, flags and profile facts"
            } else {
                "withheld from review and export from now on"
            }
        );
        for r in &t.review_tasks {
            println!(
                "  project {} ({}, {}): {} task(s)",
                r.name, r.project, r.purpose, r.tasks
            );
        }
    }
}

/// `scrim optout SUBJECT` and `scrim forget SUBJECT`.
pub fn optout_or_forget(
    subject: &str,
    store: &StoreArgs,
    keys: &KeyArgs,
    forget: bool,
) -> Result<()> {
    scrim_store::check_subject(subject)?;
    let o = open(&store.store)?;
    let who = actor(store.actor.as_ref());
    // With the keyring, link the subject to their lineage id first, so that the tombstone finds
    // their review tasks now (the gateway links them itself at its next request otherwise).
    if keys.master_key_file.is_some() || std::env::var_os("SCRIM_MASTER_KEY").is_some() {
        let ring = keyring(keys)?;
        let lineage = o.run(o.store.lineage(&ring))?;
        o.run(
            o.store
                .remember_subjects(&[(subject.to_string(), lineage.subject(subject))]),
        )?;
    }
    let t = if forget {
        o.run(o.store.forget(subject, &who))
    } else {
        o.run(o.store.opt_out(subject, &who))
    }
    .with_context(|| format!("subject {subject}"))?;
    if store.json {
        return print_json(&t);
    }
    print_tombstone(&t);
    Ok(())
}

/// `scrim datasets …`.
#[derive(Subcommand, Debug)]
pub enum DatasetsCmd {
    /// Adopt or clean what killed `redact --store` runs left: a dataset whose manifest
    /// committed is registered (so forget and compaction reach it); one that never committed
    /// loses its partial files and its registration.
    Recover {
        /// A dataset directory to recover (registered or not).
        dir: Option<PathBuf>,
        /// Every dataset the store holds as pending.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `scrim datasets recover`.
pub fn recover(dir: Option<&Path>, all: bool, store: &StoreArgs) -> Result<()> {
    if dir.is_none() && !all {
        bail!("name a dataset directory or pass --all (every pending dataset in the store)");
    }
    let o = open(&store.store)?;
    let mut done: Vec<(Option<String>, String, scrim_store::Recovery)> = Vec::new();
    if all {
        for (name, path, r) in o.run(o.store.recover_pending())? {
            done.push((Some(name), path, r));
        }
    }
    if let Some(d) = dir {
        let (name, r) = o
            .run(o.store.recover(d))
            .with_context(|| format!("recovering {}", d.display()))?;
        done.push((name, d.display().to_string(), r));
    }
    if store.json {
        let v: Vec<_> = done
            .iter()
            .map(|(n, p, r)| json!({"name": n, "path": p, "result": r}))
            .collect();
        return print_json(&v);
    }
    if done.is_empty() {
        println!("no pending datasets");
    }
    for (name, path, r) in &done {
        let name = name.as_deref().unwrap_or("(unnamed)");
        let what = match r {
            scrim_store::Recovery::Ready => "registered and complete; nothing to do",
            scrim_store::Recovery::Adopted => "committed; now registered as ready",
            scrim_store::Recovery::Cleaned => {
                "never committed; partial files and registration removed"
            }
            scrim_store::Recovery::InProgress => "a run is still writing it; left alone",
            scrim_store::Recovery::Nothing => "no dataset there",
        };
        println!("{name} [{path}]: {what}");
    }
    Ok(())
}

/// `scrim datasets`.
pub fn datasets(store: &StoreArgs) -> Result<()> {
    let o = open(&store.store)?;
    let all = o.run(o.store.datasets())?;
    if store.json {
        return print_json(&all);
    }
    if all.is_empty() {
        println!("no datasets in {}", o.store.describe());
    }
    for d in &all {
        println!(
            "{}  purpose {}  {} records, {} subjects, {} shards  key v{}  {}{}",
            d.name,
            d.purpose,
            d.records,
            d.subjects,
            d.shards,
            d.key_version,
            d.path,
            if d.pending > 0 {
                format!("  ({} shard(s) pending compaction)", d.pending)
            } else {
                String::new()
            }
        );
        if d.state != "ready" {
            println!("  state {}: its run has not finished (if it was killed, run `scrim datasets recover --all`)", d.state);
        }
    }
    Ok(())
}

/// `scrim compact`.
pub fn compact(which: Option<&str>, all: bool, store: &StoreArgs) -> Result<()> {
    let o = open(&store.store)?;
    let who = actor(store.actor.as_ref());
    let names: Vec<String> = match (which, all) {
        (Some(w), false) => vec![w.to_string()],
        (None, true) => o
            .run(o.store.datasets_pending())?
            .into_iter()
            .map(|d| d.name)
            .collect(),
        _ => bail!("name one dataset (its name or directory) or pass --all"),
    };
    let mut receipts = Vec::new();
    for n in &names {
        let r = o
            .run(o.store.compact(n, &who))
            .with_context(|| format!("compacting dataset {n}"))?;
        match r {
            Some(r) => {
                if !store.json {
                    println!(
                        "{}: removed {} record(s) of {} subject(s) from {} shard(s); receipt #{}",
                        r.dataset,
                        r.records_removed,
                        r.subjects.len(),
                        r.shards.len() + r.already_rewritten.len(),
                        r.id
                    );
                    for s in &r.shards {
                        println!(
                            "  shard {}: {} -> {} ({} kept)",
                            s.shard, s.old_file, s.new_file, s.kept
                        );
                    }
                    for s in &r.already_rewritten {
                        println!("  shard {s}: already rewritten by an interrupted compaction");
                    }
                }
                receipts.push(r);
            }
            None => {
                if !store.json {
                    println!("{n}: nothing pending");
                }
            }
        }
    }
    if store.json {
        return print_json(&receipts);
    }
    if names.is_empty() {
        println!("no dataset has pending tombstones");
    }
    Ok(())
}

/// `scrim keys …`.
pub fn keys(cmd: KeysCmd) -> Result<()> {
    match cmd {
        KeysCmd::New { file } => {
            if file.exists() {
                bail!("{} exists; not overwriting a keyring", file.display());
            }
            let ring = Keyring::from_keys(vec![SecretKey::random()?])?;
            write_secret(&file, &ring.to_text())?;
            println!(
                "wrote master keyring {} (key {})",
                file.display(),
                ring.ids().join(", ")
            );
            Ok(())
        }
        KeysCmd::AddPrimary { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let old = Keyring::parse(&text, &file.display().to_string())?;
            let new = SecretKey::random()?;
            let id = new.id();
            let mut keys = vec![new];
            keys.extend(old.ids().iter().filter_map(|i| old.key(i).cloned()));
            let ring = Keyring::from_keys(keys)?;
            write_secret(&file, &ring.to_text())?;
            println!(
                "{}: new primary key {id}; older keys kept for reading: {}. Next: `scrim keys rotate`, then remove the old lines.",
                file.display(),
                old.ids().join(", ")
            );
            Ok(())
        }
        KeysCmd::Rotate {
            store,
            keys,
            pseudonym,
        } => {
            let ring = keyring(&keys)?;
            let o = open(&store.store)?;
            let n = o.run(o.store.rewrap_all(&ring))?;
            let v = if pseudonym {
                Some(o.run(o.store.rotate_pseudonym_key(&ring))?)
            } else {
                None
            };
            let status = o.run(o.store.key_status())?;
            if store.json {
                return print_json(
                    &json!({"rewrapped": n, "pseudonym_version": v, "status": status}),
                );
            }
            println!(
                "re-wrapped {n} key(s) under master key {}",
                ring.primary().id()
            );
            if let Some(v) = v {
                println!("pseudonym key is now version {v}");
            }
            print_status(&status);
            Ok(())
        }
        KeysCmd::Status { store } => {
            let o = open(&store.store)?;
            let status = o.run(o.store.key_status())?;
            if store.json {
                return print_json(&status);
            }
            print_status(&status);
            Ok(())
        }
    }
}

fn print_status(s: &scrim_store::KeyStatus) {
    for (id, n) in &s.store_keys {
        println!("master key {id}: wraps {n} store key(s)");
    }
    for (id, n) in &s.subject_keys {
        println!("master key {id}: wraps {n} subject key(s)");
    }
    println!("destroyed subject keys: {}", s.destroyed);
}

fn write_secret(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600))
            .context("cannot restrict the keyring's permissions")?;
    }
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

/// `scrim raw …`.
pub fn raw(cmd: RawCmd) -> Result<()> {
    let RawCmd::Export {
        dir,
        output,
        store,
        keys,
    } = cmd;
    let ring = keyring(&keys)?;
    let o = open(&store.store)?;
    let mut cache: HashMap<String, Option<SecretKey>> = HashMap::new();
    for lid in scrim_store::raw::subjects_in(&dir)? {
        let k = o.run(o.store.subject_key_by_lineage(&ring, &lid))?;
        cache.insert(lid, k);
    }
    let read = scrim_store::raw::read_all(&dir, |lid| cache.get(lid).cloned().flatten())?;
    let mut out = crate::io::AtomicOutput::create(&output)?;
    for (_, _, bytes) in &read.records {
        out.line(&String::from_utf8_lossy(bytes))?;
    }
    out.commit()?;
    eprintln!(
        "scrim raw export: {} record(s) decrypted, {} shredded (subject forgotten), {} failed to decrypt",
        read.records.len(),
        read.shredded,
        read.failed
    );
    if read.failed > 0 {
        bail!(
            "{} sealed record(s) did not decrypt (altered, or a wrong keyring)",
            read.failed
        );
    }
    Ok(())
}

/// What to do with one record before redaction.
pub enum Admit {
    /// Process it.
    Yes,
    /// Leave it out of this output, counted under a reason code.
    Exclude(&'static str),
    /// It is malformed for governance (a bad subject): quarantine it.
    Quarantine(&'static str, String),
}

fn subject_of(r: &Record) -> std::result::Result<Option<&str>, (&'static str, String)> {
    scrim_store::subject_field(r.field("subject")).map_err(|e| ("bad_subject", e.to_string()))
}

/// Admission without a store: only the source rules that no consent could change (a private
/// message that was not shared with the AI never leaves).
pub fn admit_without_store(gov: &Governance, records: &[&Record]) -> Vec<Admit> {
    records
        .iter()
        .map(|r| match r.str_field("source") {
            Some(src) if gov.sources.contains_key(src) => match gov.source_admits_any(Some(src)) {
                Ok(()) => Admit::Yes,
                Err(e) => Admit::Exclude(e.code()),
            },
            _ => Admit::Yes,
        })
        .collect()
}

/// A store-backed redaction run: admission, keys, and the dataset being written.
pub struct StoreRun {
    pub opened: Opened,
    pub gov: Governance,
    pub purpose: String,
    pub ring: Keyring,
    pub lineage: Lineage,
    pub pseudonym_key: (i64, SecretKey),
    pub started: String,
}

impl StoreRun {
    /// Open the store, check the purpose, and load (or make) the store's keys.
    pub fn start(url: &str, purpose: &str, gov: Governance, keys: &KeyArgs) -> Result<StoreRun> {
        gov.check_purpose(purpose)?;
        let ring = keyring(keys)?;
        let opened = open(url)?;
        let lineage = opened.run(opened.store.lineage(&ring))?;
        let pseudonym_key =
            opened.run(opened.store.store_key(&ring, scrim_store::PSEUDONYM_KEY))?;
        Ok(StoreRun {
            opened,
            gov,
            purpose: purpose.to_string(),
            ring,
            lineage,
            pseudonym_key,
            started: scrim_store::now(),
        })
    }

    /// Decide a batch of records: one consent query for the batch.
    pub fn admit(&self, records: &[&Record]) -> Result<Vec<Admit>> {
        let subjects: Vec<_> = records.iter().map(|r| subject_of(r)).collect();
        let known: Vec<&str> = subjects
            .iter()
            .filter_map(|s| s.as_ref().ok().copied().flatten())
            .collect();
        let decisions = self
            .opened
            .run(self.opened.store.decisions(&known, &self.purpose))
            .with_context(|| format!("reading consent for {}", self.purpose))?;
        Ok(records
            .iter()
            .zip(subjects)
            .map(|(r, subject)| {
                let subject = match subject {
                    Ok(s) => s,
                    Err((code, why)) => return Admit::Quarantine(code, why),
                };
                let d = subject
                    .and_then(|s| decisions.get(s).copied())
                    .unwrap_or_default();
                match self
                    .gov
                    .admit(&self.purpose, subject, r.str_field("source"), d)
                {
                    Ok(()) => Admit::Yes,
                    Err(e) => Admit::Exclude(e.code()),
                }
            })
            .collect())
    }
}

/// Where one output line came from.
pub struct LineInfo {
    /// The record's id.
    pub id: Option<String>,
    /// The record's subject.
    pub subject: Option<String>,
    /// Its line number in the input.
    pub line_no: usize,
}

/// The dataset a store-backed run writes, and its sealed raw records.
pub struct DatasetSink<'a> {
    run: &'a StoreRun,
    dir: PathBuf,
    name: String,
    policy_hash: String,
    writer: DatasetWriter,
    subjects: BTreeMap<String, String>,
    raw: Option<RawWriter>,
    keys: HashMap<String, Option<SecretKey>>,
    /// Records whose raw copy was not kept because the subject's key is destroyed.
    pub raw_skipped: usize,
}

impl<'a> DatasetSink<'a> {
    /// Start writing dataset `name` into `dir`.
    pub fn create(
        run: &'a StoreRun,
        dir: &Path,
        name: &str,
        policy_hash: &str,
        shard_records: Option<usize>,
        retain_raw: Option<&Path>,
    ) -> Result<DatasetSink<'a>> {
        let writer = DatasetWriter::create(dir, shard_records.unwrap_or(DEFAULT_SHARD_RECORDS))?;
        let raw = match retain_raw {
            Some(d) => Some(RawWriter::create(
                d,
                &format!("raw-{}-{}", name, run.started.replace([':', '.'], "")),
            )?),
            None => None,
        };
        Ok(DatasetSink {
            run,
            dir: dir.to_path_buf(),
            name: name.to_string(),
            policy_hash: policy_hash.to_string(),
            writer,
            subjects: BTreeMap::new(),
            raw,
            keys: HashMap::new(),
            raw_skipped: 0,
        })
    }

    /// Append one redacted line (and seal its raw input when retaining).
    pub fn put(&mut self, line: &str, info: &LineInfo, raw: &[u8]) -> Result<()> {
        let subject_lid = info.subject.as_ref().map(|s| {
            let lid = self.run.lineage.subject(s);
            self.subjects.insert(s.clone(), lid.clone());
            lid
        });
        let record_key = info
            .id
            .clone()
            .unwrap_or_else(|| format!("{}#line{}", self.name, info.line_no));
        let record_lid = self.run.lineage.record(&record_key);
        self.writer.line(
            line,
            LineEntry {
                record: record_lid.clone(),
                subject: subject_lid.clone(),
            },
        )?;
        if let (Some(w), Some(subject), Some(lid)) = (
            self.raw.as_mut(),
            info.subject.as_ref(),
            subject_lid.as_ref(),
        ) {
            let key = match self.keys.get(subject) {
                Some(k) => k.clone(),
                None => {
                    let k = self.run.opened.run(self.run.opened.store.subject_key(
                        &self.run.ring,
                        subject,
                        true,
                    ))?;
                    self.keys.insert(subject.clone(), k.clone());
                    k
                }
            };
            match key {
                Some(k) => w.put(&k, lid, &record_lid, raw)?,
                None => self.raw_skipped += 1,
            }
        }
        Ok(())
    }

    /// Register the dataset (pending, with its subjects and holdings) in the store, commit it
    /// (manifest), then mark it ready: a kill at any point leaves nothing the store does not
    /// know (`scrim datasets recover` adopts or cleans it).
    pub fn finish(mut self) -> Result<serde_json::Value> {
        let mut id = [0u8; 8];
        getrandom::getrandom(&mut id).map_err(|e| anyhow!("no system randomness: {e}"))?;
        let manifest = Manifest {
            format: String::new(),
            id: format!(
                "ds_{}",
                id.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
            name: self.name.clone(),
            purpose: self.run.purpose.clone(),
            policy: self.policy_hash.clone(),
            key_version: self.run.pseudonym_key.0,
            created_at: scrim_store::now(),
            shards: Vec::new(),
        };
        let raw = match self.raw {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        let manifest = self.writer.close(manifest)?;
        let pairs: Vec<(String, String)> = std::mem::take(&mut self.subjects).into_iter().collect();
        let store = &self.run.opened.store;
        self.run.opened.run(store.remember_subjects(&pairs))?;
        crash_point("redact:before_register");
        let raced = self
            .run
            .opened
            .run(store.register_pending(&self.dir, &manifest, &self.run.started))
            .with_context(|| format!("registering dataset {}", manifest.name))?;
        crash_point("redact:before_manifest");
        self.writer.commit(&manifest)?;
        crash_point("redact:after_manifest");
        self.run
            .opened
            .run(store.mark_ready(&manifest.id))
            .with_context(|| format!("registering dataset {}", manifest.name))?;
        Ok(json!({
            "name": manifest.name,
            "id": manifest.id,
            "path": self.dir.display().to_string(),
            "purpose": manifest.purpose,
            "shards": manifest.shards.len(),
            "records": manifest.records(),
            "subjects": pairs.len(),
            "key_version": manifest.key_version,
            "pending_from_opt_outs_during_the_run": raced,
            "raw_retained": raw.as_ref().map(|(p, n)| json!({"file": p.display().to_string(), "records": n})),
            "raw_not_retained_key_destroyed": self.raw_skipped,
        }))
    }
}
