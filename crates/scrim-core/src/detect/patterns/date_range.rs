//! DATE ranges, one span each: résumé periods ("2019-2021", "2011 – 2018", "2019 - Present",
//! "Jan 2020 – Present", "Sept 2015 to May 2019", "03/2018 - 06/2020", "08/16 - 03/20") and day ranges in a month
//! ("from 3 to 7 May", "May 3-7, 2021", "del 2 al 5 de marzo", "du 3 au 7 mai", "vom 3. bis 7.
//! Mai").
//!
//! A range of two bare years ("2019-2021") is a personal date only on a résumé: the line, or the
//! line before or after it, must hold a job or degree word ("engineer", "B.Tech", "universidad").
//! Without one it is a period of history, a financial year or a range in code, and is left
//! alone. A month word, a month number ("03/2018") or an open end ("Present", "Current") is
//! enough on its own. Versions ("python 3.8-3.11"), page ranges ("pp. 12-45") and scores ("3-2")
//! never match: both ends must be years from 1900 to 2099, or days with a month word.

use regex::{Captures, Regex};

use super::score::date_range::{
    DAY_RANGE, DAY_RANGE_WITH_YEAR, MONTH_RANGE, OPEN_RANGE, OPEN_RANGE_CUED, YEAR_RANGE_RESUME,
};
use super::util::{self, GateBuilder, Win};
use super::words;
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Date;

/// Open ends that only a résumé period has ("2019 - Present"): no context needed.
const OPEN_STRONG: &[&str] = &[
    "present",
    "current",
    "currently",
    "ongoing",
    "till date",
    "actualidad",
    "presente",
    "la fecha",
    "heute",
    "aujourd'hui",
    "oggi",
];

/// Open ends that need résumé context ("2019 - now", "2019 to date").
const OPEN_WEAK: &str = "now|today|date|hoy|jetzt";

/// Words that make a line a résumé entry (job titles, employers, degrees, schools), lowercase,
/// in English, Spanish, Hinglish, French and German. Matched at word starts ([`util::has_cue`]).
const RESUME_WORDS: &[&str] = &[
    "engineer",
    "developer",
    "manager",
    "intern",
    "internship",
    "analyst",
    "consultant",
    "designer",
    "architect",
    "scientist",
    "researcher",
    "teacher",
    "lecturer",
    "professor",
    "officer",
    "assistant",
    "associate",
    "director",
    "executive",
    "coordinator",
    "specialist",
    "administrator",
    "supervisor",
    "founder",
    "co-founder",
    "cofounder",
    "freelance",
    "volunteer",
    "nurse",
    "accountant",
    "employed",
    "employment",
    "employer",
    "worked",
    "working at",
    "work experience",
    "experience",
    "job",
    "role",
    "position",
    "company",
    "corp",
    "inc",
    "ltd",
    "llc",
    "pvt",
    "gmbh",
    "university",
    "univ",
    "college",
    "school",
    "institute",
    "academy",
    "iit",
    "nit",
    "degree",
    "bachelor",
    "bachelors",
    "bachelor's",
    "master",
    "masters",
    "master's",
    "mba",
    "phd",
    "ph.d",
    "b.tech",
    "btech",
    "m.tech",
    "mtech",
    "b.sc",
    "bsc",
    "m.sc",
    "msc",
    "b.e.",
    "b.com",
    "bcom",
    "bca",
    "mca",
    "diploma",
    "graduated",
    "graduation",
    "studied",
    "student",
    "education",
    "certification",
    "resume",
    "résumé",
    "cv",
    "hired",
    "joined",
    "universidad",
    "trabajé",
    "trabaje",
    "empresa",
    "licenciatura",
    "ingeniero",
    "ingeniera",
    "maestría",
    "maestria",
    "doctorado",
    "colegio",
    "escuela",
    "naukri",
    "université",
    "universite",
    "ingénieur",
    "stage",
    "studium",
    "universität",
    "ausbildung",
];

