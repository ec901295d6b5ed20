//! DATE: numeric dates (12/03/1994, 3-12-1994, 1994-03-12, 12.03.1994, and 2/14 after a date
//! word), written dates ("March 3rd", "3rd of March", "3 March 1994", "Mar 3, 1994", Spanish
//! "3 de marzo de 1994"), and bare years after birth words ("born in 1994", "class of 2012").
//! Day and month ranges are checked. Ranges ("2019-2021", "from 3 to 7 May") are in
//! [`super::date_range`].
//!
//! Relative times are not dates: "3 din baad" (in 3 days), "kal", "in two weeks", "hace 3 días"
//! name no calendar day, and once the message's own time is gone they point at nothing; flagging
//! them would blank ordinary planning chat ("2 din baad milte hain"). Only an explicit day and
//! month (or a month and year, or a birth year) is a DATE. A relative phrase tied to a personal
//! event ("surgery 3 din baad") still leaves the event words, which are not ours to judge here.

use regex::{Captures, Regex};

use super::score::date::{
    BIRTH_YEAR, CUED_SHORT, MONTH_YEAR, NUMERIC_FULL_YEAR, NUMERIC_SHORT_YEAR,
    WRITTEN_WITHOUT_YEAR, WRITTEN_WITH_YEAR,
};
use super::util::{self, GateBuilder, Win};
use super::words;
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Date;

/// Words before a short "2/14" that make it a date.
const SHORT_CUES: &[&str] = &[
    "on",
    "born",
    "birthday",
    "bday",
    "b-day",
    "dob",
    "d.o.b",
    "date",
    "dated",
    "anniversary",
    "appointment",
    "appt",
    "due",
    "until",
    "till",
    "since",
    "before",
    "after",
    "from",
    "by",
];

/// Date detection.
pub(crate) struct Date {
    numeric: (Regex, usize),
    short: (Regex, usize),
    month_day: (Regex, usize),
    day_month: (Regex, usize),
    spanish: (Regex, usize),
    /// Day then month in other languages and scripts: "5 mai 2020", "3. Mai 2021", "12 marzo",
    /// "३ मार्च २०२१". Word edges are checked in code ([`written_hit`]): ASCII `\b` does not
    /// see Devanagari.
    intl: (Regex, usize),
    month_year: (Regex, usize),
    birth_year: (Regex, usize),
    ranges: super::date_range::DateRange,
}

impl Date {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Date> {
        let en = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
        let es = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre";
        let full =
            "january|february|march|april|may|june|july|august|september|october|november|december";
        let time = r"(?:[ T](?P<t>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?))?";
        Ok(Date {
            numeric: g.regex(
                "date.numeric",
                &format!(r"(?-u:\b)(?P<a>[0-9]{{1,4}})(?P<s1>[/.\-])(?P<b>[0-9]{{1,2}})(?P<s2>[/.\-])(?P<c>[0-9]{{1,4}})(?-u:\b){time}"),
            )?,
            short: g.regex("date.short", r"(?-u:\b)(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})(?-u:\b)")?,
            month_day: g.regex(
                "date.month_day",
                &format!(r"(?i-u)(?-u:\b)(?P<mon>{en})(?-u:\b)\.?,?\s+(?:the\s+)?(?P<d>[0-9]{{1,2}})(?P<ord>st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<y>[0-9]{{4}})(?-u:\b))?"),
            )?,
            day_month: g.regex(
                "date.day_month",
                &format!(r"(?i-u)(?-u:\b)(?P<d>[0-9]{{1,2}})(?P<ord>st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{en})(?-u:\b)\.?(?:,?\s+(?P<y>[0-9]{{4}})(?-u:\b))?"),
            )?,
            spanish: g.regex(
                "date.spanish",
                &format!(r"(?i-u)(?-u:\b)(?P<d>[0-9]{{1,2}})\s+de\s+(?P<mon>{es})(?-u:\b)(?:\s+(?:de|del)\s+(?P<y>[0-9]{{4}})(?-u:\b))?"),
            )?,
            intl: g.regex(
                "date.intl",
                &format!(
                    r"(?i-u)(?P<d>{dg}{{1,2}})(?P<ord>\.|er|(?u:º))?\s+(?:de\s+)?(?P<mon>(?u:{all}))\.?(?:,?\s+(?:de\s+|del\s+)?(?P<y>{dg}{{4}}))?",
                    all = words::month_alternation(),
                    dg = "(?u:[0-9०-९])",
                ),
            )?,
            month_year: g.regex(
                "date.month_year",
                &format!(r"(?i-u)(?-u:\b)(?P<mon>{full}|{es})(?:\s+(?:de|of))?,?\s+(?P<y>(?:19|20)[0-9]{{2}})(?-u:\b)"),
            )?,
            birth_year: g.regex(
                "date.birth_year",
                r"(?i-u)(?-u:\b)(?:born(?:\s+(?:in|on))?|class\s+of|batch\s+of|dob|d\.o\.b\.?|year\s+of\s+birth|birth\s+year|graduated(?:\s+in)?|nací\s+en|naci\s+en)\s*:?\s*(?P<y>(?:19|20)[0-9]{2}|'[0-9]{2})(?-u:\b)",
            )?,
            ranges: super::date_range::DateRange::new(g)?,
        })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        let from = out.len();
        self.find_all(text, windows, out);
        let found = out.split_off(from);
        out.extend(
            found
                .into_iter()
                .filter(|f| !reference_date(text, f.span.start())),
        );
        util::drop_contained(out, from);
    }

