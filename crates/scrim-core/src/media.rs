//! Image attachments: strip metadata (EXIF, GPS, XMP, IPTC, comments) without re-encoding.
//!
//! [`strip_metadata`] walks the container structure of a JPEG, PNG, WebP or GIF file and copies
//! the parts needed to display the image byte for byte, dropping the metadata parts. Pixel data
//! is never decoded or re-encoded. The format is detected from the leading bytes ([`sniff`]),
//! never from a declared media type.
//!
//! What is kept and what is dropped:
//!
//! * **JPEG**: keeps APP0 JFIF (with any embedded thumbnail cut out), APP2 `ICC_PROFILE`,
//!   APP14 `Adobe`, and every non-APP marker segment (DQT, DHT, SOFn, DRI, ...). Drops APP1
//!   (EXIF, XMP), every other APPn (MPF, IPTC/Photoshop in APP13, JFXX thumbnails, maker data)
//!   and COM. Entropy-coded scan data is copied verbatim (it is only scanned for the next
//!   marker); marker segments between progressive scans get the same treatment. Anything after
//!   EOI (multi-picture secondary images, motion-photo videos, vendor trailers) is dropped.
//! * **PNG**: keeps critical chunks and the display chunks `tRNS gAMA cHRM sRGB iCCP sBIT pHYs
//!   bKGD hIST cICP mDCv cLLi` and the APNG chunks `acTL fcTL fdAT`, copied whole (CRCs stay
//!   valid, they are not checked). Drops `eXIf tEXt zTXt iTXt tIME` and every other ancillary
//!   chunk (C2PA `caBX`, `sPLT`, private chunks). Anything after `IEND` is dropped.
//! * **WebP**: keeps `VP8X VP8 VP8L ALPH ANIM ANMF ICCP`; drops `EXIF`, `XMP ` and unknown
//!   chunks, clears the EXIF and XMP flags in `VP8X` and rewrites the RIFF size. Anything after
//!   the RIFF payload is dropped.
//! * **GIF**: keeps graphic-control and plain-text extensions, image data and the `NETSCAPE2.0`
//!   / `ANIMEXTS1.0` looping extension; drops comment extensions, every other application
//!   extension (XMP, ICC, vendor data) and unknown extensions. Anything after the trailer is
//!   dropped. A missing trailer is accepted when the data ends cleanly after an image.
//!
//! Every length is bounds-checked. Input that does not parse returns a [`MediaError`]; callers
//! should then withhold the image (fail closed). Errors name the structure and byte offset, never
//! the image's content.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

/// An image container format this module understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// JPEG (JFIF, EXIF/JPEG).
    Jpeg,
    /// PNG, including APNG.
    Png,
    /// WebP (RIFF container; lossy, lossless or extended).
    Webp,
    /// GIF 87a or 89a.
    Gif,
}

impl ImageFormat {
    /// The IANA media type: `"image/jpeg"`, `"image/png"`, `"image/webp"`, `"image/gif"`.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Gif => "image/gif",
        }
    }
}

/// What [`strip_metadata`] did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StripReport {
    /// The detected format.
    pub format: ImageFormat,
    /// The kinds of metadata removed, each once, in order of first appearance. Names used:
    /// `"EXIF"`, `"XMP"`, `"IPTC"`, `"MPF"`, `"COM"` (JPEG and GIF comments), `"JFIF thumbnail"`,
    /// `"JFXX thumbnail"`, `"APP0"` .. `"APP15"` (other JPEG application segments), PNG chunk
    /// names (`"tEXt"`, `"zTXt"`, `"iTXt"`, `"tIME"`, `"sPLT"`, `"caBX"`), `"PNG ancillary
    /// chunk"`, `"WebP chunk"`, `"ICC"` (GIF only), `"GIF application extension"`,
    /// `"GIF extension"`, and `"trailer"` (bytes after the end of the image).
    pub removed: Vec<&'static str>,
    /// Input size in bytes.
    pub bytes_before: usize,
    /// Output size in bytes.
    pub bytes_after: usize,
}

/// Why an image could not be stripped. Callers should withhold the image.
///
/// Offsets are bytes from the start of the input. Messages never include image content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// Not JPEG, PNG, WebP or GIF (by the leading bytes).
    #[error("unsupported image format (expected JPEG, PNG, WebP or GIF)")]
    Unsupported,
    /// A structure starting at byte `at` runs past the end of the data.
    #[error("image structure at byte {at} runs past the end of the data")]
    Truncated {
        /// Where the structure that does not fit starts.
        at: usize,
    },
    /// The data breaks the format's rules at byte `at`.
    #[error("malformed image at byte {at}: {what}")]
    Malformed {
        /// Where.
        at: usize,
        /// What is wrong, for example `"JPEG segment length below 2"`.
        what: &'static str,
    },
}

/// The format of `bytes`, from its magic bytes, or `None` if it is none of the supported ones.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(ImageFormat::Webp)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageFormat::Gif)
    } else {
        None
    }
}

/// Strips metadata from an image without re-encoding it.
///
/// Returns the cleaned image and a report. Returns an error, never a partly cleaned image, when
/// the format is unsupported or the data is truncated or malformed. Never panics.
pub fn strip_metadata(bytes: &[u8]) -> Result<(Vec<u8>, StripReport), MediaError> {
    let format = sniff(bytes).ok_or(MediaError::Unsupported)?;
    let mut out = Vec::with_capacity(bytes.len());
    let mut removed = Removed::default();
    match format {
        ImageFormat::Jpeg => strip_jpeg(bytes, &mut out, &mut removed)?,
        ImageFormat::Png => strip_png(bytes, &mut out, &mut removed)?,
        ImageFormat::Webp => strip_webp(bytes, &mut out, &mut removed)?,
        ImageFormat::Gif => strip_gif(bytes, &mut out, &mut removed)?,
    }
    let report = StripReport {
        format,
        removed: removed.0,
        bytes_before: bytes.len(),
        bytes_after: out.len(),
    };
    Ok((out, report))
}

