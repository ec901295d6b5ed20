//! The governance commands (`consent`, `optout`, `forget`, `datasets`, `compact`, `keys`, `raw`),
//! and what they share with `scrim redact --store`: the store, the keyring, the governance
//! policy. (Admission, datasets and sealed raw copies are `scrim_pipeline`'s.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use scrim_pipeline::{AtomicFile, BlockingStore};
use scrim_store::{Decision, Governance, Keyring, SecretKey, Store};
use serde_json::json;

/// Where the store is and who is acting.
#[derive(Args, Debug, Clone)]
pub(crate) struct StoreArgs {
    /// The governance store: a SQLite file path (created if missing) or a postgres:// URL.
    #[arg(
        long,
        env = "SCRIM_STORE",
        default_value = "scrim.db",
        value_name = "URL"
    )]
    pub(crate) store: String,
    /// Who is acting, for the history (default: $USER).
    #[arg(long, env = "SCRIM_ACTOR", value_name = "NAME")]
    pub(crate) actor: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Where the master keyring is.
#[derive(Args, Debug, Clone)]
pub(crate) struct KeyArgs {
    /// The master keyring file (one base64 key per line, the primary first). Alternatively
    /// SCRIM_MASTER_KEY holds the keyring itself.
    #[arg(long, env = "SCRIM_MASTER_KEY_FILE", value_name = "FILE")]
    pub(crate) master_key_file: Option<PathBuf>,
}