    fn find_all(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows {
            let (ws, we) = (w.s, w.e);
            self.ranges.find_in(text, w, out);
            if w.hit(self.numeric.1) {
                util::each_captures(&self.numeric.0, text, ws, we, |c| {
                    self.numeric_hit(text, c, out)
                });
            }
            if w.hit(self.short.1) {
                util::each_captures(&self.short.0, text, ws, we, |c| short_hit(text, c, out));
            }
            for re in [&self.month_day, &self.day_month, &self.spanish, &self.intl] {
                if w.hit(re.1) {
                    util::each_captures(&re.0, text, ws, we, |c| written_hit(text, c, out));
                }
            }
            if w.hit(self.month_year.1) {
                util::each_captures(&self.month_year.0, text, ws, we, |c| {
                    let (Some(m), Some(mon)) = (c.get(0), c.name("mon")) else {
                        return;
                    };
                    if mon.as_str() == "may" {
                        return;
                    }
                    util::push(out, text, (m.start(), m.end()), FAM, None, MONTH_YEAR);
                });
            }
            if w.hit(self.birth_year.1) {
                util::each_captures(&self.birth_year.0, text, ws, we, |c| {
                    let Some(y) = c.name("y") else { return };
                    util::push(out, text, (y.start(), y.end()), FAM, None, BIRTH_YEAR);
                });
            }
        }
    }

    /// A numeric date: three numbers with the same separator, in a day/month/year order.
    fn numeric_hit(&self, text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
        let (Some(m), Some(a), Some(b), Some(cc), Some(s1), Some(s2)) = (
            c.get(0),
            c.name("a"),
            c.name("b"),
            c.name("c"),
            c.name("s1"),
            c.name("s2"),
        ) else {
            return;
        };
        if s1.as_str() != s2.as_str() || in_longer_run(text, m.start(), cc.end()) {
            return;
        }
        let (la, lc) = (a.as_str().len(), cc.as_str().len());
        let (Some(x), Some(y), Some(z)) = (
            util::num(a.as_str()),
            util::num(b.as_str()),
            util::num(cc.as_str()),
        ) else {
            return;
        };
        if !numeric_order_ok((la, lc), (x, y, z), s1.as_str() == ".") {
            return;
        }
        if la == 4 && s1.as_str() == "-" && !iso_cue(text, m.start()) {
            // ISO dates without a word for them are machine-made: timestamps, table cells,
            // file names, test data.
            return;
        }
        let score = if lc == 4 || la == 4 {
            NUMERIC_FULL_YEAR
        } else {
            NUMERIC_SHORT_YEAR
        };
        util::push(out, text, (m.start(), m.end()), FAM, None, score);
    }
}

/// Words that make an ISO date someone's: a date field, a birthday, an event ("Date:", "DOB",
/// "born", "on", "from ... until"), in a few languages ("fecha", "Datum", "data").
const ISO_CUES: &[&str] = &[
    "date",
    "dated",
    "when",
    "on",
    "born",
    "birth",
    "birthday",
    "bday",
    "dob",
    "d.o.b",
    "data",
    "fecha",
    "datum",
    "appointment",
    "due",
    "since",
    "until",
    "from",
    "to",
    "deadline",
    "expires",
    "expiry",
    "issued",
    "joined",
    "hired",
    "started",
    "married",
    "died",
    "wedding",
];