/// The kinds of metadata removed so far, each once.
#[derive(Default)]
struct Removed(Vec<&'static str>);

impl Removed {
    fn note(&mut self, what: &'static str) {
        if !self.0.contains(&what) {
            self.0.push(what);
        }
    }
}

// --- bounds-checked reading -------------------------------------------------------------------

/// `len` bytes at `at`, or `Truncated { at }`.
fn take(bytes: &[u8], at: usize, len: usize) -> Result<&[u8], MediaError> {
    at.checked_add(len)
        .and_then(|end| bytes.get(at..end))
        .ok_or(MediaError::Truncated { at })
}

/// `N` bytes at `at` as an array, or `Truncated { at }`.
fn array<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N], MediaError> {
    take(bytes, at, N)?
        .try_into()
        .map_err(|_| MediaError::Truncated { at })
}

fn byte(bytes: &[u8], at: usize) -> Result<u8, MediaError> {
    bytes.get(at).copied().ok_or(MediaError::Truncated { at })
}

fn be16(bytes: &[u8], at: usize) -> Result<u16, MediaError> {
    array(bytes, at).map(u16::from_be_bytes)
}

fn be32(bytes: &[u8], at: usize) -> Result<u32, MediaError> {
    array(bytes, at).map(u32::from_be_bytes)
}

fn le32(bytes: &[u8], at: usize) -> Result<u32, MediaError> {
    array(bytes, at).map(u32::from_le_bytes)
}

/// `a + b`, or `Truncated { at }` on overflow (only possible for absurd declared lengths).
fn add(a: usize, b: usize, at: usize) -> Result<usize, MediaError> {
    a.checked_add(b).ok_or(MediaError::Truncated { at })
}

/// A `u32` length as `usize`, or `Truncated { at }` where it does not fit.
fn len32(n: u32, at: usize) -> Result<usize, MediaError> {
    usize::try_from(n).map_err(|_| MediaError::Truncated { at })
}

fn malformed(at: usize, what: &'static str) -> MediaError {
    MediaError::Malformed { at, what }
}

// --- JPEG ---------------------------------------------------------------------------------------

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const COM: u8 = 0xFE;

/// Names for dropped APPn segments without a more specific name.
const APP_NAMES: [&str; 16] = [
    "APP0", "APP1", "APP2", "APP3", "APP4", "APP5", "APP6", "APP7", "APP8", "APP9", "APP10",
    "APP11", "APP12", "APP13", "APP14", "APP15",
];

/// What to do with one APPn segment.
enum App {
    Keep,
    Drop(&'static str),
    /// A JFIF APP0 segment with a thumbnail: keep the 14-byte header, thumbnail size zeroed.
    JfifWithoutThumbnail,
}

/// Decides on an APPn segment (`n` in 0..16) from its payload (after the length field).
fn jpeg_app(n: u8, payload: &[u8], at: usize) -> Result<App, MediaError> {
    let generic = APP_NAMES.get(usize::from(n)).copied().unwrap_or("APP");
    Ok(match n {
        0 if payload.starts_with(b"JFIF\0") => {
            // JFIF\0, version (2), units, x density (2), y density (2), thumbnail w, h.
            let header: [u8; 14] = array(payload, 0)
                .map_err(|_| malformed(at, "JPEG JFIF header shorter than 14 bytes"))?;
            let [.., width, height] = header;
            if width == 0 && height == 0 {
                App::Keep
            } else {
                App::JfifWithoutThumbnail
            }
        }
        0 if payload.starts_with(b"JFXX\0") => App::Drop("JFXX thumbnail"),
        1 if payload.starts_with(b"Exif\0") => App::Drop("EXIF"),
        1 if payload.starts_with(b"http://ns.adobe.com/xap/1.0/\0")
            || payload.starts_with(b"http://ns.adobe.com/xmp/extension/\0") =>
        {
            App::Drop("XMP")
        }
        2 if payload.starts_with(b"ICC_PROFILE\0") => App::Keep,
        2 if payload.starts_with(b"MPF\0") => App::Drop("MPF"),
        13 => App::Drop("IPTC"),
        14 if payload.starts_with(b"Adobe") => App::Keep,
        _ => App::Drop(generic),
    })
}

fn strip_jpeg(b: &[u8], out: &mut Vec<u8>, removed: &mut Removed) -> Result<(), MediaError> {
    if array::<2>(b, 0)? != [0xFF, SOI] {
        return Err(malformed(0, "JPEG does not start with SOI"));
    }
    out.extend_from_slice(&[0xFF, SOI]);
    let mut jpeg = Jpeg {
        b,
        out,
        removed,
        pos: 2,
        seen_frame: false,
        seen_scan: false,
    };
    while !jpeg.next_marker()? {}
    Ok(())
}

/// One pass over a JPEG's markers, copying what is kept to `out`.
struct Jpeg<'a> {
    b: &'a [u8],
    out: &'a mut Vec<u8>,
    removed: &'a mut Removed,
    /// Where the next marker is.
    pos: usize,
    seen_frame: bool,
    seen_scan: bool,
}

