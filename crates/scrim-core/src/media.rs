//! Image attachments: strip metadata (EXIF, GPS, XMP, IPTC, comments) without re-encoding.