/// Whether a word of [`ISO_CUES`] ends right before `s` (separated by spaces, `:` or `=`), so the
/// ISO date there is someone's rather than machine-made.
fn iso_cue(text: &str, s: usize) -> bool {
    let before = util::lower_before(text, s, 24);
    let t = before.trim_end_matches([' ', '\t', ':', '=', '"', '\'']);
    let word = t
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
        .next()
        .unwrap_or("");
    if ISO_CUES.contains(&word) {
        return true;
    }
    // Scripts without spaces: the cue ends right before, maybe with a particle ("生日是").
    let t = t.trim_end_matches(['是', 'は', '：', '为', '為', '은', '는', ' ']);
    ISO_CUES_UNSPACED.iter().any(|c| t.ends_with(c))
}

/// [`ISO_CUES`] of scripts written without spaces, and Devanagari: birthday, born, date.
const ISO_CUES_UNSPACED: &[&str] = &[
    "生日",
    "出生",
    "日期",
    "誕生日",
    "生年月日",
    "日付",
    "생일",
    "날짜",
    "जन्म",
    "तारीख",
];

/// Whether the numeric date from `s` to `e` (the end of its third number) is part of a longer run
/// (IPs, versions, phone numbers).
fn in_longer_run(text: &str, s: usize, e: usize) -> bool {
    matches!(
        util::char_before(text, s),
        Some('.' | '/' | '-' | ':' | '+' | '$')
    ) || (matches!(util::byte_at(text, e), Some(b'.' | b'/' | b'-'))
        && util::byte_at(text, e + 1).is_some_and(|x| x.is_ascii_digit()))
}

/// Whether numbers `(x, y, z)` with first and last lengths `(la, lc)` are a date: Y-M-D with a
/// four-digit year first, or D-M-Y / M-D-Y with a two- or four-digit year last (four digits when
/// `dotted`, "12.03.1994").
fn numeric_order_ok((la, lc): (usize, usize), (x, y, z): (u32, u32, u32), dotted: bool) -> bool {
    if la == 4 {
        // Year first: Y-M-D.
        lc <= 2 && year_ok(x) && day_ok(z, y)
    } else if la <= 2 && (lc == 4 || lc == 2) {
        if dotted && lc != 4 {
            false
        } else {
            let year_fine = lc == 2 || year_ok(z);
            year_fine && (day_ok(x, y) || day_ok(y, x))
        }
    } else {
        false
    }
}

/// Whether `[s, e)` is a term of a sum: an `=` or an operator right before or after it
/// ("2/14 = 1/7", "x = 3/4").
fn arithmetic(text: &str, s: usize, e: usize) -> bool {
    let after = util::slice(text, e, util::floor_boundary(text, e.saturating_add(4)));
    let before = util::lower_before(text, s, 4);
    let op = |c: char| matches!(c, '=' | '+' | '*' | '×' | '÷');
    after.trim_start().starts_with(op) || before.trim_end().ends_with(op)
}

/// "2/14" with a date word before it.
fn short_hit(text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
    let (Some(m), Some(a), Some(b)) = (c.get(0), c.name("a"), c.name("b")) else {
        return;
    };
    if matches!(
        util::char_before(text, m.start()),
        Some('/' | '.' | '-' | ':' | '$')
    ) || matches!(
        util::byte_at(text, m.end()),
        Some(b'/' | b'.' | b'-' | b':' | b'%')
    ) && util::byte_at(text, m.end() + 1).is_some_and(|x| x.is_ascii_digit())
        || util::byte_at(text, m.end()) == Some(b'/')
    {
        return;
    }
    if arithmetic(text, m.start(), m.end()) {
        return;
    }
    let (Some(x), Some(y)) = (util::num(a.as_str()), util::num(b.as_str())) else {
        return;
    };
    if !(day_ok(y, x) || day_ok(x, y)) {
        return;
    }
    let before = util::lower_before(text, m.start(), 24);
    if !util::has_cue(&before, SHORT_CUES) {
        return;
    }
    util::push(out, text, (m.start(), m.end()), FAM, None, CUED_SHORT);
}

