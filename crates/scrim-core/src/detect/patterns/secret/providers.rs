//! Provider tokens: a documented prefix, a body of a known alphabet and length, and for GitHub and
//! npm tokens a CRC32 checksum in the last six characters.

use super::super::util;
use super::score;

/// The characters a token body may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Body {
    /// `[A-Za-z0-9]`.
    Base62,
    /// `[A-Za-z0-9_-]`.
    Base64Url,
    /// `[A-Za-z0-9+/=]`.
    Base64,
    /// `[A-Z0-9]`.
    Upper,
    /// `[0-9a-f]` (either case).
    Hex,
    /// `[A-Za-z0-9_]`.
    Word,
    /// `[A-Za-z0-9-]`.
    Dashed,
    /// `[A-Za-z0-9/_-]`: webhook URL paths.
    Path,
    /// `[A-Za-z0-9_.-]`: SendGrid's two dotted parts.
    Dotted,
}

impl Body {
    fn allows(self, b: u8) -> bool {
        let an = b.is_ascii_alphanumeric();
        match self {
            Body::Base62 => an,
            Body::Base64Url => an || b == b'_' || b == b'-',
            Body::Base64 => an || b == b'+' || b == b'/' || b == b'=',
            Body::Upper => b.is_ascii_uppercase() || b.is_ascii_digit(),
            Body::Hex => b.is_ascii_hexdigit(),
            Body::Word => an || b == b'_',
            Body::Dashed => an || b == b'-',
            Body::Path => an || b == b'/' || b == b'_' || b == b'-',
            Body::Dotted => an || b == b'_' || b == b'-' || b == b'.',
        }
    }
}

/// Extra validation of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Check {
    /// The body's shape is the whole test (a digit is still required in long free-form bodies).
    None,
    /// The last six body characters are the base62 CRC32 of the rest (GitHub, npm).
    Crc32,
    /// SendGrid: 22 characters, a dot, 43 characters.
    SendGrid,
}

/// One provider's token format.
#[derive(Clone, Copy, Debug)]
pub(super) struct Provider {
    /// The literal, case-sensitive prefix.
    pub prefix: &'static str,
    /// The finding's kind.
    pub kind: &'static str,
    body: Body,
    min: usize,
    max: usize,
    check: Check,
}

const fn p(
    prefix: &'static str,
    kind: &'static str,
    body: Body,
    min: usize,
    max: usize,
    check: Check,
) -> Provider {
    Provider {
        prefix,
        kind,
        body,
        min,
        max,
        check,
    }
}

use Body::*;
use Check::None as N;

