//! Segmentation: split a chat message into typed regions (prose, code, shell, logs, data,
//! documents) so that each detector runs only where it makes sense.
//!
//! [`segment`] is a pure, linear-time function. Its answer, [`Segments`], tiles the message
//! exactly: regions are sorted, contiguous, non-overlapping, cover `0..text.len()`, lie on
//! character boundaries, and no two neighbours share a [`RegionKind`] (they are merged).
//!
//! ```
//! use scrim_core::segment::{segment, RegionKind};
//!
//! let text = "Try this:\n```python\nprint(\"Hello, Alice\")  # by Bob\n```\nThanks!";
//! let seg = segment(text);
//! assert_eq!(seg.kind_at(0), RegionKind::Prose);
//! let hello = text.find("Alice").unwrap();
//! assert_eq!(seg.kind_at(hello), RegionKind::CodeText);
//! let print = text.find("print").unwrap();
//! assert_eq!(seg.kind_at(print), RegionKind::Code);
//! ```
//!
//! # Rules, by kind
//!
//! The message is cut into lines. Fenced blocks are found first (an opening line of three or
//! more backticks or tildes, at any indentation; the closing line uses the same character, at
//! least as many, and nothing else; an unterminated fence runs to the end). The fence lines are
//! [`RegionKind::Code`]. The body's kind follows the info string's language ([`Lang`]): shell
//! languages (`bash`, `sh`, `console`, `powershell`, `cmd`, ...) give [`RegionKind::Shell`] even
//! for a plain script without prompts; data languages (`json`, `yaml`, `csv`, `xml`, `html`,
//! `toml`, `ini`, `env`) give [`RegionKind::Data`]; `log` gives [`RegionKind::Log`]; text
//! languages (`text`, `markdown`, `output`, ...) are classified line by line like unfenced text;
//! every other tag gives [`RegionKind::Code`]. An untagged fence is classified line by line too,
//! with `Code` for lines nothing else claims, unless it reads as prose (no code evidence and
//! mostly sentences), then `Prose`.
//!
//! Outside fences each line start is tried, in this order, and the first rule that claims a run
//! of lines wins (lines nobody claims are [`RegionKind::Prose`]):
//!
//! - **Shell**: a prompt (`$ cmd`, `# cmd` for a known command, `user@host:~/dir$`,
//!   `[user@host dir]#`, `PS C:\x>`, `C:\Users\x>`, `>>>`, `mysql>`, `irb(main):001:0>`,
//!   `In [1]:`), then its output up to a blank line (unless a prompt follows it) or a prose line.
//! - **Log**: lines opening with a timestamp (with seconds or a level), a level (`[ERROR]`,
//!   `WARN:`), syslog and logcat prefixes, access-log lines, and stack-trace lines (Python
//!   tracebacks, Java/JS `at` frames, `Caused by:`, Rust panics) with their exception lines and
//!   indented continuations.
//! - **Data**: JSON that balances (a line opening with `{"`, `[{`, or a lone `{` followed by a key
//!   line), markdown tables (a `|---|` separator), CSV/TSV (three or more lines with the same
//!   number, two or more, of commas or tabs outside quotes, with short fields), env and INI
//!   blocks (`KEY=value`, `key = value`, `[section]`), XML/HTML markup, and `key: value` / YAML
//!   blocks (two or more short keyed lines).
//! - **Document**: email headers (`From:`, `To:`, `Subject:` ...) or a greeting (`Dear Ann,`),
//!   up to the sign-off and signature when one follows; a sign-off alone with its signature;
//!   a `-- ` signature block; resumes (two or more section headers such as `Experience`,
//!   `Education`, `Skills`), up to the end of the last section; `>` blockquotes.
//! - **Code**: runs of lines with strong code evidence (ending in `;` with `(` or `=`, ending in
//!   `{`, closing braces, `def f(`, `class X:`, `import x`, `from x import`, `#include`,
//!   `fn f(`, `const x =`, `SELECT … FROM`, ...), at least two strong lines, or one with only
//!   code-looking lines around it; and indented code blocks (four spaces or a tab after a blank
//!   line, outside list items) unless they read as prose. Prose with a semicolon stays prose.
//!
//! Blank lines between two regions of the same kind take that kind.
//!
//! Inside `Code` and `Shell` regions a language-agnostic lexer marks string literals and
//! comments as [`RegionKind::CodeText`] (the quotes and comment markers included). Inside
//! `Prose` and `Document`, markdown code spans (CommonMark backtick runs, within a paragraph)
//! are [`RegionKind::InlineCode`] (the backticks included), and literals inside them are
//! `CodeText` again. `Data` and `Log` regions are not lexed: use [`keyed_values`] on a `Data`
//! region to pair keys with values.
//!
//! The tiling is flat: a `CodeText` region's enclosing kind is in [`Region::parent`] (`Code`,
//! `Shell` or `InlineCode`); for every other region `parent == kind`.
//!
//! # Which detectors make sense where (proposal)
//!
//! | Kind | Run | Skip |
//! |------|-----|------|
//! | `Prose` | everything | nothing |
//! | `Document` | everything, plus letter and resume cues (greeting and signature names, contact lines) | nothing |
//! | `CodeText` | everything (names in strings and comments) | nothing |
//! | `Code`, `InlineCode` | secrets, emails, URLs, IPs, phones | names, places, organisations (identifiers); the learned model |
//! | `Shell` | prompt users and hosts (`user@host`), home paths (`/home/alice`, `C:\Users\bob`), hostnames, IPs, MACs, emails, secrets | names on command words; machine timestamps as personal dates |
//! | `Log` | as `Shell`, plus user fields in messages | machine timestamps as personal dates; names on class and function names |
//! | `Data` | everything on values, labelled by their key ([`keyed_values`]: `email`, `name`, `phone`) | names on keys and on markup tags |