impl Jpeg<'_> {
    /// Handles the marker at `pos` with its segment (and scan data); `true` once past EOI.
    fn next_marker(&mut self) -> Result<bool, MediaError> {
        let marker_at = self.pos;
        let marker = self.read_marker()?;
        match marker {
            EOI => {
                if !self.seen_scan {
                    return Err(malformed(marker_at, "JPEG ends before any scan"));
                }
                self.out.extend_from_slice(&[0xFF, EOI]);
                if self.pos < self.b.len() {
                    self.removed.note("trailer");
                }
                return Ok(true);
            }
            SOI => return Err(malformed(marker_at, "JPEG has a second SOI")),
            0x00 => return Err(malformed(marker_at, "JPEG has 0xFF00 outside a scan")),
            0xD0..=0xD7 => {
                return Err(malformed(marker_at, "JPEG restart marker outside a scan"));
            }
            0x01 => self.out.extend_from_slice(&[0xFF, marker]), // TEM, no length
            _ => self.segment(marker, marker_at)?,
        }
        Ok(false)
    }

    /// The marker at `pos` (after its 0xFF and any fill bytes); moves past it.
    fn read_marker(&mut self) -> Result<u8, MediaError> {
        let b = self.b;
        if byte(b, self.pos)? != 0xFF {
            return Err(malformed(self.pos, "JPEG expected a marker"));
        }
        self.pos += 1;
        while byte(b, self.pos)? == 0xFF {
            self.pos += 1; // fill bytes
        }
        let marker = byte(b, self.pos)?;
        self.pos += 1;
        Ok(marker)
    }

    /// A marker segment (length and payload at `pos`): kept, dropped or cut down.
    fn segment(&mut self, marker: u8, marker_at: usize) -> Result<(), MediaError> {
        let b = self.b;
        let len = usize::from(be16(b, self.pos)?);
        if len < 2 {
            return Err(malformed(marker_at, "JPEG segment length below 2"));
        }
        let segment =
            take(b, self.pos, len).map_err(|_| MediaError::Truncated { at: marker_at })?;
        self.pos += len;
        match marker {
            0xE0..=0xEF => self.app(marker, segment, marker_at)?,
            COM => self.removed.note("COM"),
            _ => {
                let scan = self.frame_or_scan(marker, marker_at)?;
                self.out.extend_from_slice(&[0xFF, marker]);
                self.out.extend_from_slice(segment);
                if scan {
                    self.copy_scan_data()?;
                }
            }
        }
        Ok(())
    }

    /// Notes a frame or scan header; `true` for a scan (SOS), whose entropy-coded data follows.
    fn frame_or_scan(&mut self, marker: u8, marker_at: usize) -> Result<bool, MediaError> {
        match marker {
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                self.seen_frame = true;
            }
            SOS => {
                if !self.seen_frame {
                    return Err(malformed(marker_at, "JPEG scan before frame"));
                }
                self.seen_scan = true;
                return Ok(true);
            }
            _ => {}
        }
        Ok(false)
    }

    /// An APPn segment, by [`jpeg_app`]'s decision.
    fn app(&mut self, marker: u8, segment: &[u8], marker_at: usize) -> Result<(), MediaError> {
        let payload = segment.get(2..).unwrap_or_default();
        match jpeg_app(marker - 0xE0, payload, marker_at)? {
            App::Keep => {
                self.out.extend_from_slice(&[0xFF, marker]);
                self.out.extend_from_slice(segment);
            }
            App::Drop(name) => self.removed.note(name),
            App::JfifWithoutThumbnail => {
                let header = payload.get(..12).unwrap_or_default();
                self.out.extend_from_slice(&[0xFF, marker, 0x00, 16]);
                self.out.extend_from_slice(header);
                self.out.extend_from_slice(&[0, 0]);
                self.removed.note("JFIF thumbnail");
            }
        }
        Ok(())
    }

    /// Entropy-coded data: copy up to the next marker that is not a stuffed 0xFF00 or a restart
    /// marker. Fill bytes (0xFF runs) before a marker are copied as they are.
    fn copy_scan_data(&mut self) -> Result<(), MediaError> {
        let (b, start) = (self.b, self.pos);
        loop {
            if byte(b, self.pos)? != 0xFF {
                self.pos += 1;
                continue;
            }
            match byte(b, self.pos + 1)? {
                0x00 | 0xD0..=0xD7 => self.pos += 2,
                0xFF => self.pos += 1,
                _ => break,
            }
        }
        self.out
            .extend_from_slice(b.get(start..self.pos).unwrap_or_default());
        Ok(())
    }
}

// --- PNG ----------------------------------------------------------------------------------------

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Ancillary PNG chunks needed to display the image as intended (colour, transparency,
/// animation). Everything else ancillary is dropped.
const PNG_KEEP: [&[u8; 4]; 15] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD", b"hIST", b"cICP",
    b"mDCv", b"cLLi", b"acTL", b"fcTL", b"fdAT",
];

/// The critical chunks of the PNG standard; any other critical (upper-case) type is refused.
const PNG_CRITICAL: [&[u8; 4]; 4] = [b"IHDR", b"PLTE", b"IDAT", b"IEND"];