/// Every provider format. Longer prefixes that extend shorter ones (`sk-ant-api03-`, `sk-`) are
/// told apart by the prefilter's leftmost-longest matching.
pub(super) const PROVIDERS: &[Provider] = &[
    p("AKIA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("ASIA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("AGPA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("AIDA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("AROA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("AIPA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("ANPA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("ANVA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("APKA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("ABIA", "AWS_ACCESS_KEY_ID", Upper, 16, 16, N),
    p("ghp_", "GITHUB_TOKEN", Base62, 36, 36, Check::Crc32),
    p("gho_", "GITHUB_TOKEN", Base62, 36, 36, Check::Crc32),
    p("ghu_", "GITHUB_TOKEN", Base62, 36, 36, Check::Crc32),
    p("ghs_", "GITHUB_TOKEN", Base62, 36, 36, Check::Crc32),
    p("ghr_", "GITHUB_TOKEN", Base62, 36, 36, Check::Crc32),
    p("github_pat_", "GITHUB_TOKEN", Word, 70, 100, N),
    p("glpat-", "GITLAB_TOKEN", Base64Url, 20, 64, N),
    p("glptt-", "GITLAB_TOKEN", Base64Url, 20, 64, N),
    p("glrt-", "GITLAB_TOKEN", Base64Url, 20, 64, N),
    p("xoxb-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p("xoxp-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p("xoxa-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p("xoxr-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p("xoxs-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p("xoxe-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p("xapp-", "SLACK_TOKEN", Dashed, 20, 250, N),
    p(
        "hooks.slack.com/services/",
        "SLACK_WEBHOOK",
        Path,
        20,
        120,
        N,
    ),
    p(
        "discord.com/api/webhooks/",
        "DISCORD_WEBHOOK",
        Path,
        40,
        150,
        N,
    ),
    p(
        "discordapp.com/api/webhooks/",
        "DISCORD_WEBHOOK",
        Path,
        40,
        150,
        N,
    ),
    p("sk_live_", "STRIPE_KEY", Base62, 20, 250, N),
    p("sk_test_", "STRIPE_KEY", Base62, 20, 250, N),
    p("rk_live_", "STRIPE_KEY", Base62, 20, 250, N),
    p("rk_test_", "STRIPE_KEY", Base62, 20, 250, N),
    p("whsec_", "STRIPE_KEY", Base62, 24, 100, N),
    p("sk-proj-", "OPENAI_KEY", Base64Url, 40, 250, N),
    p("sk-svcacct-", "OPENAI_KEY", Base64Url, 40, 250, N),
    p("sk-admin-", "OPENAI_KEY", Base64Url, 40, 250, N),
    p("sk-ant-api03-", "ANTHROPIC_KEY", Base64Url, 80, 120, N),
    p("sk-ant-admin01-", "ANTHROPIC_KEY", Base64Url, 80, 120, N),
    p("sk-", "OPENAI_KEY", Base62, 40, 64, N),
    p("AIza", "GOOGLE_API_KEY", Base64Url, 35, 35, N),
    p("ya29.", "GOOGLE_OAUTH_TOKEN", Base64Url, 20, 2048, N),
    p("hf_", "HUGGINGFACE_TOKEN", Base62, 34, 34, N),
    p("npm_", "NPM_TOKEN", Base62, 36, 36, Check::Crc32),
    p("pypi-AgEIcHlwaS5vcmc", "PYPI_TOKEN", Base64Url, 40, 300, N),
    p("SG.", "SENDGRID_KEY", Dotted, 66, 66, Check::SendGrid),
    p("shpat_", "SHOPIFY_TOKEN", Hex, 32, 32, N),
    p("shpss_", "SHOPIFY_TOKEN", Hex, 32, 32, N),
    p("shpca_", "SHOPIFY_TOKEN", Hex, 32, 32, N),
    p("shppa_", "SHOPIFY_TOKEN", Hex, 32, 32, N),
    p("dop_v1_", "DIGITALOCEAN_TOKEN", Hex, 64, 64, N),
    p("doo_v1_", "DIGITALOCEAN_TOKEN", Hex, 64, 64, N),
    p("dor_v1_", "DIGITALOCEAN_TOKEN", Hex, 64, 64, N),
    p("key-", "MAILGUN_KEY", Hex, 32, 32, N),
    p("sq0atp-", "SQUARE_TOKEN", Base64Url, 22, 60, N),
    p("sq0csp-", "SQUARE_TOKEN", Base64Url, 40, 60, N),
    p("ATATT3", "ATLASSIAN_TOKEN", Base64Url, 150, 250, N),
    p("hvs.", "VAULT_TOKEN", Base64Url, 24, 200, N),
    p("dapi", "DATABRICKS_TOKEN", Hex, 32, 32, N),
    p("lin_api_", "LINEAR_KEY", Base62, 40, 40, N),
    p("PMAK-", "POSTMAN_KEY", Dashed, 50, 70, N),
    p("glsa_", "GRAFANA_TOKEN", Word, 32, 48, N),
    p("xkeysib-", "BREVO_KEY", Dashed, 60, 90, N),
    p("AccountKey=", "AZURE_STORAGE_KEY", Base64, 40, 100, N),
    p("SharedAccessKey=", "AZURE_STORAGE_KEY", Base64, 40, 100, N),
];

/// Validate the token whose `prefix` matched at `s..m_end`; its end and score on success.
pub(super) fn judge(text: &str, prov: &Provider, s: usize, m_end: usize) -> Option<(usize, f32)> {
    if util::slice(text, s, m_end) != prov.prefix || !start_ok(text, s, prov) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut e = m_end;
    while e < bytes.len()
        && e - m_end <= prov.max
        && bytes.get(e).is_some_and(|&b| prov.body.allows(b))
    {
        e += 1;
    }
    // Bodies that may end in a separator do not take a trailing one.
    while e > m_end
        && matches!(
            util::byte_at(text, e - 1),
            Some(b'-' | b'_' | b'.' | b'/' | b'=')
        )
        && prov.body != Body::Base64
    {
        e -= 1;
    }
    let body = util::slice(text, m_end, e);
    let n = body.len();
    if n < prov.min || n > prov.max || util::alnum_after(text, e) {
        return None;
    }
    match prov.check {
        Check::Crc32 if crc_ok(body) => Some((e, score::CHECKSUM_TOKEN)),
        Check::Crc32 => None,
        Check::SendGrid => sendgrid_ok(body).then_some((e, score::PROVIDER_TOKEN)),
        Check::None if plausible(body, prov) => Some((e, score::PROVIDER_TOKEN)),
        Check::None => None,
    }
}

/// A token starts a word: no letter or digit before it (URL-style prefixes may follow `//`).
fn start_ok(text: &str, s: usize, prov: &Provider) -> bool {
    match util::char_before(text, s) {
        Some(c) if c.is_alphanumeric() => false,
        Some('_' | '-') => prov.prefix.ends_with('='),
        _ => true,
    }
}

/// A free-form body must look random: a digit (or, for long bodies, mixed case) and no long run
/// of one character ("xxxxxxxx…" placeholders).
fn plausible(body: &str, prov: &Provider) -> bool {
    let digit = body.bytes().any(|b| b.is_ascii_digit());
    let upper = body.bytes().any(|b| b.is_ascii_uppercase());
    let lower = body.bytes().any(|b| b.is_ascii_lowercase());
    let varied = digit || (upper && lower && body.len() >= 30);
    let fixed = prov.min == prov.max && prov.body != Body::Base64Url;
    (varied || fixed) && !super::value::is_placeholder(body)
}

fn sendgrid_ok(body: &str) -> bool {
    let mut parts = body.split('.');
    let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    a.len() == 22 && b.len() == 43
}

/// The base62 alphabet of GitHub's and npm's checksums.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Whether the last six characters of `body` are the base62 CRC32 of the rest, zero-padded.
pub(super) fn crc_ok(body: &str) -> bool {
    let Some(split) = body.len().checked_sub(6) else {
        return false;
    };
    let (Some(data), Some(sum)) = (body.get(..split), body.get(split..)) else {
        return false;
    };
    base62_6(crc32(data.as_bytes())).as_bytes() == sum.as_bytes()
}

/// `n` in base62, left-padded with `0` to six characters.
pub(super) fn base62_6(mut n: u32) -> String {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        let d = (n % 62) as usize;
        *slot = BASE62.get(d).copied().unwrap_or(b'0');
        n /= 62;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

/// CRC-32 (IEEE 802.3, reflected, as in zlib).
pub(super) fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_zlib() {
        // zlib.crc32(b"123456789") == 0xCBF43926, the standard check value.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(base62_6(0), "000000");
        assert_eq!(base62_6(61), "00000z");
        assert_eq!(base62_6(62), "000010");
    }

    #[test]
    fn prefixes_are_unique() {
        for (i, a) in PROVIDERS.iter().enumerate() {
            for b in PROVIDERS.iter().skip(i + 1) {
                assert_ne!(a.prefix, b.prefix);
            }
        }
    }
}
