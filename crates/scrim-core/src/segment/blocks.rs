//! Block level: fences first, then the line rules of each kind over the text between them.

use std::ops::Range;

use super::fence::{self, Lang};
use super::lines::{self, Line};
use super::{code, data, document, log, shell, RegionKind};

/// A run of whole lines of one kind.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: RegionKind,
    pub range: Range<usize>,
    pub lang: Option<Lang>,
    /// Whether string literals and comments should be lexed out of it.
    pub lex: bool,
}

/// The blocks of a message, in order, covering every line.
pub(crate) fn blocks(text: &str, lines: &[Line<'_>]) -> Vec<Block> {
    let mut out = Vec::new();
    let (mut run, mut i) = (0, 0);
    while let Some(l) = lines.get(i) {
        let Some(f) = fence::open(l.s) else {
            i += 1;
            continue;
        };
        classify(sub(lines, run, i), RegionKind::Prose, None, &mut out);
        let close = (i + 1..lines.len()).find(|&k| {
            lines
                .get(k)
                .is_some_and(|c| fence::closes(c.s, f.ch, f.len))
        });
        let lang = fence::lang(f.info);
        push(&mut out, RegionKind::Code, l.start..l.next, lang, false);
        body(
            sub(lines, i + 1, close.unwrap_or(lines.len())),
            lang,
            &mut out,
        );
        i = match close.and_then(|c| lines.get(c).map(|l| (c, l))) {
            Some((c, cl)) => {
                push(&mut out, RegionKind::Code, cl.start..cl.next, lang, false);
                c + 1
            }
            None => lines.len(),
        };
        run = i;
    }
    classify(
        sub(lines, run, lines.len()),
        RegionKind::Prose,
        None,
        &mut out,
    );
    absorb_blanks(text, out)
}

fn sub<'a, 't>(lines: &'a [Line<'t>], from: usize, to: usize) -> &'a [Line<'t>] {
    lines.get(from..to).unwrap_or(&[])
}

/// A fence body, by its language.
fn body(lines: &[Line<'_>], lang: Option<Lang>, out: &mut Vec<Block>) {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return;
    };
    let range = first.start..last.next;
    let kind = match lang {
        None if code::reads_as_prose(lines) => {
            return classify(lines, RegionKind::Prose, None, out)
        }
        None => return classify(lines, RegionKind::Code, None, out),
        Some(Lang::Text) => return classify(lines, RegionKind::Prose, lang, out),
        Some(Lang::Shell) => RegionKind::Shell,
        Some(Lang::Log) => RegionKind::Log,
        Some(
            Lang::Json | Lang::Yaml | Lang::Toml | Lang::Ini | Lang::Csv | Lang::Tsv | Lang::Markup,
        ) => RegionKind::Data,
        Some(_) => RegionKind::Code,
    };
    let lex = matches!(kind, RegionKind::Code | RegionKind::Shell);
    push(out, kind, range, lang, lex);
}

/// Per-run state of the line rules: list context, and how far a failed rule need not retry.
#[derive(Default)]
pub(crate) struct State {
    pub in_list: bool,
    pub prev_blank: bool,
    pub fail_json: usize,
    pub fail_log: usize,
    pub fail_code: usize,
    pub fail_kv: usize,
    pub fail_indent: usize,
}

impl State {
    fn saw(&mut self, s: &str) {
        let blank = lines::is_blank(s);
        if lines::is_list_item(s) {
            self.in_list = true;
        } else if !blank && lines::indent(s) == 0 {
            self.in_list = false;
        }
        self.prev_blank = blank;
    }
}

/// Unfenced lines: each rule in turn at each line; lines nobody claims get `default`.
fn classify(lines: &[Line<'_>], default: RegionKind, lang: Option<Lang>, out: &mut Vec<Block>) {
    let mut st = State {
        prev_blank: true,
        ..State::default()
    };
    let mut i = 0;
    while let Some(l) = lines.get(i) {
        let claimed = claim(lines, i, &mut st).filter(|&(_, end)| end > i);
        let Some((kind, end)) = claimed else {
            push(
                out,
                default,
                l.start..l.next,
                lang,
                default == RegionKind::Code,
            );
            st.saw(l.s);
            i += 1;
            continue;
        };
        let stop = lines.get(end - 1).map_or(l.next, |e| e.next);
        let lex = matches!(kind, RegionKind::Code | RegionKind::Shell);
        push(out, kind, l.start..stop, None, lex);
        for seen in sub(lines, i, end) {
            st.saw(seen.s);
        }
        i = end;
    }
}

/// The first rule that claims a run of lines starting at line `i`: its kind and end line.
fn claim(lines: &[Line<'_>], i: usize, st: &mut State) -> Option<(RegionKind, usize)> {
    let s = lines.get(i)?.s;
    if lines::is_blank(s) {
        return None;
    }
    if let Some(end) = shell::run(lines, i) {
        return Some((RegionKind::Shell, end));
    }
    if let Some(end) = log::run(lines, i, st) {
        return Some((RegionKind::Log, end));
    }
    if let Some(end) = data::json(lines, i, st).or_else(|| data::table(lines, i)) {
        return Some((RegionKind::Data, end));
    }
    if let Some(end) = document::run(lines, i) {
        return Some((RegionKind::Document, end));
    }
    if let Some(end) = code::run(lines, i, st) {
        return Some((RegionKind::Code, end));
    }
    let data = data::csv(lines, i)
        .or_else(|| data::env(lines, i))
        .or_else(|| data::xml(lines, i))
        .or_else(|| data::kv(lines, i, st));
    if let Some(end) = data {
        return Some((RegionKind::Data, end));
    }
    code::indented(lines, i, st).map(|end| (RegionKind::Code, end))
}

/// Append a block, merging it into the previous one when they match.
fn push(
    out: &mut Vec<Block>,
    kind: RegionKind,
    range: Range<usize>,
    lang: Option<Lang>,
    lex: bool,
) {
    if range.is_empty() {
        return;
    }
    if let Some(last) = out.last_mut() {
        if last.kind == kind
            && last.lang == lang
            && last.lex == lex
            && last.range.end == range.start
        {
            last.range.end = range.end;
            return;
        }
    }
    out.push(Block {
        kind,
        range,
        lang,
        lex,
    });
}

/// Blank prose lines between two blocks of the same kind take that kind; then merge.
fn absorb_blanks(text: &str, blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut iter = blocks.into_iter().peekable();
    while let Some(mut b) = iter.next() {
        let blank =
            b.kind == RegionKind::Prose && text.get(b.range.clone()).is_some_and(lines::is_blank);
        if let (true, Some(prev), Some(next)) = (blank, out.last(), iter.peek()) {
            if prev.kind == next.kind && prev.kind != RegionKind::Prose {
                b.kind = prev.kind;
                b.lang = prev.lang;
                b.lex = prev.lex;
            }
        }
        push(&mut out, b.kind, b.range, b.lang, b.lex);
    }
    out
}