/// Words just before a range that make it something else (pages, versions, lines, ports).
const NOT_DATE_BEFORE: &[&str] = &[
    "pp.", "pp", "p.", "page", "pages", "pg", "vol", "vol.", "volume", "line", "lines", "v",
    "version", "versions", "port", "ports", "id", "ids", "rows", "chapter", "chapters", "ch.",
    "verses", "nos", "no.", "#",
];

/// Date-range detection.
pub(crate) struct DateRange {
    /// Years, month-years and numeric month/years, to a year, month-year or open end.
    periods: (Regex, usize),
    /// Two days then a month: "3-7 May", "from 3 to 7 May", "del 2 al 5 de marzo".
    days_month: (Regex, usize),
    /// A month then two days: "May 3-7, 2021".
    month_days: (Regex, usize),
    /// Months with two-digit years, as résumés write them: "08/16 - 03/20", "08/20 - Present".
    short_periods: (Regex, usize),
}

impl DateRange {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<DateRange> {
        let mon = format!("(?u:{})", words::month_alternation());
        let y4 = "(?:19|20)[0-9]{2}";
        let b = r"(?-u:\b)";
        let sep =
            r"(?:\s*(?:-|–|—|~)\s*|\s+(?:to|until|till|through|thru|hasta|al|a|au|bis|(?u:à))\s+)";
        let open = format!("{}|{OPEN_WEAK}", OPEN_STRONG.join("|").replace(' ', r"\s+"));
        let start = format!(r"(?:(?P<sm>{mon})\.?,?\s+|(?P<snm>[0-9]{{1,2}})/)?(?P<sy>{y4})");
        let end = format!(
            r"(?:(?P<em>{mon})\.?,?\s+(?P<emy>{y4})|(?P<enm>[0-9]{{1,2}})/(?P<eny>{y4})|(?P<ey>{y4}|[0-9]{{2}})|(?P<open>{open})){b}"
        );
        let day_sep = r"(?:\s*(?:-|–|—)\s*|\s+(?:to|until|till|through|thru|and|al|a|y|au|bis)\s+)";
        let ord = r"(?:st|nd|rd|th|er|\.)?";
        Ok(DateRange {
            periods: g.regex(
                "date_range.periods",
                &format!(r"(?i-u){b}{start}{sep}{end}"),
            )?,
            days_month: g.regex(
                "date_range.days_month",
                &format!(
                    r"(?i-u){b}(?P<d1>[0-9]{{1,2}}){ord}{day_sep}(?P<d2>[0-9]{{1,2}}){ord}\s+(?:of\s+|de\s+)?(?P<mon>{mon}){b}\.?(?:,?\s+(?:de\s+|del\s+)?(?P<y>{y4}){b})?"
                ),
            )?,
            short_periods: g.regex(
                "date_range.short_periods",
                &format!(
                    r"(?i-u){b}(?P<m1>[0-9]{{1,2}})/(?P<y1>[0-9]{{2}}){sep}(?:(?P<m2>[0-9]{{1,2}})/(?P<y2>[0-9]{{2}})|(?P<open>{open})){b}"
                ),
            )?,
            month_days: g.regex(
                "date_range.month_days",
                &format!(
                    r"(?i-u){b}(?P<mon>{mon})\.?\s+(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?{day_sep}(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?{b}(?:,?\s+(?P<y>{y4}){b})?"
                ),
            )?,
        })
    }

    /// Push the ranges found in `w`.
    pub(crate) fn find_in(&self, text: &str, w: &Win, out: &mut Vec<Finding>) {
        if w.hit(self.periods.1) {
            util::each_captures(&self.periods.0, text, w.s, w.e, |c| {
                period_hit(text, c, out)
            });
        }
        if w.hit(self.short_periods.1) {
            util::each_captures(&self.short_periods.0, text, w.s, w.e, |c| {
                short_period_hit(text, c, out)
            });
        }
        for re in [&self.days_month, &self.month_days] {
            if w.hit(re.1) {
                util::each_captures(&re.0, text, w.s, w.e, |c| days_hit(text, c, out));
            }
        }
    }
}

