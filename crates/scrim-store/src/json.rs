//! One checked decoder for the JSON the store wrote itself (receipt bodies, dataset manifests).
//!
//! What the store wrote decodes in full or not at all: a body that does not decode is
//! [`Error::Corrupt`] (fail closed), never a default read in its place. The error names what was
//! read and where in it decoding stopped, never the text (it may hold anything).

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Decode `text`, the store's own JSON for `what` (a table, column and row, or a file).
pub(crate) fn decode<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        Error::Corrupt(format!(
            "{what}: {:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_place_never_the_content() {
        let r: Result<Vec<i64>> = decode(r#"["secret-value"]"#, "receipts.body, receipt 7");
        match r {
            Err(Error::Corrupt(m)) => {
                assert!(
                    m.starts_with("receipts.body, receipt 7: Data error at line 1"),
                    "{m}"
                );
                assert!(!m.contains("secret"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(decode::<Vec<i64>>("[1, 2]", "x").ok(), Some(vec![1, 2]));
    }
}
