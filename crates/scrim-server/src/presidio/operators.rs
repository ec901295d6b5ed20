//! Presidio's operators, one value at a time: `replace`, `redact`, `mask`, `hash`, `keep`,
//! `encrypt` (AES-CBC with PKCS7 padding and a random IV, URL-safe base64 of IV and
//! ciphertext, as Presidio's `AESCipher`), the deanonymizers `decrypt` and
//! `deanonymize_keep`, and Scrim's own `scrim_pseudonym` (keyed, so the same value gets the
//! same pseudonym in every request under one key). Parameters are checked as Presidio checks
//! them, when an operator is used; the messages never repeat a value.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha512};

use super::entities::label_of;
use super::PresidioError;

/// Scrim's extension operator: keyed, consistent pseudonyms.
pub(super) const PSEUDONYM: &str = "scrim_pseudonym";

/// Which way an operator runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Anonymize,
    Deanonymize,
}

/// One operator's configuration: its name and parameters (`type` taken out).
#[derive(Clone)]
pub(super) struct Config {
    pub(super) name: String,
    pub(super) params: Map<String, Value>,
}

/// What an operator needs besides its parameters.
pub(super) struct Ctx<'a> {
    pub(super) key: &'a scrim_core::Key,
    pub(super) surrogates: &'a scrim_core::Policy,
    pub(super) table: scrim_core::replace::Pseudonyms,
}

fn invalid(msg: impl Into<String>) -> PresidioError {
    PresidioError::InvalidParam(msg.into())
}

/// JSON's name for a value's type, as Presidio's messages say it.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    }
}

fn bad_type(name: &str, expected: &str, got: &Value) -> PresidioError {
    invalid(format!(
        "Invalid parameter value for {name}. Expecting '{expected}', but got '{}'.",
        json_type(got)
    ))
}

/// Python's truthiness of a JSON value (Presidio checks types of truthy values only).
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A required parameter (`validate_parameter`).
fn required<'a>(p: &'a Map<String, Value>, name: &str) -> Result<&'a Value, PresidioError> {
    match p.get(name) {
        None | Some(Value::Null) => Err(invalid(format!("Expected parameter {name}"))),
        Some(v) => Ok(v),
    }
}

impl Config {
    /// Read `{"type": ..., params...}` (Presidio's `OperatorConfig.from_json`).
    pub(super) fn from_json(v: &Value) -> Result<Config, PresidioError> {
        let Some(o) = v.as_object() else {
            return Err(invalid("Invalid input, operator config must be an object"));
        };
        let mut params = o.clone();
        let name = match params.remove("type") {
            Some(Value::String(s)) if !s.is_empty() => s,
            _ => {
                return Err(invalid(
                    "Invalid input, operator config must contain operator_name",
                ))
            }
        };
        Ok(Config { name, params })
    }

    /// Run the operator on `text` (the original value) found as `entity`.
    pub(super) fn operate(
        &self,
        dir: Direction,
        entity: &str,
        text: &str,
        ctx: &mut Ctx<'_>,
    ) -> Result<String, PresidioError> {
        let p = &self.params;
        match (dir, self.name.as_str()) {
            (Direction::Anonymize, "replace") => match p.get("new_value") {
                Some(v @ Value::String(s)) if truthy(v) => Ok(s.clone()),
                Some(v) if truthy(v) => Err(bad_type("new_value", "string", v)),
                _ => Ok(format!("<{entity}>")),
            },
            (Direction::Anonymize, "redact") => Ok(String::new()),
            (Direction::Anonymize, "keep") | (Direction::Deanonymize, "deanonymize_keep") => {
                Ok(text.to_string())
            }
            (Direction::Anonymize, "mask") => mask(p, text),
            (Direction::Anonymize, "hash") => hash(p, text),
            (Direction::Anonymize, "encrypt") => encrypt(&aes_key(p)?, text),
            (Direction::Deanonymize, "decrypt") => decrypt(&aes_key(p)?, text),
            (Direction::Anonymize, PSEUDONYM) => pseudonym(p, entity, text, ctx),
            (_, "custom") => Err(PresidioError::BadRequest(
                "Custom type anonymizer is not supported".to_string(),
            )),
            (_, name) => Err(invalid(format!(
                "Invalid operator class '{}'.",
                super::anonymize::safe_name(name)
            ))),
        }
    }
}