/// A period: check both ends and the context, push it.
fn period_hit(text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
    let Some(m) = c.get(0) else { return };
    if !clean_edges(text, m.start(), m.end()) {
        return;
    }
    let Some(sy) = c.name("sy").and_then(|y| util::num(y.as_str())) else {
        return;
    };
    let start_month = c.name("sm").map(|x| x.as_str());
    let (Some(start_m), ok_sm) = month_of(start_month, c.name("snm")) else {
        // No start month: a bare year.
        return year_start_hit(text, c, sy, (m.start(), m.end()), out);
    };
    if !ok_sm {
        return;
    }
    let (em, ok_em) = month_of(c.name("em").map(|x| x.as_str()), c.name("enm"));
    let ey = c.name("emy").or(c.name("eny")).or(c.name("ey"));
    let ey = ey.and_then(|y| util::num(y.as_str()));
    let ok = match (em, ey) {
        (Some(em), Some(ey)) => ok_em && (ey, em) >= (sy, start_m) && ey - sy <= 60,
        (None, None) => open_end(c).is_some(),
        // "Jan 2020 - 2021": a month and a bare year are not an end.
        (None, Some(_)) | (Some(_), None) => false,
    };
    if ok {
        let score = if c.name("open").is_some() {
            OPEN_RANGE
        } else {
            MONTH_RANGE
        };
        util::push(out, text, (m.start(), m.end()), FAM, None, score);
    }
}

/// A period of months with two-digit years ("08/16 - 03/20", "02/15-03/16", "08/20 - Present"):
/// real months, the end not before the start, and a résumé around it or an open end that only
/// a résumé has.
fn short_period_hit(text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
    let Some(m) = c.get(0) else { return };
    if !clean_edges(text, m.start(), m.end()) {
        return;
    }
    let num = |name: &str| c.name(name).and_then(|x| util::num(x.as_str()));
    let (Some(m1), Some(y1)) = (num("m1"), num("y1")) else {
        return;
    };
    if !(1..=12).contains(&m1) {
        return;
    }
    let strong_open = open_end(c).is_some_and(|o| OPEN_STRONG.iter().any(|w| words_eq(o, w)));
    let ordered = match (num("m2"), num("y2")) {
        (Some(m2), Some(y2)) => {
            (1..=12).contains(&m2) && century(y2) * 12 + m2 >= century(y1) * 12 + m1
        }
        _ => open_end(c).is_some(),
    };
    if ordered && (strong_open || resume_context(text, m.start(), m.end())) {
        util::push(out, text, (m.start(), m.end()), FAM, None, MONTH_RANGE);
    }
}

/// A two-digit year as a full one: up to 40 in this century, the rest in the last.
fn century(yy: u32) -> u32 {
    if yy <= 40 {
        2000 + yy
    } else {
        1900 + yy
    }
}

/// A period that starts with a bare year: "2019-2021", "2019-21", "2019 - Present".
fn year_start_hit(
    text: &str,
    c: &Captures<'_>,
    sy: u32,
    (s, e): (usize, usize),
    out: &mut Vec<Finding>,
) {
    if c.name("snm").is_some() {
        return;
    }
    if let Some(open) = open_end(c) {
        let strong = OPEN_STRONG.iter().any(|w| words_eq(open, w));
        if strong || resume_context(text, s, e) {
            let score = if strong { OPEN_RANGE } else { OPEN_RANGE_CUED };
            util::push(out, text, (s, e), FAM, None, score);
        }
        return;
    }
    let Some(ey) = c.name("ey") else { return };
    let Some(mut y) = util::num(ey.as_str()) else {
        return;
    };
    if ey.as_str().len() == 2 {
        // "2019-21": the same century, later than the start.
        y += sy - sy % 100;
    }
    if y <= sy || y - sy > 60 {
        return;
    }
    if resume_context(text, s, e) && !not_date_before(text, s) {
        util::push(out, text, (s, e), FAM, None, YEAR_RANGE_RESUME);
    }
}

/// The open end of a period ("Present"), if it has one.
fn open_end<'t>(c: &Captures<'t>) -> Option<&'t str> {
    c.name("open").map(|o| o.as_str())
}

/// Whether `a` is `b` up to ASCII case and runs of whitespace ("till  date").
fn words_eq(a: &str, b: &str) -> bool {
    a.split_whitespace()
        .map(str::to_ascii_lowercase)
        .eq(b.split_whitespace().map(str::to_string))
}