/// The one valid IEND chunk: no data, and the CRC of the type alone.
const PNG_IEND: &[u8] = &[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

fn strip_png(b: &[u8], out: &mut Vec<u8>, removed: &mut Removed) -> Result<(), MediaError> {
    if take(b, 0, 8)? != PNG_SIGNATURE {
        return Err(malformed(0, "PNG signature"));
    }
    out.extend_from_slice(PNG_SIGNATURE);
    let mut pos = 8;
    let mut first = true;
    loop {
        let (kind, chunk) = png_chunk(b, pos, first)?;
        first = false;
        png_copy_or_drop(kind, chunk, out, removed);
        pos += chunk.len();
        if &kind == b"IEND" {
            if pos < b.len() {
                removed.note("trailer");
            }
            return Ok(());
        }
    }
}

/// The type and the whole of the chunk at `pos` (length, type, data and CRC), checked: the
/// first chunk must be a 13-byte IHDR, and no critical chunk may be of an unknown type.
fn png_chunk(b: &[u8], pos: usize, first: bool) -> Result<([u8; 4], &[u8]), MediaError> {
    let len = be32(b, pos)?;
    if len > 0x7FFF_FFFF {
        return Err(malformed(pos, "PNG chunk length over 2^31-1"));
    }
    let header: [u8; 8] = array(b, pos)?;
    let [_, _, _, _, kind @ ..] = header;
    if !kind.iter().all(u8::is_ascii_alphabetic) {
        return Err(malformed(pos, "PNG chunk type is not four letters"));
    }
    let total = add(len32(len, pos)?, 12, pos)?;
    let chunk = take(b, pos, total)?;
    if first && (&kind != b"IHDR" || len != 13) {
        return Err(malformed(pos, "PNG does not start with a 13-byte IHDR"));
    }
    let [first_letter, ..] = kind;
    if first_letter.is_ascii_uppercase() && !PNG_CRITICAL.contains(&&kind) {
        // A critical chunk no decoder knows: the image cannot be shown as it is, and copying
        // it whole would let anything through under an upper-case name.
        return Err(malformed(pos, "PNG critical chunk of an unknown type"));
    }
    Ok((kind, chunk))
}

/// Copies a chunk that is needed for display, or notes what was dropped.
fn png_copy_or_drop(kind: [u8; 4], chunk: &[u8], out: &mut Vec<u8>, removed: &mut Removed) {
    if &kind == b"IEND" {
        // IEND is empty by the standard: bytes hidden in it are dropped, and the canonical
        // empty chunk written (12 bytes: length, type and CRC, no data).
        if chunk.len() == 12 {
            out.extend_from_slice(chunk);
        } else {
            removed.note("IEND payload");
            out.extend_from_slice(PNG_IEND);
        }
    } else if PNG_CRITICAL.contains(&&kind) || PNG_KEEP.contains(&&kind) {
        out.extend_from_slice(chunk);
    } else {
        removed.note(png_dropped_name(kind, chunk));
    }
}

/// The report's name for a dropped ancillary chunk.
fn png_dropped_name(kind: [u8; 4], chunk: &[u8]) -> &'static str {
    match &kind {
        b"eXIf" => "EXIF",
        b"iTXt"
            if chunk
                .get(8..)
                .unwrap_or_default()
                .starts_with(b"XML:com.adobe.xmp\0") =>
        {
            "XMP"
        }
        b"tEXt" => "tEXt",
        b"zTXt" => "zTXt",
        b"iTXt" => "iTXt",
        b"tIME" => "tIME",
        b"sPLT" => "sPLT",
        b"caBX" => "caBX",
        _ => "PNG ancillary chunk",
    }
}

// --- WebP ---------------------------------------------------------------------------------------

/// VP8X flag bits for EXIF and XMP metadata.
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

fn strip_webp(b: &[u8], out: &mut Vec<u8>, removed: &mut Removed) -> Result<(), MediaError> {
    let riff_end = webp_riff_end(b)?;
    // Everything below reads from the RIFF payload only.
    let riff = b.get(..riff_end).unwrap_or_default();
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let vp8x_flags_at = webp_chunks(riff, out, removed)?;
    if riff_end < b.len() {
        removed.note("trailer");
    }
    if let Some(flags) = vp8x_flags_at.and_then(|at| out.get_mut(at)) {
        *flags &= !(VP8X_EXIF | VP8X_XMP);
    }
    let size = out
        .len()
        .checked_sub(8)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(malformed(4, "WebP RIFF size"))?;
    if let Some(field) = out.get_mut(4..8) {
        field.copy_from_slice(&size.to_le_bytes());
    }
    Ok(())
}

/// The end of the RIFF payload, checked against the header and the data.
fn webp_riff_end(b: &[u8]) -> Result<usize, MediaError> {
    let header = take(b, 0, 12)?;
    if !header.starts_with(b"RIFF") || !header.ends_with(b"WEBP") {
        return Err(malformed(0, "WebP RIFF header"));
    }
    let riff_size = len32(le32(b, 4)?, 4)?;
    if riff_size < 4 {
        return Err(malformed(4, "WebP RIFF size below 4"));
    }
    let riff_end = add(riff_size, 8, 4)?;
    if riff_end > b.len() {
        return Err(MediaError::Truncated { at: 0 });
    }
    Ok(riff_end)
}

/// Copies the chunks of the RIFF payload `riff` that are kept; returns where the copied VP8X
/// flags byte is in `out`, if there is a VP8X chunk.
fn webp_chunks(
    riff: &[u8],
    out: &mut Vec<u8>,
    removed: &mut Removed,
) -> Result<Option<usize>, MediaError> {
    let mut pos = 12;
    let mut vp8x_flags_at = None;
    while pos < riff.len() {
        let header: [u8; 8] = array(riff, pos)?;
        let [a, b, c, d, s0, s1, s2, s3] = header;
        let fourcc = [a, b, c, d];
        let size = len32(u32::from_le_bytes([s0, s1, s2, s3]), pos)?;
        let padded = add(size, size & 1, pos)?;
        let chunk = take(riff, pos, add(padded, 8, pos)?)?;
        if pos == 12 && !matches!(&fourcc, b"VP8X" | b"VP8 " | b"VP8L") {
            return Err(malformed(pos, "WebP first chunk is not VP8X, VP8 or VP8L"));
        }
        if &fourcc == b"VP8X" {
            if pos != 12 {
                return Err(malformed(pos, "WebP VP8X chunk not first"));
            }
            if size < 10 {
                return Err(malformed(pos, "WebP VP8X chunk shorter than 10 bytes"));
            }
            vp8x_flags_at = Some(out.len() + 8);
        }
        match &fourcc {
            b"VP8X" | b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ANMF" | b"ICCP" => {
                out.extend_from_slice(chunk);
            }
            b"EXIF" => removed.note("EXIF"),
            b"XMP " => removed.note("XMP"),
            _ => removed.note("WebP chunk"),
        }
        pos += chunk.len();
    }
    Ok(vp8x_flags_at)
}

// --- GIF ----------------------------------------------------------------------------------------

