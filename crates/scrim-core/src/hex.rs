//! Lowercase hexadecimal, the one encoding of digests, MACs and ids in the workspace.

/// `bytes` as lowercase hexadecimal, two digits a byte.
///
/// ```
/// assert_eq!(scrim_core::hex::encode(&[0x00, 0xab, 0x7f]), "00ab7f");
/// ```
pub fn encode(bytes: &[u8]) -> String {
    let digit = |n: u8| char::from_digit(u32::from(n), 16).unwrap_or('0');
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
    out
}