/// The month of an end (a month word or a month number) and whether it is a real month.
fn month_of(word: Option<&str>, number: Option<regex::Match<'_>>) -> (Option<u32>, bool) {
    if let Some(w) = word {
        let m = words::any_month_number(w);
        return (m, m.is_some());
    }
    if let Some(n) = number.and_then(|n| util::num(n.as_str())) {
        return (Some(n), (1..=12).contains(&n));
    }
    (None, true)
}

/// A month word that, written in lowercase without a year, is as often a verb or a planet ("3-7
/// may be enough").
fn ambiguous_month(w: &str) -> bool {
    matches!(w, "may" | "mai" | "mars" | "mar")
}

/// A day range: two valid days of the month, the first before the second.
fn days_hit(text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
    let (Some(m), Some(mon), Some(d1), Some(d2)) =
        (c.get(0), c.name("mon"), c.name("d1"), c.name("d2"))
    else {
        return;
    };
    let Some(month) = words::any_month_number(mon.as_str()) else {
        return;
    };
    let (Some(a), Some(b)) = (util::num(d1.as_str()), util::num(d2.as_str())) else {
        return;
    };
    let year = c.name("y").and_then(|y| util::num(y.as_str()));
    if a >= b
        || !day_ok(a, month)
        || !day_ok(b, month)
        || (year.is_none() && ambiguous_month(mon.as_str()))
        || !clean_edges(text, m.start(), m.end())
    {
        return;
    }
    let score = if year.is_some() {
        DAY_RANGE_WITH_YEAR
    } else {
        DAY_RANGE
    };
    let end = super::date::end_before_dot(m.as_str(), mon.as_str(), m.end());
    util::push(out, text, (m.start(), end), FAM, None, score);
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

/// Not glued to a longer run: no number, identifier or path character right before `s`, and no
/// decimal, further range or unit right after `e`.
fn clean_edges(text: &str, s: usize, e: usize) -> bool {
    let before = util::char_before(text, s);
    if before.is_some_and(|ch| {
        ch.is_alphanumeric() || matches!(ch, '.' | '/' | '-' | ':' | '$' | '#' | '=' | '_' | '+')
    }) {
        return false;
    }
    match util::char_after(text, e) {
        Some(ch) if ch.is_alphanumeric() || matches!(ch, '%' | '_' | '/') => false,
        Some('.' | '-' | ':' | ',') => {
            !util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_digit())
        }
        _ => true,
    }
}

/// A page, version or line word right before the range ("pp. 1990-2010").
fn not_date_before(text: &str, s: usize) -> bool {
    let before = util::lower_before(text, s, 12);
    let last = before
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_start_matches('(');
    NOT_DATE_BEFORE.contains(&last)
}

/// Whether the line of `[s, e)`, or the line before or after it, reads like a résumé entry.
/// Looks at most [`LINE_REACH`] bytes each way, so the cost per range is bounded.
fn resume_context(text: &str, s: usize, e: usize) -> bool {
    let lo = line_start(text, line_start(text, s).saturating_sub(1));
    let hi = line_end(text, line_end(text, e) + 1);
    let around = util::slice(text, lo, hi).to_lowercase();
    util::has_cue(&around, RESUME_WORDS)
}

/// How far (bytes) [`resume_context`] looks for the edges of a line.
const LINE_REACH: usize = 200;

/// The start of the line holding `i` (at most [`LINE_REACH`] bytes back).
fn line_start(text: &str, i: usize) -> usize {
    let lo = util::floor_boundary(text, i.saturating_sub(LINE_REACH));
    let i = util::floor_boundary(text, i);
    util::slice(text, lo, i)
        .rfind('\n')
        .map_or(lo, |p| lo + p + 1)
}

