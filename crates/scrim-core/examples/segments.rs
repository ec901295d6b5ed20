//! Print the regions `scrim_core::segment` finds in each message of a JSONL file (documents with
//! `text`, or conversations with `messages`): `id#message kind start end` in code points.
//!
//! ```sh
//! cargo run --release -p scrim-core --example segments -- tests/chat/gold.jsonl
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a developer's example"
)]

use std::io::BufRead;

use scrim_core::segment::segment;
use scrim_core::text::OffsetMap;

fn main() {
    let path = std::env::args().nth(1).expect("usage: segments FILE.jsonl");
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("open"));
    for line in file.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.expect("read")).expect("json");
        let id = v["id"].as_str().unwrap_or("?").to_string();
        let texts: Vec<String> = match v.get("messages").and_then(|m| m.as_array()) {
            Some(ms) => ms
                .iter()
                .map(|m| m["content"].as_str().unwrap_or("").to_string())
                .collect(),
            None => vec![v["text"].as_str().unwrap_or("").to_string()],
        };
        for (i, text) in texts.iter().enumerate() {
            let map = OffsetMap::new(text);
            for r in segment(text).regions() {
                let (s, e) = (
                    map.char_of_byte(r.range.start),
                    map.char_of_byte(r.range.end),
                );
                println!("{id}#{i}\t{:?}\t{s}\t{e}", r.kind);
            }
        }
    }
}
