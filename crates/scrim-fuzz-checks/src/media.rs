//! The image metadata stripper (`scrim_core::media`): JPEG, PNG, WebP and GIF, every format
//! it accepts.
//!
//! Invariants: never panics; a refusal of bytes without a known signature is `Unsupported`,
//! and error offsets lie inside the input; an accepted image's report is true to the input and
//! output sizes and format; the output is no larger than the input, starts with the same
//! format's signature, is well formed for its container (JPEG ends in EOI, PNG in an empty
//! IEND chunk, WebP's RIFF size is the output's size), and stripping it again gives exactly the same
//! bytes and removes nothing (nothing left to strip, nothing lost in the second pass). Where
//! nothing was removed, a PNG or GIF is copied byte for byte and a WebP keeps its size.

use scrim_core::media::{sniff, strip_metadata, ImageFormat, MediaError, StripReport};

/// The (type, length) of each whole chunk of a PNG, in order.
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], usize)> {
    let mut out = Vec::new();
    let mut at = 8;
    while let Some(h) = png.get(at..at + 8) {
        let len = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
        out.push(([h[4], h[5], h[6], h[7]], len));
        at += 12 + len;
    }
    out
}

/// Strip `data` and check the invariants.
pub fn check(data: &[u8]) {
    let (out, report) = match strip_metadata(data) {
        Ok(done) => done,
        Err(e) => {
            check_refusal(data, &e);
            return;
        }
    };
    assert_eq!(Some(report.format), sniff(data));
    assert_eq!(report.bytes_before, data.len());
    assert_eq!(report.bytes_after, out.len());
    assert!(
        out.len() <= data.len(),
        "output ({} bytes) larger than the input ({} bytes)",
        out.len(),
        data.len()
    );
    assert_eq!(sniff(&out), Some(report.format), "output keeps its format");
    check_container(report.format, &out);
    check_removed(&report, data, &out);
    check_idempotent(&out);
}

/// A refusal: `Unsupported` only without a known signature; error offsets inside the input.
fn check_refusal(data: &[u8], error: &MediaError) {
    match error {
        MediaError::Unsupported => {
            assert!(
                sniff(data).is_none(),
                "a known signature refused as unsupported"
            );
        }
        MediaError::Truncated { at } | MediaError::Malformed { at, .. } => {
            assert!(sniff(data).is_some());
            assert!(
                *at <= data.len(),
                "error offset {at} past the input's {}",
                data.len()
            );
        }
    }
}

/// The output is well formed for its container.
fn check_container(format: ImageFormat, out: &[u8]) {
    match format {
        ImageFormat::Jpeg => assert!(out.ends_with(&[0xFF, 0xD9]), "JPEG output ends in EOI"),
        ImageFormat::Png => {
            let last = png_chunks(out).pop();
            assert_eq!(
                last,
                Some((*b"IEND", 0)),
                "PNG output ends in an empty IEND chunk"
            );
        }
        ImageFormat::Webp => {
            let size = out
                .get(4..8)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            assert_eq!(
                size.map(|s| s as usize),
                Some(out.len() - 8),
                "WebP RIFF size is the output's"
            );
        }
        ImageFormat::Gif => {}
    }
}

/// Removed kinds are listed once each; where nothing was removed, a PNG or GIF is copied byte
/// for byte and a WebP keeps its size.
fn check_removed(report: &StripReport, data: &[u8], out: &[u8]) {
    let mut seen = Vec::new();
    for r in &report.removed {
        assert!(!seen.contains(r), "removed kinds are listed once each");
        seen.push(*r);
    }
    if report.removed.is_empty() {
        match report.format {
            ImageFormat::Png | ImageFormat::Gif => {
                assert_eq!(out, data, "nothing removed, yet the image changed");
            }
            ImageFormat::Webp => assert_eq!(out.len(), data.len()),
            ImageFormat::Jpeg => {}
        }
    }
}

/// Stripping the output again gives the same bytes and removes nothing.
fn check_idempotent(out: &[u8]) {
    let (again, report2) = strip_metadata(out).expect("stripped output parses again");
    assert!(
        report2.removed.is_empty(),
        "a second pass still removed {:?}",
        report2.removed
    );
    assert_eq!(again, out, "stripping is idempotent");
}