fn mask(p: &Map<String, Value>, text: &str) -> Result<String, PresidioError> {
    let masking = required(p, "masking_char")?;
    let masking = match masking {
        Value::String(s) => s.as_str(),
        v if truthy(v) => return Err(bad_type("masking_char", "string", v)),
        _ => "",
    };
    if masking.chars().count() > 1 {
        return Err(invalid("Invalid input, masking_char must be a character"));
    }
    let chars = required(p, "chars_to_mask")?;
    let n = match chars {
        Value::Number(n) if n.is_i64() || n.is_u64() => n.as_i64().unwrap_or(i64::MAX),
        v if truthy(v) => return Err(bad_type("chars_to_mask", "number", v)),
        _ => 0,
    };
    let from_end = required(p, "from_end")?;
    let from_end = match from_end {
        Value::Bool(b) => *b,
        v if truthy(v) => return Err(bad_type("from_end", "boolean", v)),
        _ => false,
    };
    let len = text.chars().count();
    let n = if n > 0 {
        usize::try_from(n).unwrap_or(usize::MAX).min(len)
    } else {
        0
    };
    let masked = masking.repeat(n);
    Ok(if from_end {
        let keep: String = text.chars().take(len - n).collect();
        keep + &masked
    } else {
        let keep: String = text.chars().skip(n).collect();
        masked + &keep
    })
}

fn hash(p: &Map<String, Value>, text: &str) -> Result<String, PresidioError> {
    let kind = match p.get("hash_type") {
        None | Some(Value::Null) => "sha256",
        Some(Value::String(s)) if s == "sha256" || s == "sha512" => s.as_str(),
        Some(_) => {
            return Err(invalid(
                "Parameter hash_type value is not in range of values ['sha256', 'sha512']",
            ))
        }
    };
    let salt: Vec<u8> = match p.get("salt") {
        None => {
            let mut s = vec![0u8; 32];
            getrandom::getrandom(&mut s).map_err(|_| invalid("no system randomness for a salt"))?;
            s
        }
        Some(Value::String(s)) => {
            let b = s.as_bytes().to_vec();
            if b.is_empty() {
                return Err(invalid(
                    "Salt parameter cannot be empty. Either omit the salt parameter to auto-generate a random salt, or provide a salt of at least 16 bytes (128 bits).",
                ));
            }
            if b.len() < 16 {
                return Err(invalid(format!(
                    "Salt must be at least 16 bytes (128 bits). Provided salt is {} bytes.",
                    b.len()
                )));
            }
            b
        }
        Some(v) => return Err(bad_type("salt", "string", v)),
    };
    let mut salted = text.as_bytes().to_vec();
    salted.extend_from_slice(&salt);
    Ok(if kind == "sha512" {
        scrim_core::hex::encode(&Sha512::digest(&salted))
    } else {
        scrim_core::hex::encode(&Sha256::digest(&salted))
    })
}

/// The AES key of `encrypt` and `decrypt`: a string of 16, 24 or 32 bytes (UTF-8).
fn aes_key(p: &Map<String, Value>) -> Result<Vec<u8>, PresidioError> {
    let key = match required(p, "key")? {
        Value::String(s) => s.as_bytes().to_vec(),
        v => return Err(bad_type("key", "string", v)),
    };
    if !matches!(key.len(), 16 | 24 | 32) {
        return Err(invalid(
            "Invalid input, key must be of length 128, 192 or 256 bits",
        ));
    }
    Ok(key)
}

fn cipher_error() -> PresidioError {
    invalid("Invalid input, key must be of length 128, 192 or 256 bits")
}

/// AES-CBC, PKCS7, a random IV before the ciphertext, URL-safe base64 with padding.
pub(super) fn encrypt(key: &[u8], text: &str) -> Result<String, PresidioError> {
    let mut iv = [0u8; 16];
    getrandom::getrandom(&mut iv).map_err(|_| invalid("no system randomness for an IV"))?;
    let plain = text.as_bytes();
    let ct = match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv)
            .map_err(|_| cipher_error())?
            .encrypt_padded_vec_mut::<Pkcs7>(plain),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, &iv)
            .map_err(|_| cipher_error())?
            .encrypt_padded_vec_mut::<Pkcs7>(plain),
        _ => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, &iv)
            .map_err(|_| cipher_error())?
            .encrypt_padded_vec_mut::<Pkcs7>(plain),
    };
    let mut out = iv.to_vec();
    out.extend_from_slice(&ct);
    Ok(base64::engine::general_purpose::URL_SAFE.encode(out))
}

/// The inverse of [`encrypt`].
pub(super) fn decrypt(key: &[u8], text: &str) -> Result<String, PresidioError> {
    let failed = || invalid("Invalid input, the text cannot be decrypted with this key");
    let raw = base64::engine::general_purpose::URL_SAFE
        .decode(text.trim())
        .map_err(|_| failed())?;
    let (Some(iv), Some(ct)) = (raw.get(..16), raw.get(16..)) else {
        return Err(failed());
    };
    let plain = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(|_| failed())?
            .decrypt_padded_vec_mut::<Pkcs7>(ct),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map_err(|_| failed())?
            .decrypt_padded_vec_mut::<Pkcs7>(ct),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|_| failed())?
            .decrypt_padded_vec_mut::<Pkcs7>(ct),
    }
    .map_err(|_| failed())?;
    String::from_utf8(plain).map_err(|_| failed())
}

