//! `scrim serve`, `scrim users add` and `scrim audit verify`: the review gateway from the
//! command line.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use serde::Deserialize;

use crate::gov::{actor, keyring, open, KeyArgs, StoreArgs};
use scrim_server::authz::Role;
use scrim_server::{auth, Gateway, Settings};

/// `scrim serve`.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// Address to listen on (default: the config's, else 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub(crate) listen: Option<String>,
    /// The governance store (default: the config's, else SCRIM_STORE, else scrim.db).
    #[arg(long, value_name = "URL")]
    pub(crate) store: Option<String>,
    /// Configuration file (TOML; see examples/gateway.toml).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) keys: KeyArgs,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    listen: Option<String>,
    store: Option<String>,
    master_key_file: Option<PathBuf>,
    governance: Option<PathBuf>,
    policy: Option<PathBuf>,
    /// Signed audit head checkpoints go here (outside the database).
    audit_checkpoints: Option<PathBuf>,
    audit_checkpoint_every: Option<u64>,
    #[serde(default)]
    reviewers: Reviewers,
    #[serde(default)]
    sessions: Sessions,
    #[serde(default)]
    ingest: Ingest,
    #[serde(default)]
    projects: Projects,
    #[serde(default)]
    presidio: PresidioConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PresidioConfig {
    max_body_bytes: Option<usize>,
    languages: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Projects {
    min_k: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reviewers {
    reads_per_minute: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sessions {
    hours: Option<i64>,
    secure_cookies: Option<bool>,
    failed_sign_ins_per_client: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ingest {
    max_body_bytes: Option<usize>,
    redactions: Option<usize>,
    redaction_seconds: Option<u64>,
}

fn store_url(flag: Option<&String>, config: Option<&String>) -> String {
    flag.cloned()
        .or_else(|| config.cloned())
        .or_else(|| std::env::var("SCRIM_STORE").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "scrim.db".to_string())
}

/// The configuration file, or the defaults.
fn load_config(path: Option<&std::path::Path>) -> Result<Config> {
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read config {}", p.display()))?;
            toml::from_str(&text).with_context(|| format!("in config {}", p.display()))
        }
        None => Ok(Config::default()),
    }
}

/// The gateway's settings: the configuration's, else the defaults.
fn settings(config: &Config) -> Settings {
    let d = Settings::default();
    Settings {
        reviewer_reads_per_minute: config
            .reviewers
            .reads_per_minute
            .unwrap_or(d.reviewer_reads_per_minute),
        session_hours: config.sessions.hours.unwrap_or(d.session_hours),
        secure_cookies: config.sessions.secure_cookies.unwrap_or(d.secure_cookies),
        sign_ins_per_client: config
            .sessions
            .failed_sign_ins_per_client
            .unwrap_or(d.sign_ins_per_client),
        audit_checkpoints: config.audit_checkpoints.clone(),
        audit_checkpoint_every: config
            .audit_checkpoint_every
            .unwrap_or(d.audit_checkpoint_every),
        ingest_max_bytes: config.ingest.max_body_bytes.unwrap_or(d.ingest_max_bytes),
        redactions: config.ingest.redactions.unwrap_or(d.redactions),
        redaction_budget: config
            .ingest
            .redaction_seconds
            .map_or(d.redaction_budget, std::time::Duration::from_secs),
        min_k: config.projects.min_k.unwrap_or(d.min_k),
        presidio_max_bytes: config
            .presidio
            .max_body_bytes
            .unwrap_or(d.presidio_max_bytes),
        presidio_languages: config.presidio.languages.clone().unwrap_or_default(),
        ..d
    }
}

/// `scrim serve`.
pub(crate) fn serve(args: ServeArgs) -> Result<()> {
    let config = load_config(args.config.as_deref())?;
    let mut keys = args.keys.clone();
    if keys.master_key_file.is_none() {
        keys.master_key_file = config.master_key_file.clone();
    }
    let ring = keyring(&keys)?;
    let gov = crate::gov::governance(config.governance.as_deref())?;
    // The redaction policy and its detection tiers (the learned tier too, when it names it).
    let setup = crate::setup::setup(&crate::EngineArgs {
        threads: None,
        tiers: None,
        policy: config.policy.clone(),
        model_dir: None,
        student_dir: None,
    })?;
    let policy = setup.policy.clone();
    let engine = std::sync::Arc::clone(&setup.engine);
    let tiers = crate::setup::tier_names(&setup.tiers);
    let settings = settings(&config);
    let listen = args
        .listen
        .clone()
        .or(config.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let url = store_url(args.store.as_ref(), config.store.as_ref());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    rt.block_on(async move {
        let store = scrim_store::Store::open(&url)
            .await
            .with_context(|| format!("opening the store {}", scrim_store::display_url(&url)))?;
        let described = store.describe().to_string();
        let gw = Gateway::with_engine(store, &ring, gov, policy, settings, engine)
            .await
            .context("starting the gateway")?;
        let (listener, addr) = bind(listen).await?;
        let stop = scrim_server::stop_signal()?;
        eprintln!(
            "scrim serve: http://{addr}/ (store {described}; tiers {tiers}; Cedar policies validated)"
        );
        scrim_server::serve_until(listener, gw, stop).await?;
        Ok(())
    })
}

/// `scrim users`.
#[derive(Subcommand, Debug)]
pub(crate) enum UsersCmd {
    /// Create a user and print an API token for them (shown once).
    Add {
        /// The user's name.
        name: String,
        /// admin, privacy_officer, reviewer, ingest, trainer or redactor (Presidio's routes).
        #[arg(long)]
        role: String,
        /// A project (id) the user works in; repeat for several.
        #[arg(long = "project", value_name = "ID")]
        projects: Vec<String>,
        /// A sensitive category the reviewer is cleared for; repeat for several.
        #[arg(long = "clearance", value_name = "CATEGORY")]
        clearances: Vec<String>,
        /// A file holding the console password (at least 12 characters).
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        keys: KeyArgs,
    },
}

/// `scrim users …`.
pub(crate) fn users(cmd: UsersCmd) -> Result<()> {
    let UsersCmd::Add {
        name,
        role,
        projects,
        clearances,
        password_file,
        store,
        keys,
    } = cmd;
    let role: Role = role.parse()?;
    let password = match &password_file {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?
                .trim_end_matches(['\r', '\n'])
                .to_string(),
        ),
        None => None,
    };
    let ring = keyring(&keys)?;
    let o = open(&store.store)?;
    let pool = o.store.pool().clone();
    let (_, audit_key) = o.run(o.store.store_key(&ring, scrim_server::AUDIT_KEY))?;
    let id = o.run(auth::create_user(
        &pool,
        &name,
        role,
        password.as_deref(),
        &projects,
        &clearances,
    ))?;
    let token = o.run(auth::issue_token(&pool, &id, "api", None))?;
    o.run(scrim_server::audit::append_batch(
        &pool,
        &audit_key,
        &[scrim_server::audit::Entry {
            actor: actor(store.actor.as_ref()),
            role: "cli".into(),
            project: None,
            purpose: None,
            action: scrim_server::authz::Action::UserManage.as_str().into(),
            record: Some(name.clone()),
            fields: vec!["user".into(), "role".into()],
            decision: scrim_server::audit::Decision::Allow.to_string(),
        }],
    ))?;
    eprintln!(
        "created {name} ({}); API token (shown once):",
        role.as_str()
    );
    println!("{token}");
    Ok(())
}

/// `scrim audit`.
#[derive(Subcommand, Debug)]
pub(crate) enum AuditCmd {
    /// Recompute the audit log's keyed hash chain; says where any entry was edited, deleted,
    /// moved or cut off. Exits non-zero when it was.
    Verify {
        /// The gateway's checkpoint file (`audit_checkpoints` in its config): the log must
        /// still hold every entry a checkpoint recorded, so a rolled-back or wiped log shows.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        keys: KeyArgs,
    },
}

/// `scrim audit …`.
pub(crate) fn audit(cmd: AuditCmd) -> Result<()> {
    let AuditCmd::Verify {
        checkpoints,
        store,
        keys,
    } = cmd;
    let json = store.json;
    let ring = keyring(&keys)?;
    let o = open(&store.store)?;
    let (_, key) = o.run(o.store.store_key(&ring, scrim_server::AUDIT_KEY))?;
    let mut v = o.run(scrim_server::audit::verify(o.store.pool(), &key))?;
    if let Some(path) = &checkpoints {
        let c = scrim_server::audit::Checkpoints::new(path, &ring, 0)?;
        o.run(scrim_server::audit::verify_checkpoints(
            o.store.pool(),
            &c,
            &mut v,
        ))?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else if v.ok() {
        let against = match &checkpoints {
            Some(p) => format!(", and {} checkpoints of {}", v.checkpoints, p.display()),
            None => String::new(),
        };
        println!(
            "audit log intact: {} entries, chain and anchor verified{against}",
            v.entries
        );
    } else {
        println!("audit log TAMPERED ({} entries read):", v.entries);
        for (seq, what) in &v.problems {
            println!("  at #{seq}: {what}");
        }
    }
    if !v.ok() {
        bail!("the audit log does not verify");
    }
    Ok(())
}

/// Listen on `listen`; returns the listener and the address it got (the port chosen for `:0`).
pub(crate) async fn bind(listen: String) -> Result<(tokio::net::TcpListener, String)> {
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or(listen);
    Ok((listener, addr))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test or fuzz check fails by panicking"
    )]
    use super::*;

    #[test]
    fn the_example_config_parses() {
        let c: Config = toml::from_str(include_str!("../../../examples/gateway.toml")).unwrap();
        assert_eq!(c.sessions.secure_cookies, Some(false));
        assert_eq!(c.ingest.max_body_bytes, Some(2 * 1024 * 1024));
    }
}