/// A written date: month name plus day (and maybe year).
fn written_hit(text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
    let (Some(m), Some(mon), Some(d)) = (c.get(0), c.name("mon"), c.name("d")) else {
        return;
    };
    let Some(month) = words::any_month_number(mon.as_str()) else {
        return;
    };
    let Some(day) = util::num_any(d.as_str()) else {
        return;
    };
    if !word_edges(text, m.start(), mon.end()) {
        return;
    }
    if !day_ok(day, month) {
        return;
    }
    let has_year = c.name("y").is_some();
    let has_ord = c.name("ord").is_some();
    // "may" the verb, "mai" (Hinglish "I", French May), "mars" the planet: need a capital, a
    // year, an ordinal or a French or German article before the day ("le 5 mai").
    if matches!(mon.as_str(), "may" | "mai" | "mars") && !has_year && !has_ord {
        let before = util::lower_before(text, m.start(), 8);
        let last = before.split_whitespace().next_back().unwrap_or("");
        if mon.as_str() == "may" || !matches!(last, "le" | "du" | "au" | "am" | "vom" | "ab") {
            return;
        }
    }
    // Not glued to more digits ("March 3.5", "3:30").
    if matches!(
        util::byte_at(text, m.end()),
        Some(b'.' | b':' | b',' | b'/')
    ) && util::byte_at(text, m.end() + 1).is_some_and(|x| x.is_ascii_digit())
    {
        return;
    }
    if let Some(y) = c.name("y") {
        if !util::num_any(y.as_str()).is_some_and(year_ok) {
            return;
        }
    }
    let score = if has_year {
        WRITTEN_WITH_YEAR
    } else {
        WRITTEN_WITHOUT_YEAR
    };
    let end = end_before_dot(m.as_str(), mon.as_str(), m.end());
    util::push(out, text, (m.start(), end), FAM, None, score);
}

/// Where a written date matched as `matched`, ending at `end`, really ends: a dot after a full
/// month name ("5 de marzo.") ends the sentence, not an abbreviation ("Sept."), so it is left out.
pub(super) fn end_before_dot(matched: &str, mon: &str, end: usize) -> usize {
    let abbreviation = matches!(
        mon.to_ascii_lowercase().as_str(),
        "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    );
    if matched.ends_with('.') && !matched.ends_with(mon) && !abbreviation {
        end - 1
    } else {
        end
    }
}

/// Whether a written date from `s` to the end of its month word `mon_end` stands alone: no letter
/// or digit glued before the day or after the month ("marchand", "A12 mai").
fn word_edges(text: &str, s: usize, mon_end: usize) -> bool {
    !util::alnum_before(text, s) && !util::alnum_after(text, mon_end)
}

/// A plausible four-digit year.
fn year_ok(y: u32) -> bool {
    (1900..=2099).contains(&y)
}

/// Whether `day` exists in `month` (29 February allowed).
fn day_ok(day: u32, month: u32) -> bool {
    let max = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=max).contains(&day)
}

/// Words before a date that make it the date of a document, a page or a report, not of anyone's
/// life: "Accessed on March 4, 2023", "retrieved 2 May 2021", "as of November 30th, 2020",
/// "Current date: ...", "Last updated: ...".
const REFERENCE_CUES: &[&str] = &[
    "accessed",
    "accessed on",
    "retrieved",
    "retrieved on",
    "as of",
    "current date",
    "current date:",
    "last updated",
    "last updated:",
    "last updated on",
    "last modified",
    "last modified:",
];