/// Scrim's keyed pseudonym: `style` `"surrogate"` (the default: a realistic stand-in of the
/// same kind, Scrim's surrogates) or `"tag"` (`<PERSON_1a2b3c4d>`, a keyed digest of the
/// value). The same key gives the same pseudonym for a value in every request; without the
/// key nothing links a pseudonym to its value.
fn pseudonym(
    p: &Map<String, Value>,
    entity: &str,
    text: &str,
    ctx: &mut Ctx<'_>,
) -> Result<String, PresidioError> {
    let style = match p.get("style") {
        None | Some(Value::Null) => "surrogate",
        Some(Value::String(s)) if s == "surrogate" || s == "tag" => s.as_str(),
        Some(_) => {
            return Err(invalid(
                "Parameter style value is not in range of values ['surrogate', 'tag']",
            ))
        }
    };
    let label = label_of(entity);
    if style == "surrogate" {
        if let Some(l) = label {
            let replacer = scrim_core::replace::Replacer::new(ctx.surrogates, ctx.key);
            if let Some(s) = replacer.replace_value(l, text, &mut ctx.table) {
                return Ok(s);
            }
        }
    }
    let normalized = match label {
        Some(l) => scrim_core::replace::normalize(l, text),
        None => text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    };
    let d = ctx.key.mac(&[
        b"presidio pseudonym",
        entity.as_bytes(),
        normalized.as_bytes(),
    ]);
    Ok(format!(
        "<{entity}_{}>",
        scrim_core::hex::encode(d.get(..4).unwrap_or(&d))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(v: Value) -> Config {
        Config::from_json(&v).unwrap()
    }

    fn ctx_run(c: &Config, entity: &str, text: &str) -> Result<String, PresidioError> {
        let key = scrim_core::Key::from_secret(b"0123456789abcdef0123");
        let mut pol = scrim_core::Policy::default_policy().unwrap();
        pol.labels.default = scrim_core::policy::Action::Surrogate;
        pol.labels.by_label.clear();
        let mut ctx = Ctx {
            key: &key,
            surrogates: &pol,
            table: scrim_core::replace::Pseudonyms::new(),
        };
        c.operate(Direction::Anonymize, entity, text, &mut ctx)
    }

    #[test]
    fn mask_counts_code_points() {
        let m =
            op(json!({"type": "mask", "masking_char": "*", "chars_to_mask": 4, "from_end": true}));
        assert_eq!(ctx_run(&m, "X", "Zoë🙂ab").unwrap(), "Zo****");
        let m = op(
            json!({"type": "mask", "masking_char": "#", "chars_to_mask": 99, "from_end": false}),
        );
        assert_eq!(ctx_run(&m, "X", "山田太郎").unwrap(), "####");
        let bad = op(
            json!({"type": "mask", "masking_char": "**", "chars_to_mask": 1, "from_end": false}),
        );
        assert!(ctx_run(&bad, "X", "a").is_err());
    }

    #[test]
    fn hash_with_a_salt_is_sha256_of_text_and_salt() {
        let h = op(json!({"type": "hash", "salt": "0123456789abcdef"}));
        let want = scrim_core::hex::encode(&Sha256::digest(b"Jane0123456789abcdef"));
        assert_eq!(ctx_run(&h, "PERSON", "Jane").unwrap(), want);
        let short = op(json!({"type": "hash", "salt": "short"}));
        assert!(ctx_run(&short, "PERSON", "Jane").is_err());
    }

    #[test]
    fn encryption_round_trips_with_each_key_size() {
        for key in [
            "0123456789abcdef",
            "0123456789abcdef01234567",
            "0123456789abcdef0123456789abcdef",
        ] {
            let ct = encrypt(key.as_bytes(), "Jane Doe 🙂").unwrap();
            assert_eq!(decrypt(key.as_bytes(), &ct).unwrap(), "Jane Doe 🙂");
        }
        assert!(aes_key(json!({"key": "short"}).as_object().unwrap()).is_err());
    }

    #[test]
    fn pseudonyms_are_keyed_and_consistent() {
        let t = op(json!({"type": "scrim_pseudonym", "style": "tag"}));
        let a = ctx_run(&t, "PERSON", "Jane Doe").unwrap();
        assert_eq!(a, ctx_run(&t, "PERSON", "jane  doe").unwrap());
        assert!(a.starts_with("<PERSON_") && !a.contains("Jane"));
        let s = op(json!({"type": "scrim_pseudonym"}));
        let fake = ctx_run(&s, "EMAIL_ADDRESS", "jane@example.org").unwrap();
        assert_ne!(fake, "jane@example.org");
        assert_eq!(
            fake,
            ctx_run(&s, "EMAIL_ADDRESS", "jane@example.org").unwrap()
        );
    }
}