mod blocks;
mod code;
mod data;
mod document;
mod fence;
mod inline;
mod keys;
mod lexer;
mod lines;
mod log;
mod shell;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use fence::Lang;
pub use keys::{keyed_values, KeyValue};

/// What a region of a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegionKind {
    /// Ordinary text, and anything no other rule claims.
    Prose,
    /// Program source: a fenced or indented code block, its fence lines, or pasted code
    /// recognised by strong line-level evidence. Identifiers, not words.
    Code,
    /// A string literal or a comment inside `Code`, `Shell` or `InlineCode` (quotes and comment
    /// markers included): free text again, read like prose.
    CodeText,
    /// A markdown code span (`` `x` ``, backticks included) inside prose or a document.
    InlineCode,
    /// A shell or REPL session (prompts, commands and their output), or a shell-tagged fence.
    Shell,
    /// Log lines and stack traces.
    Log,
    /// Structured data: JSON, YAML, CSV/TSV, markdown tables, key-value and env/INI blocks,
    /// XML/HTML markup.
    Data,
    /// A pasted document: email headers, a letter (greeting to signature), a resume, a
    /// blockquote.
    Document,
}

/// One region of a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region {
    /// What the region is.
    pub kind: RegionKind,
    /// UTF-8 byte offsets into the message, on character boundaries, never empty.
    pub range: Range<usize>,
    /// The enclosing kind of a `CodeText` region (`Code`, `Shell` or `InlineCode`); `kind`
    /// itself for every other region.
    pub parent: RegionKind,
    /// The fence's language, for regions inside (or made of) a tagged fence; `None` elsewhere.
    pub lang: Option<Lang>,
}

/// The regions of one message: sorted, contiguous, tiling `0..text.len()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segments {
    regions: Vec<Region>,
}

impl Segments {
    /// All regions, in order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Whether there are no regions (the text was empty).
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The number of regions.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// The region holding byte `at`, if `at` lies inside the text.
    pub fn region_at(&self, at: usize) -> Option<&Region> {
        let i = self.regions.partition_point(|r| r.range.end <= at);
        self.regions.get(i).filter(|r| r.range.start <= at)
    }

    /// The kind at byte `at`; [`RegionKind::Prose`] outside the text.
    pub fn kind_at(&self, at: usize) -> RegionKind {
        self.region_at(at).map_or(RegionKind::Prose, |r| r.kind)
    }

    /// The regions that share at least one byte with `range`, in order (none for an empty
    /// range).
    pub fn covering(&self, range: Range<usize>) -> impl Iterator<Item = &Region> + '_ {
        let first = if range.is_empty() {
            self.regions.len()
        } else {
            self.regions.partition_point(|r| r.range.end <= range.start)
        };
        self.regions
            .iter()
            .skip(first)
            .take_while(move |r| r.range.start < range.end)
    }

    /// The regions, by value.
    pub fn into_regions(self) -> Vec<Region> {
        self.regions
    }
}

/// Split `text` into typed regions. Linear in the text; never panics.
pub fn segment(text: &str) -> Segments {
    if text.is_empty() {
        return Segments::default();
    }
    let lines = lines::split(text);
    let mut tiler = Tiler::new(text);
    for b in blocks::blocks(text, &lines) {
        match b.kind {
            RegionKind::Code | RegionKind::Shell if b.lex => {
                lexer::lex(text, b.range.clone(), b.kind, b.lang, &mut tiler);
            }
            RegionKind::Prose | RegionKind::Document => {
                inline::spans(text, b.range.clone(), b.kind, &mut tiler);
            }
            _ => {}
        }
        tiler.push(b.kind, b.kind, b.lang, b.range.end);
    }
    tiler.finish()
}

/// Builds the tiling: each push extends the last region or starts a new one at the cursor.
pub(crate) struct Tiler<'t> {
    text: &'t str,
    pos: usize,
    out: Vec<Region>,
}

impl<'t> Tiler<'t> {
    fn new(text: &'t str) -> Self {
        Tiler {
            text,
            pos: 0,
            out: Vec::new(),
        }
    }

    /// Cover `pos..end` with `kind`. Ends before the cursor or off a character boundary are
    /// ignored (the next push covers those bytes).
    pub(crate) fn push(
        &mut self,
        kind: RegionKind,
        parent: RegionKind,
        lang: Option<Lang>,
        end: usize,
    ) {
        let end = end.min(self.text.len());
        if end <= self.pos || !self.text.is_char_boundary(end) {
            return;
        }
        match self.out.last_mut() {
            Some(last) if last.kind == kind => {
                last.range.end = end;
                if last.lang != lang {
                    last.lang = None;
                }
            }
            _ => self.out.push(Region {
                kind,
                range: self.pos..end,
                parent,
                lang,
            }),
        }
        self.pos = end;
    }

    fn finish(mut self) -> Segments {
        self.push(RegionKind::Prose, RegionKind::Prose, None, self.text.len());
        Segments { regions: self.out }
    }
}