/// The end of a run of GIF data sub-blocks starting at `pos` (just past the 0 terminator).
fn gif_sub_blocks_end(b: &[u8], mut pos: usize) -> Result<usize, MediaError> {
    loop {
        let n = usize::from(byte(b, pos)?);
        pos += 1;
        if n == 0 {
            return Ok(pos);
        }
        take(b, pos, n)?;
        pos += n;
    }
}

/// The size of a GIF colour table from a packed-fields byte (0 when there is none).
fn gif_color_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3usize << ((packed & 0x07) + 1)
    }
}

fn strip_gif(b: &[u8], out: &mut Vec<u8>, removed: &mut Removed) -> Result<(), MediaError> {
    let header = take(b, 0, 6)?;
    if header != b"GIF87a" && header != b"GIF89a" {
        return Err(malformed(0, "GIF header"));
    }
    // Header, logical screen descriptor (7 bytes), global colour table.
    let [.., packed, _, _] = array::<7>(b, 6)?;
    let start_len = 13 + gif_color_table_len(packed);
    out.extend_from_slice(take(b, 0, start_len)?);
    let mut pos = start_len;
    let mut seen_image = false;
    loop {
        if pos == b.len() && seen_image {
            // A missing trailer after complete blocks: common in old encoders, and every decoder
            // accepts it. Nothing is left unparsed, so pass the image on as it is.
            return Ok(());
        }
        match byte(b, pos)? {
            0x3B => {
                out.push(0x3B);
                if pos + 1 < b.len() {
                    removed.note("trailer");
                }
                return Ok(());
            }
            0x2C => {
                let end = gif_image_end(b, pos)?;
                out.extend_from_slice(take(b, pos, end - pos)?);
                pos = end;
                seen_image = true;
            }
            0x21 => {
                let [_, label] = array::<2>(b, pos)?;
                let end = gif_sub_blocks_end(b, pos + 2)?;
                if gif_keep_extension(b, pos, label, removed)? {
                    out.extend_from_slice(take(b, pos, end - pos)?);
                }
                pos = end;
            }
            _ => return Err(malformed(pos, "GIF unknown block")),
        }
    }
}

/// The end of the image block at `pos`: image descriptor (10 bytes with the separator), local
/// colour table, LZW minimum code size, image data sub-blocks.
fn gif_image_end(b: &[u8], pos: usize) -> Result<usize, MediaError> {
    let [.., packed] = array::<10>(b, pos)?;
    let lzw_at = pos + 10 + gif_color_table_len(packed);
    let min_code_size = *take(b, pos, lzw_at + 1 - pos)?
        .last()
        .ok_or(MediaError::Truncated { at: pos })?;
    if min_code_size > 11 {
        return Err(malformed(lzw_at, "GIF LZW code size over 11"));
    }
    gif_sub_blocks_end(b, lzw_at + 1)
}

