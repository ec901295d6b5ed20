//! IP: IPv4 dotted quads (octets 0–255, not part of a longer dotted run such as a version string,
//! not loopback, "any", broadcast, a netmask or a network range such as `10.0.0.0/8`) and IPv6 (full, compressed, with an IPv4 tail), checked with [`std::net::Ipv6Addr`].

use std::net::Ipv6Addr;
use std::str::FromStr;

use regex::Regex;

use super::score::ip::{VALID_IPV4, VALID_IPV6};
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Ip;

/// IP address detection.
pub(crate) struct Ip {
    v4: Regex,
    v6: Regex,
    g4: usize,
    g6: usize,
}

impl Ip {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Ip> {
        let (v4, g4) = g.regex(
            "ip.v4",
            r"(?-u:\b)[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?-u:\b)",
        )?;
        let v6 = util::compile("ip.v6", r"(?i-u)[0-9a-f]{0,4}:[0-9a-f:.]*[0-9a-f]")?;
        // Gate: at least two colons between hex digits.
        let g6 = g.add(r"(?i-u)[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*[0-9a-f]");
        Ok(Ip { v4, v6, g4, g6 })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        let from = out.len();
        self.find_all(text, windows, out);
        // An IPv4 tail inside an IPv6 address is not a second address.
        util::drop_contained(out, from);
    }

    fn find_all(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows {
            let (ws, we) = (w.s, w.e);
            if w.hit(self.g4) {
                util::each_captures(&self.v4, text, ws, we, |c| {
                    let Some(m) = c.get(0) else { return };
                    if v4_ok(text, m.start(), m.end()) {
                        util::push(
                            out,
                            text,
                            (m.start(), m.end()),
                            FAM,
                            Some("IPV4"),
                            VALID_IPV4,
                        );
                    }
                });
            }
            if w.hit(self.g6) {
                util::each_captures(&self.v6, text, ws, we, |c| {
                    let Some(m) = c.get(0) else { return };
                    if v6_ok(text, m.start(), m.end()) {
                        util::push(
                            out,
                            text,
                            (m.start(), m.end()),
                            FAM,
                            Some("IPV6"),
                            VALID_IPV6,
                        );
                    }
                });
            }
        }
    }
}

/// Octets in range, no leading zeros, not inside a longer dotted run, not a version number.
fn v4_ok(text: &str, s: usize, e: usize) -> bool {
    let cand = util::slice(text, s, e);
    for oct in cand.split('.') {
        if oct.len() > 1 && oct.starts_with('0') {
            return false;
        }
        if !matches!(util::num(oct), Some(v) if v <= 255) {
            return false;
        }
    }
    // Not part of a longer dotted sequence: "1.2.3.4.5", "v1.2.3.4".
    if matches!(util::char_before(text, s), Some('.' | '-' | '_')) {
        return false;
    }
    if matches!(util::byte_at(text, e), Some(b'.' | b'-' | b'_'))
        && util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_alphanumeric())
    {
        return false;
    }
    if about_no_one(cand) || network_range(text, cand, e) {
        return false;
    }
    let before = util::lower_before(text, s, 12);
    let t = before.trim_end();
    !(t.ends_with("version")
        || t.ends_with("ver")
        || t.ends_with("ver.")
        || t.ends_with('v')
        || t.ends_with("release")
        || t.ends_with("build")
        || t.ends_with("pinned at")
        || t.ends_with("==")
        || t.ends_with(">=")
        || t.ends_with("<=")
        || t.ends_with("~="))
}

/// Addresses that are no one's: loopback (127.0.0.0/8), "any" (0.0.0.0), broadcast and netmasks
/// (a first octet of 255).
fn about_no_one(quad: &str) -> bool {
    quad.starts_with("127.") || quad == "0.0.0.0" || quad.starts_with("255.")
}

/// A network written with its prefix length and a zero host part ("10.0.0.0/8",
/// "100.64.0.0/10"): a range, not a machine.
fn network_range(text: &str, quad: &str, e: usize) -> bool {
    quad.ends_with(".0")
        && util::byte_at(text, e) == Some(b'/')
        && util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_digit())
}

/// Parses as IPv6, has enough hex digits to be an address, and stands alone.
fn v6_ok(text: &str, s: usize, e: usize) -> bool {
    let cand = util::slice(text, s, e);
    if cand.bytes().filter(|b| *b == b':').count() < 2
        || cand.bytes().filter(u8::is_ascii_hexdigit).count() < 4
    {
        return false;
    }
    if util::alnum_before(text, s) || matches!(util::char_before(text, s), Some(':' | '.')) {
        return false;
    }
    if util::alnum_after(text, e)
        || (util::byte_at(text, e) == Some(b':')
            && util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_hexdigit()))
    {
        return false;
    }
    Ipv6Addr::from_str(cand).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts};

    fn ips(t: &str) -> Vec<&str> {
        texts(t, &find_with(t, Ip::new, Ip::find))
    }

    #[test]
    fn v4() {
        assert_eq!(ips("my ip is 192.168.1.100."), vec!["192.168.1.100"]);
        assert_eq!(
            ips("16.244.11.141, 8.8.8.8"),
            vec!["16.244.11.141", "8.8.8.8"]
        );
        assert_eq!(ips("host 10.0.0.1:8080"), vec!["10.0.0.1"]);
        assert_eq!(ips("आईपी 10.0.0.1 है"), vec!["10.0.0.1"]);
        assert!(ips("256.1.1.1").is_empty());
        assert!(ips("1.2.3.4.5").is_empty());
        assert!(ips("runs on 127.0.0.1:5000, bind 0.0.0.0").is_empty());
        assert!(ips("Subnet Mask . . : 255.255.255.0").is_empty());
        assert!(ips("the range 100.64.0.0/10 is CGNAT").is_empty());
        assert!(ips("a dependency pinned at 2.3.1.4").is_empty());
        assert_eq!(ips("host 10.0.0.5/24"), vec!["10.0.0.5"]);
        assert!(ips("version 1.2.3.4").is_empty());
        assert!(ips("v1.2.3.4").is_empty());
        assert!(ips("01.02.03.04").is_empty());
        assert!(ips("12.03.1994").is_empty());
    }

    #[test]
    fn v6() {
        assert_eq!(ips("addr 2001:db8::1 ok"), vec!["2001:db8::1"]);
        assert_eq!(
            ips("6e40:4041:c617:e898:c11:40d2:c669:2eb4"),
            vec!["6e40:4041:c617:e898:c11:40d2:c669:2eb4"]
        );
        assert_eq!(ips("::ffff:192.0.2.128"), vec!["::ffff:192.0.2.128"]);
        assert_eq!(
            ips("fe80::1ff:fe23:4567:890a."),
            vec!["fe80::1ff:fe23:4567:890a"]
        );
        assert!(ips("at 10:30:45").is_empty());
        assert!(ips("mac 00:1a:2b:3c:4d:5e").is_empty());
        assert!(ips("std::vec2").is_empty());
        assert!(ips("::1").is_empty());
    }
}
