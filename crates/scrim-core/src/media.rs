//! Image attachments: strip metadata (EXIF, GPS, XMP, IPTC, comments) without re-encoding.

/// Image formats (stand-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG.
    Jpeg,
}

/// What stripping removed (stand-in).
#[derive(Debug, Clone)]
pub struct StripReport {
    /// Format.
    pub format: ImageFormat,
    /// Removed segment kinds.
    pub removed: Vec<&'static str>,
    /// Size before.
    pub bytes_before: usize,
    /// Size after.
    pub bytes_after: usize,
}

/// Stripping errors (stand-in).
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Unsupported.
    #[error("unsupported image format")]
    Unsupported,
}

/// Strip metadata (stand-in: unsupported).
pub fn strip_metadata(_bytes: &[u8]) -> Result<(Vec<u8>, StripReport), MediaError> {
    Err(MediaError::Unsupported)
}