/// Whether the date starting at byte `s` follows one of [`REFERENCE_CUES`].
fn reference_date(text: &str, s: usize) -> bool {
    let before = text.get(..s).unwrap_or("");
    let tail = before
        .char_indices()
        .rev()
        .nth(24)
        .map_or(before, |(k, _)| before.get(k..).unwrap_or(before));
    let tail = tail.trim_end().to_lowercase();
    REFERENCE_CUES.iter().any(|c| {
        tail.ends_with(c)
            && !tail
                .get(..tail.len() - c.len())
                .and_then(|h| h.chars().next_back())
                .is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts_by_position};

    fn dates(t: &str) -> Vec<&str> {
        texts_by_position(t, &find_with(t, Date::new, Date::find))
    }

    #[test]
    fn dates_of_documents_are_not_personal() {
        for t in [
            "Grand View Research. Accessed on February 20, 2023. <https://x.test>",
            "Retrieved on March 4, 2023 from the archive",
            "the EAUM is $190.9 billion as of November 30th, 2020.",
            "Current date: 3/14/2023\nInstructions: answer",
        ] {
            assert!(dates(t).is_empty(), "{t}: {:?}", dates(t));
        }
        assert_eq!(
            dates("my flight is on February 20, 2023"),
            vec!["February 20, 2023"]
        );
    }

    #[test]
    fn numeric() {
        assert_eq!(dates("dob 12/03/1994."), vec!["12/03/1994"]);
        assert_eq!(dates("3-12-1994"), vec!["3-12-1994"]);
        assert_eq!(dates("born 1994-03-12"), vec!["1994-03-12"]);
        // ISO dates with no word for them are machine-made (timestamps, table cells).
        assert!(dates("1994-03-12").is_empty());
        assert!(dates("id,created\n7,2022-06-30 14:21").is_empty());
        assert_eq!(dates("12.03.1994"), vec!["12.03.1994"]);
        assert_eq!(dates("3/13/1956"), vec!["3/13/1956"]);
        assert_eq!(
            dates("When: 1978-07-13 07:00:28"),
            vec!["1978-07-13 07:00:28"]
        );
        assert_eq!(dates("on 03/12/94"), vec!["03/12/94"]);
        assert_eq!(dates("जन्म 12/03/1994 को"), vec!["12/03/1994"]);
        assert!(dates("13/13/1994").is_empty());
        assert!(dates("1994-13-01").is_empty());
        assert!(dates("31/02/1994").is_empty());
        assert!(dates("1.2.3").is_empty());
        assert!(dates("2.10.15").is_empty(), "dotted needs a 4-digit year");
        assert!(dates("192.168.1.1").is_empty());
        assert!(dates("1.2.3.4").is_empty());
    }

    #[test]
    fn short_needs_context() {
        assert_eq!(dates("my birthday is on 2/14"), vec!["2/14"]);
        assert!(dates("I got 2/14 right").is_empty());
        assert!(dates("on 2/14 = 1/7 and on 12/18 = 2/3").is_empty());
        assert!(dates("add 1/2 cup").is_empty());
        assert!(dates("on 13/13").is_empty());
    }

    #[test]
    fn written() {
        assert_eq!(dates("on March 3rd we"), vec!["March 3rd"]);
        assert_eq!(dates("the 3rd of March"), vec!["3rd of March"]);
        assert_eq!(dates("3 March 1994"), vec!["3 March 1994"]);
        assert_eq!(dates("Mar 3, 1994"), vec!["Mar 3, 1994"]);
        assert_eq!(dates("june 3"), vec!["june 3"]);
        assert_eq!(
            dates("nací el 3 de marzo de 1994"),
            vec!["3 de marzo de 1994"]
        );
        assert_eq!(dates("born in March 1994"), vec!["March 1994"]);
        assert_eq!(dates("May 5th"), vec!["May 5th"]);
        assert!(dates("you may 3d print it").is_empty());
        assert!(dates("February 30").is_empty());
        assert!(dates("Sept 31").is_empty());
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            dates("nací el 3 de mayo de 2021"),
            vec!["3 de mayo de 2021"]
        );
        assert_eq!(dates("llego el 2 de marzo"), vec!["2 de marzo"]);
        assert_eq!(dates("né le 5 mai 2020"), vec!["5 mai 2020"]);
        assert_eq!(dates("rendez-vous le 5 mai"), vec!["5 mai"]);
        assert_eq!(dates("le 1er avril"), vec!["1er avril"]);
        assert_eq!(dates("geboren am 3. Mai 2021"), vec!["3. Mai 2021"]);
        assert_eq!(dates("am 14. März"), vec!["14. März"]);
        assert_eq!(dates("il 12 marzo"), vec!["12 marzo"]);
        assert_eq!(dates("nasce il 12 giugno 1990"), vec!["12 giugno 1990"]);
        assert_eq!(dates("dia 3 de maio de 2021"), vec!["3 de maio de 2021"]);
        assert_eq!(dates("मेरा जन्म ३ मार्च २०२१ को हुआ"), vec!["३ मार्च २०२१"]);
        assert_eq!(dates("3 मार्च को 🎂"), vec!["3 मार्च"]);
        assert_eq!(dates("मीटिंग 12 जून को"), vec!["12 जून"]);
        for t in [
            "main 25 mai hoon",
            "2 mars bars",
            "3 din baad milte hain",
            "5 marchands",
            "A12 mai",
            "3 din baad",
            "2 hafte mein",
            "hace 3 días",
            "३१ फ़रवरी",
        ] {
            assert!(dates(t).is_empty(), "{t:?} -> {:?}", dates(t));
        }
    }

    #[test]
    fn birth_years() {
        assert_eq!(dates("born in 1994"), vec!["1994"]);
        assert_eq!(dates("class of 2012!"), vec!["2012"]);
        assert!(dates("in 1994 we moved").is_empty());
        assert!(dates("2025").is_empty());
    }
}
