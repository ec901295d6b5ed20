//! ID of devices: MAC addresses (`aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, Cisco `aabb.ccdd.eeff`)
//! and IMEIs (15 digits with a Luhn check digit, grouped `AA-BBBBBB-CCCCCC-D` or after a cue).
//!
//! Findings are [`crate::Label::Id`] with the kinds `"MAC"` and `"IMEI"`.

use regex::Regex;

use super::score::device::{IMEI_CUED, IMEI_GROUPED, MAC_ADDRESS, MAC_CUED, MAC_DOTTED};
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Id;

/// Words that announce a MAC address.
const MAC_CUES: &[&str] = &[
    "mac",
    "hwaddr",
    "ether",
    "bssid",
    "wifi address",
    "wi-fi address",
];

/// Words that announce an IMEI.
const IMEI_CUES: &[&str] = &[
    "imei",
    "meid",
    "serial",
    "serial number",
    "serial no",
    "s/n",
    "sn",
    "device id",
];

/// MAC address and IMEI detection.
pub(crate) struct Device {
    mac: (Regex, usize),
    imei: (Regex, usize),
}

impl Device {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Device> {
        Ok(Device {
            mac: g.regex(
                "id.mac",
                r"(?i-u)(?-u:\b)(?:[0-9a-f]{2}(?::[0-9a-f]{2}){5}|[0-9a-f]{2}(?:-[0-9a-f]{2}){5}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})(?-u:\b)",
            )?,
            imei: g.regex(
                "id.imei",
                r"(?-u:\b)(?:[0-9]{2}[\x20-][0-9]{6}[\x20-][0-9]{6}[\x20-][0-9]|[0-9]{15})(?-u:\b)",
            )?,
        })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows {
            if w.hit(self.mac.1) {
                util::each_captures(&self.mac.0, text, w.s, w.e, |c| {
                    if let Some(m) = c.get(0) {
                        mac_at(text, m.start(), m.end(), out);
                    }
                });
            }
            if w.hit(self.imei.1) {
                util::each_captures(&self.imei.0, text, w.s, w.e, |c| {
                    if let Some(m) = c.get(0) {
                        imei_at(text, m.start(), m.end(), out);
                    }
                });
            }
        }
    }
}

/// Judge the MAC candidate `text[s..e]`.
fn mac_at(text: &str, s: usize, e: usize, out: &mut Vec<Finding>) {
    let m = util::slice(text, s, e);
    // Part of a longer colon, dash or dot run (IPv6, a longer hex dump, a version string).
    let glued_before = matches!(util::char_before(text, s), Some(':' | '-' | '.' | '_'))
        || util::alnum_before(text, s);
    let glued_after = matches!(util::byte_at(text, e), Some(b':' | b'-' | b'.' | b'_'))
        && util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_alphanumeric());
    if glued_before || glued_after {
        return;
    }
    let hex: Vec<u8> = m.bytes().filter(u8::is_ascii_hexdigit).collect();
    let all = |c: u8| hex.iter().all(|b| b.eq_ignore_ascii_case(&c));
    if all(b'0') || all(b'f') {
        return;
    }
    // Mixed-case hex is not how tools print MACs.
    let upper = m.bytes().any(|b| b.is_ascii_uppercase());
    let lower = m.bytes().any(|b| b.is_ascii_lowercase());
    if upper && lower {
        return;
    }
    let cue = util::has_cue(&util::lower_before(text, s, 32), MAC_CUES);
    let dotted = m.contains('.');
    let score = if cue {
        MAC_CUED
    } else if dotted {
        // Dotted all-digit groups are more often numbers than MACs.
        if !hex.iter().any(u8::is_ascii_alphabetic) {
            return;
        }
        MAC_DOTTED
    } else {
        MAC_ADDRESS
    };
    util::push(out, text, (s, e), FAM, Some("MAC"), score);
}

