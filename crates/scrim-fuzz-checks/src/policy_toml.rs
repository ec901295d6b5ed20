//! The redaction policy (TOML, `scrim_core::Policy`).
//!
//! Invariants: parsing never panics; an accepted policy passes its own validation rules
//! (version 1, `min_score` in [0, 1], at least one tier), hashes the same every time, and its
//! canonical form parses back to an equal policy; an error message quotes no input line.

use scrim_core::{Label, Policy};

/// Parse `data` as a policy and check the invariants.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // a policy file is text; the CLI refuses other bytes before parsing
    };
    match Policy::from_toml(text) {
        Ok(p) => {
            assert_eq!(p.version, 1);
            assert!((0.0..=1.0).contains(&p.detection.min_score));
            assert!(!p.detection.tiers.is_empty());
            assert_eq!(p.hash(), p.hash(), "the hash is deterministic");
            for label in Label::ALL {
                let _ = p.action(label);
            }
            // The canonical JSON form (what the hash covers) means the same policy.
            let json = serde_json::to_value(&p).expect("a policy serializes");
            let back: Policy = serde_json::from_value(json).expect("the canonical form parses");
            assert_eq!(back.hash(), p.hash(), "the canonical form hashes the same");
        }
        Err(e) => {
            let message_of = |t: &str| Policy::from_toml(t).err().map(|e| e.to_string());
            assert!(
                !crate::quotes_an_input_line(text, message_of),
                "a policy error quotes its input: {e}"
            );
        }
    }
}