/// The end of the line holding `i` (at most [`LINE_REACH`] bytes on).
fn line_end(text: &str, i: usize) -> usize {
    let i = util::ceil_boundary(text, i);
    let hi = util::floor_boundary(text, i.saturating_add(LINE_REACH));
    util::slice(text, i, hi).find('\n').map_or(hi, |p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(t: &str) -> Vec<&str> {
        let mut g = GateBuilder::default();
        let d = DateRange::new(&mut g).unwrap();
        let gate = g.build().unwrap();
        let mut out = Vec::new();
        for w in gate.windows(t, 64) {
            d.find_in(t, &w, &mut out);
        }
        out.iter().map(|f| f.span.slice(t).unwrap()).collect()
    }

    #[test]
    fn resume_periods() {
        assert_eq!(
            ranges("Software Engineer, Acme Corp, 2019-2021"),
            vec!["2019-2021"]
        );
        assert_eq!(
            ranges("B.Tech, IIT Delhi (2011 – 2018)"),
            vec!["2011 – 2018"]
        );
        assert_eq!(ranges("Data Analyst\n2019-Current"), vec!["2019-Current"]);
        assert_eq!(ranges("Acme 2019 - Present"), vec!["2019 - Present"]);
        assert_eq!(
            ranges("worked there Jan 2020 – Present"),
            vec!["Jan 2020 – Present"]
        );
        assert_eq!(ranges("03/2018 - 06/2020"), vec!["03/2018 - 06/2020"]);
        assert_eq!(
            ranges("Sept 2015 to May 2019"),
            vec!["Sept 2015 to May 2019"]
        );
        assert_eq!(ranges("college 2016-20 was fun"), vec!["2016-20"]);
        assert_eq!(
            ranges("desde marzo 2017 hasta actualidad"),
            vec!["marzo 2017 hasta actualidad"]
        );
        assert_eq!(ranges("Manager 🚀 2019–2023 ✅"), vec!["2019–2023"]);
    }

    #[test]
    fn two_digit_year_periods() {
        assert_eq!(
            ranges("Sales Manager, Acme\n08/16- 03/20\nLed a team"),
            vec!["08/16- 03/20"]
        );
        assert_eq!(
            ranges("Data Analyst 08/20 - Present"),
            vec!["08/20 - Present"]
        );
        for t in [
            "ratio 1/2 - 3/4 of the cake",
            "scores 10/12 - 11/12 today",
            "Engineer 13/16 - 03/20",
            "Engineer 08/20 - 03/16",
        ] {
            assert!(ranges(t).is_empty(), "{t}: {:?}", ranges(t));
        }
    }

    #[test]
    fn bare_year_ranges_need_a_resume() {
        for t in [
            "the war of 1939-1945 changed everything",
            "revenue 2019-2021 grew",
            "FY 2019-20 results",
            "python 3.8-3.11",
            "read pp. 12-45 tonight",
            "final score 3-2",
            "for i in range(2000-2010):",
            "engineer notes: pp. 1990-2010",
            "university 2021-2019",
            "Jan 2021 - Dec 2020",
            "13/2018 - 06/2020",
            "version 2019-2021.3",
        ] {
            assert!(ranges(t).is_empty(), "{t:?} -> {:?}", ranges(t));
        }
    }

    #[test]
    fn day_ranges() {
        assert_eq!(ranges("I'm away from 3 to 7 May"), vec!["3 to 7 May"]);
        assert_eq!(
            ranges("estaré fuera del 2 al 5 de marzo"),
            vec!["2 al 5 de marzo"]
        );
        assert_eq!(ranges("conference May 3-7, 2021"), vec!["May 3-7, 2021"]);
        assert_eq!(ranges("du 3 au 7 mai 2022"), vec!["3 au 7 mai 2022"]);
        assert_eq!(ranges("vom 3. bis 7. Mai"), vec!["3. bis 7. Mai"]);
        assert_eq!(ranges("12–15 août"), vec!["12–15 août"]);
        assert_eq!(ranges("del 2 al 5 de marzo."), vec!["2 al 5 de marzo"]);
        assert_eq!(ranges("from 3 to 7 Sept. ok"), vec!["3 to 7 Sept."]);
        assert!(ranges("3-7 may be enough").is_empty());
        assert!(ranges("30-31 February").is_empty());
        assert!(ranges("7 to 3 June").is_empty());
    }
}