/// Judge the IMEI candidate `text[s..e]`.
fn imei_at(text: &str, s: usize, e: usize, out: &mut Vec<Finding>) {
    let digits = util::digits_of(util::slice(text, s, e));
    if digits.len() != 15 || !util::luhn(&digits) || !free_standing(text, s, e) {
        return;
    }
    let cue = util::has_cue(&util::lower_before(text, s, 32), IMEI_CUES);
    let grouped = e - s > 15;
    let score = match (cue, grouped) {
        (true, _) => IMEI_CUED,
        (false, true) => IMEI_GROUPED,
        (false, false) => return,
    };
    util::push(out, text, (s, e), FAM, Some("IMEI"), score);
}

/// Not glued to other digits, decimals or digit groups on either side ("+1 35 ...", "x.35").
pub(super) fn free_standing(text: &str, s: usize, e: usize) -> bool {
    let digit_at = |i: usize| util::byte_at(text, i).is_some_and(|b| b.is_ascii_digit());
    let sep = |c: u8| matches!(c, b' ' | b'-' | b'.' | b'/' | b',' | b'_');
    let before = match util::byte_at(text, s.wrapping_sub(1)) {
        Some(b'+' | b'$' | b'_') => false,
        Some(c) if sep(c) && s >= 2 => !digit_at(s - 2),
        _ => true,
    };
    let after = match util::byte_at(text, e) {
        Some(c) if sep(c) => !digit_at(e + 1),
        _ => true,
    };
    // Letters of scripts written without spaces (CJK) may touch the value; ASCII ones may not.
    let ascii = |i: Option<u8>| i.is_some_and(|b| b.is_ascii_alphanumeric());
    before
        && after
        && !ascii(util::byte_at(text, s.wrapping_sub(1)))
        && !ascii(util::byte_at(text, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::find_with;

    fn found(t: &str) -> Vec<(&str, Option<&'static str>)> {
        let out = find_with(t, Device::new, Device::find);
        for f in &out {
            assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
        }
        out.iter()
            .map(|f| (f.span.slice(t).unwrap(), f.kind))
            .collect()
    }

    #[test]
    fn mac_addresses() {
        let mac = Some("MAC");
        assert_eq!(
            found("my laptop's MAC is 3c:22:fb:9a:41:07."),
            vec![("3c:22:fb:9a:41:07", mac)]
        );
        assert_eq!(found("3C-22-FB-9A-41-07"), vec![("3C-22-FB-9A-41-07", mac)]);
        assert_eq!(
            found("iface 3c22.fb9a.4107 up"),
            vec![("3c22.fb9a.4107", mac)]
        );
        assert_eq!(
            found("🙂 MAC：3c:22:fb:9a:41:07 😀"),
            vec![("3c:22:fb:9a:41:07", mac)]
        );
        for t in [
            "00:00:00:00:00:00",
            "ff:ff:ff:ff:ff:ff",
            "FF-FF-FF-FF-FF-FF",
            "fe80::3c22:fbff:fe9a:4107",
            "2001:db8:3c:22:fb:9a:41:07",
            "3c:22:fb:9a:41:07:aa:bb",
            "version 1.2.3.4",
            "1234.5678.9012",
            "sha 3c22fb9a4107a1b2c3d4",
            "at 10:30:00",
            "3C:22:fb:9a:41:07",
        ] {
            assert!(found(t).is_empty(), "{t:?} -> {:?}", found(t));
        }
    }

    /// 490154203237518 is the IMEI used as an example in the GSMA/Wikipedia "International
    /// Mobile Equipment Identity" article (check digit 8 by Luhn).
    #[test]
    fn imeis() {
        let imei = Some("IMEI");
        assert_eq!(
            found("IMEI: 490154203237518"),
            vec![("490154203237518", imei)]
        );
        assert_eq!(
            found("imei 49-015420-323751-8 🙂"),
            vec![("49-015420-323751-8", imei)]
        );
        assert_eq!(
            found("49 015420 323751 8"),
            vec![("49 015420 323751 8", imei)]
        );
        assert_eq!(
            found("序列号 serial 490154203237518"),
            vec![("490154203237518", imei)]
        );
        // One digit off, no cue on a plain run, glued to more digits.
        assert!(found("IMEI: 490154203237519").is_empty());
        assert!(found("490154203237518").is_empty());
        assert!(found("imei 1490154203237518").is_empty());
        assert!(found("49 015420 323751 8 9").is_empty());
    }
}
