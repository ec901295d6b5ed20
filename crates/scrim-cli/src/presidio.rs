//! `scrim presidio`: Presidio's analyzer and anonymizer REST API on one address, with no store
//! and no sign-in (or one token, `--token-file`), for stateless redaction next to a chat
//! service (what `scrim serve` also answers, there behind API tokens and the audit log).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use scrim_server::presidio::{Presidio, DEFAULT_MAX_BODY_BYTES};

/// `scrim presidio`.
#[derive(Args, Debug)]
pub(crate) struct PresidioArgs {
    /// Address to listen on. Point both PRESIDIO_ANALYZER_API_BASE and
    /// PRESIDIO_ANONYMIZER_API_BASE at it.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:5002")]
    listen: String,
    /// Key of the `scrim_pseudonym` operator's pseudonyms (at least 16 bytes). Default:
    /// SCRIM_KEY, else a random key for this run (pseudonyms then change at every start).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// The largest request body, in bytes (larger ones are answered 413 unread).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// The `language` codes /analyze accepts, comma-separated (default: `en`, as Presidio's
    /// default analyzer). Scrim runs the same detectors for every language; a request in a
    /// language not named is refused as Presidio refuses it (500).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    languages: Vec<String>,
    /// Require this file's token (its first line, at least 16 characters) of /analyze,
    /// /anonymize and /deanonymize: as `Authorization: Bearer TOKEN`, or as the password of
    /// HTTP Basic (point Presidio clients at http://token:TOKEN@HOST:PORT). Default: no
    /// sign-in, like Presidio's own containers.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    #[command(flatten)]
    engine: crate::EngineArgs,
}

/// `scrim presidio`.
pub(crate) fn presidio(args: PresidioArgs) -> Result<()> {
    let setup = crate::setup::setup(&args.engine)?;
    let tiers = crate::setup::tier_names(&setup.tiers);
    let (key, key_source) = crate::setup::load_key(args.key_file.as_deref())?;
    let service = Presidio::new(Arc::clone(&setup.engine), key)
        .context("starting the Presidio service")?
        .with_max_body_bytes(args.max_body_bytes)
        .with_languages(args.languages);
    let service = match &args.token_file {
        Some(path) => service.with_token(&read_token(path)?),
        None => service,
    };
    let sign_in = if args.token_file.is_some() {
        "a token required"
    } else {
        "no sign-in: keep it on a private address"
    };
    let service = Arc::new(service);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let listen = args.listen;
    rt.block_on(async move {
        let (listener, addr) = crate::serve::bind(listen).await?;
        let stop = scrim_server::stop_signal()?;
        eprintln!(
            "scrim presidio: http://{addr}/ (Presidio's /analyze and /anonymize; tiers {tiers}; pseudonym key: {key_source}; {sign_in})"
        );
        scrim_server::serve_presidio_until(listener, service, stop).await?;
        Ok(())
    })
}

/// The token of `--token-file`: its first line, trimmed, of at least 16 characters.
fn read_token(path: &std::path::Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the token file {}", path.display()))?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.chars().count() < 16 {
        anyhow::bail!(
            "the token file {} must hold a token of at least 16 characters on its first line",
            path.display()
        );
    }
    Ok(token)
}
