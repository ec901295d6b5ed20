//! Fenced code blocks: opening and closing lines, and the info string's language.

/// A fence language, normalised to the family that decides the region kind and the lexer's
/// rules. Never a copy of user text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// Python (`python`, `py`, `ipython`, ...): `#` comments, triple-quoted strings.
    Python,
    /// Shells and consoles (`bash`, `sh`, `zsh`, `console`, `powershell`, `cmd`, `bat`, ...).
    Shell,
    /// C-family syntax (`c`, `cpp`, `java`, `javascript`, `typescript`, `go`, `csharp`,
    /// `kotlin`, `swift`, `php`, `css`, ...): `//` and `/* */` comments.
    CLike,
    /// Rust: like `CLike`, and `'` opens only character literals (lifetimes are not strings).
    Rust,
    /// SQL dialects: `--` and `/* */` comments, `'` strings.
    Sql,
    /// Other languages with `#` comments (`ruby`, `perl`, `r`, `dockerfile`, `makefile`,
    /// `nginx`, `terraform`, ...).
    Hash,
    /// Languages with `--` comments (`lua`, `haskell`, `elm`).
    Dash,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// TOML.
    Toml,
    /// INI, env and properties files.
    Ini,
    /// CSV.
    Csv,
    /// TSV.
    Tsv,
    /// XML, HTML, SVG.
    Markup,
    /// Logs (`log`).
    Log,
    /// Plain text, markdown, program output (`text`, `md`, `output`, ...).
    Text,
    /// Any other tag (`diff`, `mermaid`, ...): treated as code with generic lexing.
    Other,
}

/// An opening fence line: its character, its length and the info string.
pub(crate) struct Open<'t> {
    pub ch: u8,
    pub len: usize,
    pub info: &'t str,
}

/// The fence opened by line `s`, if any. Any indentation is accepted (chat markdown nests fences
/// in list items); a backtick fence's info string holds no backtick.
pub(crate) fn open(s: &str) -> Option<Open<'_>> {
    let t = s.trim_start();
    let ch = *t.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|&b| b == ch).count();
    let info = t.get(len..)?.trim();
    if len < 3 || (ch == b'`' && info.contains('`')) {
        return None;
    }
    Some(Open { ch, len, info })
}

/// Whether `s` closes a fence opened with `len` times `ch`.
pub(crate) fn closes(s: &str, ch: u8, len: usize) -> bool {
    let t = s.trim();
    t.len() >= len && t.bytes().all(|b| b == ch)
}

/// The language of an info string (its first word), `None` when empty.
pub(crate) fn lang(info: &str) -> Option<Lang> {
    let word = info
        .trim_start_matches(['{', '.'])
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | ':'))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return None;
    }
    let table: &[(&[&str], Lang)] = &[
        (PYTHON, Lang::Python),
        (SHELL, Lang::Shell),
        (CLIKE, Lang::CLike),
        (&["rust", "rs"], Lang::Rust),
        (SQL, Lang::Sql),
        (HASH, Lang::Hash),
        (&["lua", "haskell", "hs", "elm", "ada", "vhdl"], Lang::Dash),
        (
            &["json", "jsonc", "json5", "jsonl", "ndjson", "geojson"],
            Lang::Json,
        ),
        (&["yaml", "yml"], Lang::Yaml),
        (&["toml"], Lang::Toml),
        (
            &[
                "ini",
                "env",
                "dotenv",
                "properties",
                "cfg",
                "conf",
                "config",
            ],
            Lang::Ini,
        ),
        (&["csv"], Lang::Csv),
        (&["tsv"], Lang::Tsv),
        (
            &["xml", "html", "htm", "xhtml", "svg", "plist", "xaml"],
            Lang::Markup,
        ),
        (&["log", "logs", "syslog", "accesslog"], Lang::Log),
        (TEXT, Lang::Text),
    ];
    let found = table
        .iter()
        .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(word)))
        .map(|(_, l)| *l);
    Some(found.unwrap_or(Lang::Other))
}

const PYTHON: &[&str] = &[
    "python", "py", "python3", "py3", "ipython", "jupyter", "sage", "pycon", "gdscript",
];
const SHELL: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "console",
    "terminal",
    "zsh",
    "fish",
    "ksh",
    "csh",
    "tcsh",
    "powershell",
    "ps",
    "ps1",
    "pwsh",
    "posh",
    "cmd",
    "bat",
    "batch",
    "dos",
    "shell-session",
    "shellsession",
    "sh-session",
    "bash-session",
    "shellscript",
    "command",
    "commandline",
];
const CLIKE: &[&str] = &[
    "c",
    "h",
    "cpp",
    "c++",
    "cc",
    "hpp",
    "cxx",
    "java",
    "javascript",
    "js",
    "jsx",
    "mjs",
    "cjs",
    "ts",
    "typescript",
    "tsx",
    "go",
    "golang",
    "csharp",
    "cs",
    "c#",
    "kotlin",
    "kt",
    "kts",
    "swift",
    "scala",
    "php",
    "dart",
    "objc",
    "objective-c",
    "objectivec",
    "groovy",
    "gradle",
    "solidity",
    "sol",
    "css",
    "scss",
    "sass",
    "less",
    "glsl",
    "hlsl",
    "cuda",
    "zig",
    "vue",
    "svelte",
    "arduino",
    "ino",
    "verilog",
    "proto",
    "protobuf",
    "graphql",
    "gql",
    "jsonnet",
    "apex",
    "vb",
    "vbnet",
    "fsharp",
    "f#",
    "ocaml",
    "d",
];
const SQL: &[&str] = &[
    "sql",
    "mysql",
    "postgresql",
    "postgres",
    "psql",
    "plsql",
    "pgsql",
    "tsql",
    "sqlite",
    "mssql",
    "hive",
    "sparksql",
    "bigquery",
    "snowflake",
    "plpgsql",
];
const HASH: &[&str] = &[
    "ruby",
    "rb",
    "perl",
    "pl",
    "r",
    "dockerfile",
    "docker",
    "makefile",
    "make",
    "nginx",
    "apache",
    "terraform",
    "tf",
    "hcl",
    "cmake",
    "elixir",
    "ex",
    "exs",
    "nim",
    "crystal",
    "julia",
    "jl",
    "coffee",
    "coffeescript",
    "awk",
    "sed",
    "tcl",
    "nix",
    "puppet",
    "starlark",
    "bazel",
    "gitignore",
    "procfile",
    "jinja",
    "ansible",
];
const TEXT: &[&str] = &[
    "text",
    "txt",
    "plain",
    "plaintext",
    "markdown",
    "md",
    "output",
    "out",
    "stdout",
    "stderr",
    "email",
    "mail",
    "letter",
    "none",
    "nohighlight",
    "ansi",
    "rst",
    "asciidoc",
    "tex",
    "latex",
    "result",
    "results",
    "response",
    "prompt",
];