/// `scrim consent`.
#[derive(Subcommand, Debug)]
pub(crate) enum ConsentCmd {
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
pub(crate) enum KeysCmd {
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
pub(crate) enum RawCmd {
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
pub(crate) struct Opened {
    pub(crate) rt: tokio::runtime::Runtime,
    pub(crate) store: Store,
}

impl Opened {
    /// Run a store (or gateway) call to completion.
    pub(crate) fn run<T, E>(
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
pub(crate) fn open(url: &str) -> Result<Opened> {
    let (rt, store) = BlockingStore::open(url)?.into_parts();
    Ok(Opened { rt, store })
}

/// The master keyring: from the file, or SCRIM_MASTER_KEY.
pub(crate) fn keyring(args: &KeyArgs) -> Result<Keyring> {
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
pub(crate) fn actor(a: Option<&String>) -> String {
    a.cloned()
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "cli".to_string())
}

/// The governance policy: a file, or the built-in default.
pub(crate) fn governance(path: Option<&Path>) -> Result<Governance> {
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
pub(crate) fn consent(cmd: ConsentCmd) -> Result<()> {
    match cmd {
        ConsentCmd::Set {
            subject,
            purpose,
            decision,
            note,
            store,
            governance: g,
        } => consent_set(
            &subject,
            &purpose,
            &decision,
            note.as_deref(),
            &store,
            g.as_deref(),
        ),
        ConsentCmd::Show { subject, store } => consent_show(&subject, &store),
        ConsentCmd::History { subject, store } => consent_history(&subject, &store),
    }
}

/// `scrim consent set`.
fn consent_set(
    subject: &str,
    purpose: &str,
    decision: &str,
    note: Option<&str>,
    store: &StoreArgs,
    g: Option<&Path>,
) -> Result<()> {
    let gov = governance(g)?;
    if purpose != scrim_store::governance::ALL_PURPOSES {
        gov.check_purpose(purpose)?;
    }
    let decision: Decision = decision.parse()?;
    let o = open(&store.store)?;
    let who = actor(store.actor.as_ref());
    let (event, tomb) = o
        .run(o.store.set_consent(subject, purpose, decision, &who, note))
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

/// `scrim consent show`.
fn consent_show(subject: &str, store: &StoreArgs) -> Result<()> {
    let o = open(&store.store)?;
    let state = o.run(o.store.consent_state(subject))?;
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

/// `scrim consent history`.
fn consent_history(subject: &str, store: &StoreArgs) -> Result<()> {
    let o = open(&store.store)?;
    let h = o.run(o.store.consent_history(subject))?;
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
pub(crate) fn optout_or_forget(
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
pub(crate) enum DatasetsCmd {
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
    /// Register a directory of Parquet files that an engine wrote (Spark, Ray, a Python job)
    /// from rows admitted by `scrim.Store.admit`, with their lineage columns (`scrim_subject`,
    /// `scrim_record`): each file becomes a shard, a manifest is written into the directory,
    /// and `forget` and `compact` reach it from then on (tombstones already written for its
    /// subjects apply at once).
    Register {
        /// The directory (its `*.parquet` files; `_SUCCESS` and hidden files are ignored).
        dir: PathBuf,
        /// The purpose the rows were admitted for.
        #[arg(long)]
        purpose: String,
        /// Its name in the store (default: the directory's name).
        #[arg(long)]
        name: Option<String>,
        /// Governance policy (TOML) declaring extra purposes. Default: the built-in policy.
        #[arg(long, value_name = "FILE")]
        governance: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// `scrim datasets register`.
pub(crate) fn register(
    dir: &Path,
    purpose: &str,
    name: Option<&str>,
    g: Option<&Path>,
    store: &StoreArgs,
) -> Result<()> {
    let gov = governance(g)?;
    gov.check_purpose(purpose)?;
    if !dir.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    let name = match name {
        Some(n) => n.to_string(),
        None => std::path::absolute(dir)?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| anyhow!("{} has no name: pass --name", dir.display()))?,
    };
    let o = open(&store.store)?;
    let (m, raced) = o
        .run(o.store.register_table(dir, &name, purpose))
        .with_context(|| format!("registering {}", dir.display()))?;
    let subjects = m
        .holdings()
        .iter()
        .map(|(_, lid, _)| lid.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    if store.json {
        return print_json(&json!({
            "name": m.name,
            "id": m.id,
            "path": std::path::absolute(dir)?.display().to_string(),
            "purpose": m.purpose,
            "policy": m.policy,
            "shards": m.shards.len(),
            "records": m.records(),
            "subjects": subjects,
            "pending_from_earlier_tombstones": raced,
        }));
    }
    println!(
        "registered {} [{}]: purpose {}, {} records of {subjects} subjects in {} shard(s)",
        m.name,
        dir.display(),
        m.purpose,
        m.records(),
        m.shards.len()
    );
    if raced > 0 {
        println!(
            "  {raced} shard(s) hold subjects already forgotten or opted out: run `scrim compact {}`",
            m.name
        );
    }
    Ok(())
}

/// `scrim datasets recover`.
pub(crate) fn recover(dir: Option<&Path>, all: bool, store: &StoreArgs) -> Result<()> {
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
pub(crate) fn datasets(store: &StoreArgs) -> Result<()> {
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
pub(crate) fn compact(which: Option<&str>, all: bool, store: &StoreArgs) -> Result<()> {
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
pub(crate) fn keys(cmd: KeysCmd) -> Result<()> {
    match cmd {
        KeysCmd::New { file } => keys_new(&file),
        KeysCmd::AddPrimary { file } => keys_add_primary(&file),
        KeysCmd::Rotate {
            store,
            keys,
            pseudonym,
        } => keys_rotate(&store, &keys, pseudonym),
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

/// `scrim keys new`.
fn keys_new(file: &Path) -> Result<()> {
    if file.exists() {
        bail!("{} exists; not overwriting a keyring", file.display());
    }
    let ring = Keyring::from_keys(vec![SecretKey::random()?])?;
    write_secret(file, &ring.to_text())?;
    println!(
        "wrote master keyring {} (key {})",
        file.display(),
        ring.ids().join(", ")
    );
    Ok(())
}

/// `scrim keys add-primary`.
fn keys_add_primary(file: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let old = Keyring::parse(&text, &file.display().to_string())?;
    let new = SecretKey::random()?;
    let id = new.id();
    let mut keys = vec![new];
    keys.extend(old.ids().iter().filter_map(|i| old.key(i).cloned()));
    let ring = Keyring::from_keys(keys)?;
    write_secret(file, &ring.to_text())?;
    println!(
        "{}: new primary key {id}; older keys kept for reading: {}. Next: `scrim keys rotate`, then remove the old lines.",
        file.display(),
        old.ids().join(", ")
    );
    Ok(())
}

/// `scrim keys rotate`.
fn keys_rotate(store: &StoreArgs, keys: &KeyArgs, pseudonym: bool) -> Result<()> {
    let ring = keyring(keys)?;
    let o = open(&store.store)?;
    let n = o.run(o.store.rewrap_all(&ring))?;
    let v = if pseudonym {
        Some(o.run(o.store.rotate_pseudonym_key(&ring))?)
    } else {
        None
    };
    let status = o.run(o.store.key_status())?;
    if store.json {
        return print_json(&json!({"rewrapped": n, "pseudonym_version": v, "status": status}));
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
pub(crate) fn raw(cmd: RawCmd) -> Result<()> {
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
    let mut out = AtomicFile::create(&output)?;
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
