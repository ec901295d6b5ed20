//! The scores of SECRET findings, strongest evidence first.

/// A provider token whose checksum is valid (GitHub, npm): almost certainly a live credential.
pub(super) const CHECKSUM_TOKEN: f32 = 0.99;

/// A whole private key block (PEM, OpenSSH, PGP, PuTTY).
pub(super) const PRIVATE_KEY: f32 = 0.99;

/// A provider token with a documented prefix, alphabet and length ("AKIA…", "xoxb-…").
pub(super) const PROVIDER_TOKEN: f32 = 0.97;

/// A JWT whose header decodes to a JSON object with `"alg"`.
pub(super) const JWT: f32 = 0.95;

/// The password of a URL or connection string ("postgres://user:PASSWORD@host").
pub(super) const URL_PASSWORD: f32 = 0.95;

/// The credential of an `Authorization: Bearer …` / `Basic …` header.
pub(super) const AUTH_HEADER: f32 = 0.93;

/// A value after a password key ("password = …", "DB_PASSWORD=…", "--password …").
pub(super) const KEYED_PASSWORD: f32 = 0.9;

/// A value after a token or key name ("api_key: …", "client_secret=…").
pub(super) const KEYED_TOKEN: f32 = 0.88;

/// A Telegram bot token (`123456789:AA…`) or a Twilio key after the word "twilio".
pub(super) const SHAPED_TOKEN: f32 = 0.9;

/// A password hash in modular crypt format (`$6$salt$hash`): crackable offline, so a credential.
pub(super) const PASSWORD_HASH: f32 = 0.93;

/// A password-like word after "my password is" in prose.
pub(super) const PROSE_PASSWORD: f32 = 0.8;

/// A long random-looking string assigned to a key that is not known to be secret.
pub(super) const HIGH_ENTROPY: f32 = 0.7;