/// Whether the extension at `pos` with `label` is kept (graphic control, plain text, looping);
/// notes what a dropped one was.
fn gif_keep_extension(
    b: &[u8],
    pos: usize,
    label: u8,
    removed: &mut Removed,
) -> Result<bool, MediaError> {
    let dropped = match label {
        0xF9 | 0x01 => return Ok(true), // graphic control, plain text
        0xFE => "COM",
        0xFF => {
            let id = if byte(b, pos + 2)? == 11 {
                take(b, pos + 3, 11)?
            } else {
                &[]
            };
            match id {
                b"NETSCAPE2.0" | b"ANIMEXTS1.0" => return Ok(true),
                b"XMP DataXMP" => "XMP",
                b"ICCRGBG1012" => "ICC",
                _ => "GIF application extension",
            }
        }
        _ => "GIF extension",
    };
    removed.note(dropped);
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- builders ---------------------------------------------------------------------------

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    /// A minimal TIFF/EXIF block with a GPS IFD: latitude N 48/1 51/1 24/1.
    fn exif_payload() -> Vec<u8> {
        let mut p = b"Exif\0\0".to_vec();
        // TIFF header, big-endian, IFD0 at 8.
        p.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
        // IFD0: 1 entry: GPSInfo (0x8825) LONG 1 -> offset 26.
        p.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
        // GPS IFD at 26: 2 entries: GPSLatitudeRef 'N', GPSLatitude 3 RATIONAL at 56.
        p.extend_from_slice(&[0, 2]);
        p.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        p.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56]);
        p.extend_from_slice(&[0, 0, 0, 0]);
        for (num, den) in [(48u32, 1u32), (51, 1), (24, 1)] {
            p.extend_from_slice(&num.to_be_bytes());
            p.extend_from_slice(&den.to_be_bytes());
        }
        p
    }

    const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><dc:creator>Jane Roe</dc:creator></rdf:RDF></x:xmpmeta>";
    const COMMENT: &[u8] = b"shot at 221B Baker Street";

    fn jfif(thumb: (u8, u8)) -> Vec<u8> {
        let mut p = b"JFIF\0\x01\x02\0\0\x01\0\x01".to_vec();
        p.extend_from_slice(&[thumb.0, thumb.1]);
        p.extend(std::iter::repeat_n(
            0x7F,
            3 * usize::from(thumb.0) * usize::from(thumb.1),
        ));
        p
    }

    /// Tables, frame and scan of a 1x1 greyscale baseline JPEG (the part that must survive).
    fn jpeg_image_part() -> Vec<u8> {
        let mut v = Vec::new();
        let mut dqt = vec![0u8];
        dqt.extend(std::iter::repeat_n(1u8, 64));
        v.extend(segment(0xDB, &dqt));
        v.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        let mut dht = vec![0x00];
        dht.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        dht.push(0);
        v.extend(segment(0xC4, &dht));
        let mut dht_ac = vec![0x10];
        dht_ac.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        dht_ac.push(0);
        v.extend(segment(0xC4, &dht_ac));
        v.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
        // Entropy-coded data with a stuffed 0xFF00, a restart marker and fill bytes.
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    fn sample_jpeg() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend(segment(0xE0, &jfif((0, 0))));
        v.extend(segment(0xE1, &exif_payload()));
        v.extend(segment(0xE1, XMP));
        v.extend(segment(0xFE, COMMENT));
        v.extend(jpeg_image_part());
        v
    }

    fn pick(parts: &[Vec<u8>], which: &[usize]) -> Vec<u8> {
        which
            .iter()
            .flat_map(|&i| parts[i].iter().copied())
            .collect()
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        c.extend_from_slice(&crc32(&crc_input).to_be_bytes());
        c
    }

    fn png_parts() -> Vec<Vec<u8>> {
        vec![
            PNG_SIGNATURE.to_vec(),
            chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
            chunk(b"gAMA", &45455u32.to_be_bytes()),
            chunk(b"tEXt", b"Author\0Jane Roe"),
            chunk(b"eXIf", &exif_payload()[6..]),
            chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"),
            chunk(b"tIME", &[0x07, 0xE8, 1, 2, 3, 4, 5]),
            chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0x60, 0, 0, 0, 2, 0, 1]),
            chunk(b"IEND", &[]),
        ]
    }

    fn sample_png() -> Vec<u8> {
        png_parts().concat()
    }

    fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend(body);
        v
    }

    fn webp_chunks() -> Vec<Vec<u8>> {
        // VP8X: ICC | EXIF | XMP flags, canvas 1x1.
        let vp8x = [0x20 | 0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        vec![
            riff_chunk(b"VP8X", &vp8x),
            riff_chunk(b"ICCP", b"fake icc profile"),
            riff_chunk(b"VP8 ", b"fake vp8 bitstream, odd"),
            riff_chunk(b"EXIF", &exif_payload()[6..]),
            riff_chunk(b"XMP ", &XMP[29..]),
        ]
    }

    fn sample_webp() -> Vec<u8> {
        riff(&webp_chunks())
    }

    fn gif_parts() -> Vec<Vec<u8>> {
        let mut netscape = vec![0x21, 0xFF, 11];
        netscape.extend_from_slice(b"NETSCAPE2.0");
        netscape.extend_from_slice(&[3, 1, 0, 0, 0]);
        let mut xmp = vec![0x21, 0xFF, 11];
        xmp.extend_from_slice(b"XMP DataXMP");
        xmp.extend_from_slice(&[5]);
        xmp.extend_from_slice(b"<x:x>");
        xmp.push(0);
        let mut comment = vec![0x21, 0xFE, u8::try_from(COMMENT.len()).unwrap()];
        comment.extend_from_slice(COMMENT);
        comment.push(0);
        vec![
            b"GIF89a".to_vec(),
            vec![1, 0, 1, 0, 0x80, 0, 0], // 1x1, global colour table of 2
            vec![0, 0, 0, 255, 255, 255], // colour table
            netscape,
            comment,
            xmp,
            vec![0x21, 0xF9, 4, 0, 0, 0, 0, 0], // graphic control
            vec![0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0], // image descriptor
            vec![2, 2, 0x44, 0x01, 0],          // LZW min code size, data
            vec![0x3B],
        ]
    }

    fn sample_gif() -> Vec<u8> {
        gif_parts().concat()
    }

    // --- tests -------------------------------------------------------------------------------

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(sniff(&sample_jpeg()), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(&sample_png()), Some(ImageFormat::Png));
        assert_eq!(sniff(&sample_webp()), Some(ImageFormat::Webp));
        assert_eq!(sniff(&sample_gif()), Some(ImageFormat::Gif));
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(
            strip_metadata(b"hello").unwrap_err(),
            MediaError::Unsupported
        );
        assert_eq!(ImageFormat::Webp.media_type(), "image/webp");
        assert_eq!(
            serde_json::to_string(&ImageFormat::Jpeg).unwrap(),
            "\"jpeg\""
        );
    }

    #[test]
    fn jpeg_metadata_removed_and_image_kept() {
        let input = sample_jpeg();
        let (out, report) = strip_metadata(&input).unwrap();
        assert_eq!(report.format, ImageFormat::Jpeg);
        assert_eq!(report.removed, vec!["EXIF", "XMP", "COM"]);
        assert_eq!(report.bytes_before, input.len());
        assert_eq!(report.bytes_after, out.len());
        assert!(out.len() < input.len());
        assert!(!contains(&out, b"Exif"));
        assert!(!contains(&out, b"http://ns.adobe.com/xap"));
        assert!(!contains(&out, b"Jane Roe"));
        assert!(!contains(&out, COMMENT));
        assert!(!contains(&out, &48u32.to_be_bytes()));
        // SOI + JFIF, then the image part byte for byte.
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(segment(0xE0, &jfif((0, 0))));
        expected.extend(jpeg_image_part());
        assert_eq!(out, expected);
        let sos = input.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        assert!(out.ends_with(&input[sos..]));
        // Idempotent.
        let (again, report2) = strip_metadata(&out).unwrap();
        assert_eq!(again, out);
        assert!(report2.removed.is_empty());
    }

    #[test]
    fn jpeg_keeps_icc_and_adobe_drops_others_and_trailer() {
        let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
        icc.extend_from_slice(b"profile bytes");
        let adobe = b"Adobe\0\x64\0\0\0\0\x01".to_vec();
        let mut v = vec![0xFF, 0xD8];
        v.extend(segment(0xE0, &jfif((2, 1))));
        v.extend(segment(0xE0, b"JFXX\0\x10thumb"));
        v.extend(segment(0xE2, &icc));
        v.extend(segment(0xE2, b"MPF\0II*\0"));
        v.extend(segment(0xED, b"Photoshop 3.0\08BIM\x04\x04caption"));
        v.extend(segment(0xEE, &adobe));
        v.extend(segment(0xEC, b"Ducky"));
        v.extend(segment(0xE1, b"some other app1"));
        v.extend(jpeg_image_part());
        v.extend_from_slice(b"\xFF\xD8secondary image with its own Exif");
        let (out, report) = strip_metadata(&v).unwrap();
        assert_eq!(
            report.removed,
            vec![
                "JFIF thumbnail",
                "JFXX thumbnail",
                "MPF",
                "IPTC",
                "APP12",
                "APP1",
                "trailer"
            ]
        );
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(segment(0xE0, &jfif((0, 0))));
        expected.extend(segment(0xE2, &icc));
        expected.extend(segment(0xEE, &adobe));
        expected.extend(jpeg_image_part());
        assert_eq!(out, expected);
    }

    #[test]
    fn jpeg_progressive_scans_copied_and_comments_between_scans_dropped() {
        let mut v = vec![0xFF, 0xD8];
        let mut image = jpeg_image_part();
        image.truncate(image.len() - 2); // without EOI
        v.extend_from_slice(&image);
        v.extend(segment(0xFE, COMMENT));
        let mut second = segment(
            0xC4,
            &[0x11, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
        );
        second.extend(segment(0xDA, &[1, 1, 0x11, 1, 63, 0]));
        second.extend_from_slice(&[0xAB, 0xFF, 0x00, 0xCD, 0xFF, 0xD9]);
        v.extend_from_slice(&second);
        let (out, report) = strip_metadata(&v).unwrap();
        assert_eq!(report.removed, vec!["COM"]);
        let mut expected = vec![0xFF, 0xD8];
        expected.extend_from_slice(&image);
        expected.extend_from_slice(&second);
        assert_eq!(out, expected);
    }

    #[test]
    fn jpeg_malformed_inputs_fail_closed() {
        // No EOI.
        let input = sample_jpeg();
        assert!(matches!(
            strip_metadata(&input[..input.len() - 2]),
            Err(MediaError::Truncated { .. })
        ));
        // Segment length below 2.
        let v = [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 0xFF, 0xD9];
        assert_eq!(
            strip_metadata(&v).unwrap_err(),
            MediaError::Malformed {
                at: 2,
                what: "JPEG segment length below 2"
            }
        );
        // EOI without a scan.
        assert!(matches!(
            strip_metadata(&[0xFF, 0xD8, 0xFF, 0xD9]),
            Err(MediaError::Malformed { .. })
        ));
        // Segment running past the end.
        let v = [0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00, b'E', b'x'];
        assert_eq!(
            strip_metadata(&v).unwrap_err(),
            MediaError::Truncated { at: 2 }
        );
        // Garbage between segments.
        let mut v = vec![0xFF, 0xD8];
        v.extend(segment(0xE0, &jfif((0, 0))));
        let at = v.len();
        v.push(0x00);
        v.extend(jpeg_image_part());
        assert_eq!(
            strip_metadata(&v).unwrap_err(),
            MediaError::Malformed {
                at,
                what: "JPEG expected a marker"
            }
        );
        // Errors carry no content.
        let message = MediaError::Truncated { at: 1234 }.to_string();
        assert_eq!(
            message,
            "image structure at byte 1234 runs past the end of the data"
        );
    }

    #[test]
    fn png_text_and_exif_removed_critical_chunks_kept() {
        let input = sample_png();
        let parts = png_parts();
        let (out, report) = strip_metadata(&input).unwrap();
        assert_eq!(report.format, ImageFormat::Png);
        assert_eq!(report.removed, vec!["tEXt", "EXIF", "XMP", "tIME"]);
        let expected = pick(&parts, &[0, 1, 2, 7, 8]);
        assert_eq!(out, expected);
        assert!(!contains(&out, b"Jane Roe"));
        assert!(!contains(&out, b"xmpmeta"));
        let (again, report2) = strip_metadata(&out).unwrap();
        assert_eq!(again, out);
        assert!(report2.removed.is_empty());
    }

    #[test]
    fn png_structure_checks() {
        let parts = png_parts();
        // Not starting with IHDR.
        let v = pick(&parts, &[0, 2, 1, 7, 8]);
        assert!(matches!(
            strip_metadata(&v),
            Err(MediaError::Malformed { at: 8, .. })
        ));
        // No IEND.
        let v = parts[..8].concat();
        assert!(matches!(
            strip_metadata(&v),
            Err(MediaError::Truncated { .. })
        ));
        // Bad chunk type.
        let mut v = pick(&parts, &[0, 1]);
        v.extend(chunk(b"g1MA", &[0]));
        assert!(matches!(
            strip_metadata(&v),
            Err(MediaError::Malformed { .. })
        ));
        // Huge length.
        let mut v = pick(&parts, &[0, 1]);
        v.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0]);
        v.extend_from_slice(b"IDAT");
        assert!(matches!(
            strip_metadata(&v),
            Err(MediaError::Malformed { .. })
        ));
        // Bytes hidden in IEND are dropped; the standard empty IEND is written instead.
        let mut v = pick(&parts, &[0, 1, 7]);
        v.extend(chunk(b"IEND", b"GPS 43.6150,-116.2023"));
        let (out, report) = strip_metadata(&v).unwrap();
        assert_eq!(report.removed, vec!["IEND payload"]);
        assert_eq!(out, pick(&parts, &[0, 1, 7, 8]));
        assert!(!contains(&out, b"GPS"));
        // A critical chunk of an unknown type is refused, not copied whole.
        let mut v = pick(&parts, &[0, 1]);
        v.extend(chunk(b"EXIF", b"GPS 43.6150,-116.2023"));
        v.extend(pick(&parts, &[7, 8]));
        assert!(matches!(
            strip_metadata(&v),
            Err(MediaError::Malformed { .. })
        ));
        // Unknown ancillary and private chunks dropped, trailer dropped.
        let mut v = pick(&parts, &[0, 1]);
        v.extend(chunk(b"prVt", b"private"));
        v.extend(pick(&parts, &[7, 8]));
        v.extend_from_slice(b"trailing");
        let (out, report) = strip_metadata(&v).unwrap();
        assert_eq!(report.removed, vec!["PNG ancillary chunk", "trailer"]);
        assert_eq!(out, pick(&parts, &[0, 1, 7, 8]));
    }

    #[test]
    fn webp_exif_and_xmp_removed_flags_cleared_size_fixed() {
        let input = sample_webp();
        let chunks = webp_chunks();
        let (out, report) = strip_metadata(&input).unwrap();
        assert_eq!(report.format, ImageFormat::Webp);
        assert_eq!(report.removed, vec!["EXIF", "XMP"]);
        let mut vp8x = chunks[0].clone();
        vp8x[8] = 0x20;
        let expected = riff(&[vp8x, chunks[1].clone(), chunks[2].clone()]);
        assert_eq!(out, expected);
        assert_eq!(
            u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize,
            out.len() - 8
        );
        assert!(!contains(&out, b"Jane Roe"));
        let (again, report2) = strip_metadata(&out).unwrap();
        assert_eq!(again, out);
        assert!(report2.removed.is_empty());
        // Simple lossy WebP passes through unchanged.
        let simple = riff(&[riff_chunk(b"VP8 ", b"bitstream")]);
        assert_eq!(strip_metadata(&simple).unwrap().0, simple);
        // RIFF size larger than the data.
        let mut bad = sample_webp();
        bad.truncate(bad.len() - 1);
        assert!(matches!(
            strip_metadata(&bad),
            Err(MediaError::Truncated { .. })
        ));
        // First chunk not an image chunk.
        let bad = riff(&[riff_chunk(b"EXIF", b"x"), riff_chunk(b"VP8 ", b"b")]);
        assert!(matches!(
            strip_metadata(&bad),
            Err(MediaError::Malformed { at: 12, .. })
        ));
    }

    #[test]
    fn gif_comments_and_xmp_removed_looping_kept() {
        let input = sample_gif();
        let parts = gif_parts();
        let (out, report) = strip_metadata(&input).unwrap();
        assert_eq!(report.format, ImageFormat::Gif);
        assert_eq!(report.removed, vec!["COM", "XMP"]);
        let expected = pick(&parts, &[0, 1, 2, 3, 6, 7, 8, 9]);
        assert_eq!(out, expected);
        assert!(!contains(&out, COMMENT));
        let (again, report2) = strip_metadata(&out).unwrap();
        assert_eq!(again, out);
        assert!(report2.removed.is_empty());
    }

    #[test]
    fn gif_without_trailer_accepted_only_after_an_image() {
        let parts = gif_parts();
        let v = pick(&parts, &[0, 1, 2, 3, 4, 6, 7, 8]);
        let (out, report) = strip_metadata(&v).unwrap();
        assert_eq!(out, pick(&parts, &[0, 1, 2, 3, 6, 7, 8]));
        assert_eq!(report.removed, vec!["COM"]);
        let v = pick(&parts, &[0, 1, 2, 3, 4]);
        assert!(matches!(
            strip_metadata(&v),
            Err(MediaError::Truncated { .. })
        ));
    }

    fn samples() -> Vec<Vec<u8>> {
        vec![sample_jpeg(), sample_png(), sample_webp(), sample_gif()]
    }

    #[test]
    fn every_prefix_is_an_error_or_clean_output() {
        for sample in samples() {
            for n in 0..sample.len() {
                let prefix = &sample[..n];
                match strip_metadata(prefix) {
                    Ok((out, report)) => {
                        // Only possible where the structure happens to be complete.
                        assert_eq!(report.bytes_after, out.len());
                        assert!(!contains(&out, b"Jane Roe"));
                    }
                    Err(MediaError::Truncated { at }) => assert!(at <= n, "{at} > {n}"),
                    Err(MediaError::Malformed { at, .. }) => assert!(at <= n),
                    Err(MediaError::Unsupported) => assert!(sniff(prefix).is_none()),
                }
            }
        }
    }

    #[test]
    fn every_single_byte_change_never_panics() {
        for sample in samples() {
            for i in 0..sample.len() {
                for value in [0x00, 0x01, 0x7F, 0xFF, sample[i] ^ 0x80] {
                    let mut v = sample.clone();
                    v[i] = value;
                    if let Ok((out, report)) = strip_metadata(&v) {
                        assert_eq!(report.bytes_after, out.len());
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = strip_metadata(&bytes);
        }

        #[test]
        fn random_tails_after_magic_never_panic(
            which in 0usize..4,
            tail in proptest::collection::vec(proptest::num::u8::ANY, 0..512),
        ) {
            let magic: &[u8] = match which {
                0 => &[0xFF, 0xD8, 0xFF],
                1 => PNG_SIGNATURE,
                2 => b"RIFF\x40\0\0\0WEBP",
                _ => b"GIF89a",
            };
            let mut v = magic.to_vec();
            v.extend(tail);
            let _ = strip_metadata(&v);
        }

        #[test]
        fn mutated_samples_never_panic(
            which in 0usize..4,
            edits in proptest::collection::vec((proptest::num::usize::ANY, proptest::num::u8::ANY), 1..8),
            cut in proptest::num::usize::ANY,
        ) {
            let mut v = samples().swap_remove(which);
            for (at, value) in edits {
                let len = v.len();
                v[at % len] = value;
            }
            let keep = cut % (v.len() + 1);
            v.truncate(keep.max(v.len() / 2));
            if let Ok((out, report)) = strip_metadata(&v) {
                proptest::prop_assert_eq!(report.bytes_after, out.len());
                proptest::prop_assert!(out.len() <= v.len());
            }
        }
    }
}
