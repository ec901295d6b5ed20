use proptest::prelude::*;

use super::*;

/// Check the tiling invariants and return the regions with their text.
fn regions(text: &str) -> Vec<(RegionKind, &str)> {
    let seg = segment(text);
    check(text, &seg);
    seg.regions()
        .iter()
        .map(|r| (r.kind, &text[r.range.clone()]))
        .collect()
}

fn check(text: &str, seg: &Segments) {
    let mut at = 0;
    let mut prev: Option<RegionKind> = None;
    for r in seg.regions() {
        assert_eq!(r.range.start, at, "gap or overlap at {at}");
        assert!(r.range.end > r.range.start, "empty region");
        assert!(text.is_char_boundary(r.range.start) && text.is_char_boundary(r.range.end));
        assert_ne!(prev, Some(r.kind), "adjacent regions of one kind");
        assert_eq!(r.parent == r.kind, r.kind != RegionKind::CodeText);
        prev = Some(r.kind);
        at = r.range.end;
    }
    assert_eq!(at, text.len());
}

/// The kind of the first occurrence of `needle`.
fn kind_of(text: &str, needle: &str) -> RegionKind {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    segment(text).kind_at(at)
}

#[test]
fn empty_text_has_no_regions() {
    assert!(segment("").is_empty());
    assert_eq!(segment("").kind_at(0), RegionKind::Prose);
}

#[test]
fn fenced_python_with_literal_and_comment() {
    let text = "Here is a fix:\n\n```python\ndef greet(name):\n    # comment by Bob\n    return \"Hello, Alice\" + name\n```\n\nThat should work.";
    regions(text);
    assert_eq!(kind_of(text, "Here"), RegionKind::Prose);
    assert_eq!(kind_of(text, "```python"), RegionKind::Code);
    assert_eq!(kind_of(text, "def greet"), RegionKind::Code);
    assert_eq!(kind_of(text, "Bob"), RegionKind::CodeText);
    assert_eq!(kind_of(text, "\"Hello"), RegionKind::CodeText);
    assert_eq!(kind_of(text, "+ name"), RegionKind::Code);
    assert_eq!(kind_of(text, "That"), RegionKind::Prose);
    let seg = segment(text);
    let alice = seg.region_at(text.find("Alice").unwrap()).unwrap();
    assert_eq!(alice.parent, RegionKind::Code);
    assert_eq!(alice.lang, Some(Lang::Python));
}

#[test]
fn unterminated_fence_runs_to_the_end() {
    let text = "Start:\n```js\nconst user = 'Dana';\nconsole.log(user)\nmore text here";
    assert_eq!(kind_of(text, "more text"), RegionKind::Code);
    assert_eq!(kind_of(text, "'Dana'"), RegionKind::CodeText);
}

#[test]
fn tilde_fence_and_longer_backtick_fence() {
    let text = "~~~\nint x = 1;\n~~~\nok\n````\n```\nnot closed by three\n````\nafter";
    assert_eq!(kind_of(text, "int x"), RegionKind::Code);
    assert_eq!(kind_of(text, "ok"), RegionKind::Prose);
    assert_eq!(kind_of(text, "not closed"), RegionKind::Code);
    assert_eq!(kind_of(text, "after"), RegionKind::Prose);
}

#[test]
fn rust_lifetimes_are_not_strings() {
    let text = "```rust\nfn first<'a>(x: &'a str) -> &'a str { x } // by Carol\nlet c = 'x';\n```";
    assert_eq!(kind_of(text, "x: &"), RegionKind::Code);
    assert_eq!(kind_of(text, "Carol"), RegionKind::CodeText);
    assert_eq!(kind_of(text, "'x'"), RegionKind::CodeText);
}

#[test]
fn css_colours_and_includes_are_not_comments() {
    let text = "```\n#include <stdio.h>\nbody { color: #fff; }\n```";
    assert_eq!(kind_of(text, "include"), RegionKind::Code);
    assert_eq!(kind_of(text, "fff"), RegionKind::Code);
}

#[test]
fn sql_comment_and_string() {
    let text = "```sql\nSELECT * FROM users WHERE name = 'Erin' -- ask Frank\n```";
    assert_eq!(kind_of(text, "SELECT"), RegionKind::Code);
    assert_eq!(kind_of(text, "Erin"), RegionKind::CodeText);
    assert_eq!(kind_of(text, "Frank"), RegionKind::CodeText);
}

#[test]
fn inline_code_in_a_sentence() {
    let text =
        "Use `max(len(x))` to get it, or ``a ` b`` and `print(\"Hi Ann\")`. Unmatched ` stays.";
    assert_eq!(kind_of(text, "max("), RegionKind::InlineCode);
    assert_eq!(kind_of(text, "`max"), RegionKind::InlineCode);
    assert_eq!(kind_of(text, "to get"), RegionKind::Prose);
    assert_eq!(kind_of(text, "a ` b"), RegionKind::InlineCode);
    assert_eq!(kind_of(text, "Ann"), RegionKind::CodeText);
    assert_eq!(kind_of(text, "Unmatched"), RegionKind::Prose);
    assert_eq!(kind_of(text, "` stays"), RegionKind::Prose);
}

#[test]
fn inline_code_does_not_cross_paragraphs() {
    let text = "one `open\n\nnext para` here";
    assert!(regions(text).iter().all(|(k, _)| *k == RegionKind::Prose));
}

#[test]
fn prose_with_semicolons_stays_prose() {
    let text = "I know C++; Java is next.\nShe was tired; he was not;\nLet me know if that works.";
    assert_eq!(regions(text), vec![(RegionKind::Prose, text)]);
}

#[test]
fn unfenced_code_block() {
    let text = "My code:\nimport os\nfrom pathlib import Path\n\ndef main():\n    print(os.getcwd())\n\nIt fails, why?";
    assert_eq!(kind_of(text, "My code"), RegionKind::Prose);
    assert_eq!(kind_of(text, "import os"), RegionKind::Code);
    assert_eq!(kind_of(text, "print"), RegionKind::Code);
    assert_eq!(kind_of(text, "It fails"), RegionKind::Prose);
}

#[test]
fn unfenced_c_like_code() {
    let text = "public class Main {\n    public static void main(String[] args) {\n        System.out.println(\"Hi Grace\");\n    }\n}";
    assert_eq!(kind_of(text, "String"), RegionKind::Code);
    assert_eq!(kind_of(text, "Grace"), RegionKind::CodeText);
}

#[test]
fn indented_code_after_blank_line() {
    let text = "Run this:\n\n    x = compute(1, 2)\n    y = x * 2\n\nDone.";
    assert_eq!(kind_of(text, "x = compute"), RegionKind::Code);
    assert_eq!(kind_of(text, "Done"), RegionKind::Prose);
}

#[test]
fn indented_list_continuation_is_prose() {
    let text = "1. First step\n\n    continue the first step with more words here\n2. Second";
    assert!(regions(text).iter().all(|(k, _)| *k == RegionKind::Prose));
}

#[test]
fn shell_session_with_host_prompt() {
    let text = "I ran:\njdoe@lab-server:~/projects$ ls -la\ntotal 8\ndrwxr-xr-x 2 jdoe staff 64 Jan 5 12:00 .\n\nWhat is wrong?";
    assert_eq!(kind_of(text, "jdoe@"), RegionKind::Shell);
    assert_eq!(kind_of(text, "total 8"), RegionKind::Shell);
    assert_eq!(kind_of(text, "drwx"), RegionKind::Shell);
    assert_eq!(kind_of(text, "What"), RegionKind::Prose);
}

#[test]
fn shell_prompts_of_every_kind() {
    for line in [
        "$ git status",
        "# apt-get install nginx",
        "[root@web01 ~]# systemctl restart nginx",
        "PS C:\\Users\\bob> Get-ChildItem",
        "C:\\Users\\bob>dir",
        ">>> print('hi')",
        "mysql> SELECT 1;",
        "irb(main):001:0> puts 1",
        "(venv) kim@box:~$ pip install x",
        "bash-5.1$ echo ok",
    ] {
        let text = format!("{line}\n");
        assert_eq!(segment(&text).kind_at(0), RegionKind::Shell, "{line}");
    }
    assert_eq!(segment("# Heading\n").kind_at(0), RegionKind::Prose);
    assert_eq!(segment("$ 5 is the price\n").kind_at(0), RegionKind::Prose);
}

#[test]
fn python_repl() {
    let text = ">>> x = [1, 2]\n>>> for i in x:\n...     print(i)\n...\n1\n2\n\nSee?";
    assert_eq!(kind_of(text, "...     print"), RegionKind::Shell);
    assert_eq!(kind_of(text, "1\n2"), RegionKind::Shell);
    assert_eq!(kind_of(text, "See"), RegionKind::Prose);
}

#[test]
fn windows_prompt_and_bash_fence() {
    let text = "C:\\Users\\bob> ipconfig\nIPv4 Address. . . : 10.0.0.5\n\n```bash\nexport NAME=\"Heidi\"\nls\n```";
    assert_eq!(kind_of(text, "IPv4"), RegionKind::Shell);
    assert_eq!(kind_of(text, "export"), RegionKind::Shell);
    assert_eq!(kind_of(text, "\"Heidi\""), RegionKind::CodeText);
    let seg = segment(text);
    let heidi = seg.region_at(text.find("Heidi").unwrap()).unwrap();
    assert_eq!(heidi.parent, RegionKind::Shell);
}

#[test]
fn python_traceback() {
    let text = "It crashed:\nTraceback (most recent call last):\n  File \"/home/ivan/app.py\", line 3, in <module>\n    main()\nValueError: invalid literal\n\nAny idea?";
    assert_eq!(kind_of(text, "Traceback"), RegionKind::Log);
    assert_eq!(kind_of(text, "/home/ivan"), RegionKind::Log);
    assert_eq!(kind_of(text, "ValueError"), RegionKind::Log);
    assert_eq!(kind_of(text, "Any idea"), RegionKind::Prose);
}

#[test]
fn java_stack_trace() {
    let text = "Exception in thread \"main\" java.lang.NullPointerException: boom\n\tat com.acme.App.run(App.java:12)\n\tat com.acme.App.main(App.java:5)\nCaused by: java.io.IOException\n\t... 2 more\nThanks for looking at it.";
    assert_eq!(kind_of(text, "com.acme.App.run"), RegionKind::Log);
    assert_eq!(kind_of(text, "Caused"), RegionKind::Log);
    assert_eq!(kind_of(text, "... 2 more"), RegionKind::Log);
    assert_eq!(kind_of(text, "Thanks"), RegionKind::Prose);
}

#[test]
fn log_excerpt() {
    let text = "2023-01-05 12:00:01 INFO Server started on port 8080\n2023-01-05 12:00:02 ERROR user judy@example.com failed login\n[WARN] disk almost full\nJan  5 12:00:03 web01 sshd[123]: Accepted password for ken\n127.0.0.1 - - [05/Jan/2023:12:00:04 +0000] \"GET / HTTP/1.1\" 200 512\nE/AndroidRuntime( 1234): FATAL EXCEPTION: main";
    assert_eq!(regions(text), vec![(RegionKind::Log, text)]);
}

#[test]
fn agenda_times_are_not_logs() {
    let text = "2023-01-05 10:00 - Meeting with Laura about the budget";
    assert_eq!(kind_of(text, "Laura"), RegionKind::Prose);
}

#[test]
fn json_pasted_between_prose() {
    let text = "My data:\n{\"name\": \"Mallory\", \"email\": \"m@example.com\",\n \"age\": 31}\nParse it please.";
    assert_eq!(kind_of(text, "\"name\""), RegionKind::Data);
    assert_eq!(kind_of(text, "\"age\""), RegionKind::Data);
    assert_eq!(kind_of(text, "Parse"), RegionKind::Prose);
    let seg = segment(text);
    let data = seg.region_at(text.find("\"name").unwrap()).unwrap();
    let pairs: Vec<_> = keyed_values(text, data)
        .map(|kv| (&text[kv.key], &text[kv.value]))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("name", "Mallory"),
            ("email", "m@example.com"),
            ("age", "31")
        ]
    );
}

#[test]
fn csv_paste() {
    let text = "name,email,city\nNina Park,nina@example.com,Oslo\nOmar Ali,omar@example.com,Cairo\n\nThat's my list.";
    assert_eq!(kind_of(text, "Nina"), RegionKind::Data);
    assert_eq!(kind_of(text, "That's"), RegionKind::Prose);
    let seg = segment(text);
    let pairs: Vec<_> = keyed_values(text, &seg.regions()[0])
        .map(|kv| (&text[kv.key], &text[kv.value]))
        .collect();
    assert!(pairs.contains(&("email", "omar@example.com")));
    assert!(pairs.contains(&("name", "Nina Park")));
}

#[test]
fn markdown_table() {
    let text = "| Name | Role |\n|------|------|\n| Pia | Admin |\n| Quinn | User |\n\nAbove is the table.";
    assert_eq!(kind_of(text, "Pia"), RegionKind::Data);
    assert_eq!(kind_of(text, "Above"), RegionKind::Prose);
    let seg = segment(text);
    let pairs: Vec<_> = keyed_values(text, &seg.regions()[0])
        .map(|kv| (&text[kv.key], &text[kv.value]))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("Name", "Pia"),
            ("Role", "Admin"),
            ("Name", "Quinn"),
            ("Role", "User")
        ]
    );
}

#[test]
fn env_file() {
    let text = "DB_HOST=db.internal\nDB_USER=rachel\nDB_PASSWORD=s3cret!\n";
    assert_eq!(regions(text), vec![(RegionKind::Data, text)]);
    let seg = segment(text);
    let pairs: Vec<_> = keyed_values(text, &seg.regions()[0])
        .map(|kv| (&text[kv.key], &text[kv.value]))
        .collect();
    assert_eq!(pairs[2], ("DB_PASSWORD", "s3cret!"));
}

#[test]
fn key_value_block_and_yaml() {
    let text = "Name: Sam Lee\nEmail: sam@example.com\nPhone: 555-0100\n\n```yaml\nuser:\n  name: tina\n```";
    assert_eq!(kind_of(text, "Sam"), RegionKind::Data);
    assert_eq!(kind_of(text, "tina"), RegionKind::Data);
    let seg = segment(text);
    let pairs: Vec<_> = keyed_values(text, &seg.regions()[0])
        .map(|kv| (&text[kv.key], &text[kv.value]))
        .collect();
    assert_eq!(pairs[1], ("Email", "sam@example.com"));
}

#[test]
fn email_with_headers_and_signature() {
    let text = "Please fix this email:\n\nFrom: Uma Roy <uma@example.com>\nTo: Victor <v@example.com>\nSubject: Friday\n\nDear Victor,\n\nSee you on Friday.\n\nBest regards,\nUma Roy\nSales Lead\n+1 555 0101\n\nThanks!";
    assert_eq!(kind_of(text, "Please"), RegionKind::Prose);
    assert_eq!(kind_of(text, "From:"), RegionKind::Document);
    assert_eq!(kind_of(text, "See you"), RegionKind::Document);
    assert_eq!(kind_of(text, "Sales Lead"), RegionKind::Document);
    assert_eq!(kind_of(text, "Thanks!"), RegionKind::Prose);
}

#[test]
fn resume_sections() {
    let text = "Wendy Xu\n\nSummary\nBackend engineer with 8 years of experience.\n\nExperience\n- Acme Corp, 2019-2023\n\nEducation\nBSc Computer Science, 2015\n\nCan you improve the wording of this whole resume for me please?";
    assert_eq!(kind_of(text, "Backend"), RegionKind::Document);
    assert_eq!(kind_of(text, "Acme"), RegionKind::Document);
    assert_eq!(kind_of(text, "BSc"), RegionKind::Document);
    assert_eq!(kind_of(text, "Can you"), RegionKind::Prose);
}

#[test]
fn blockquote_is_document() {
    let text = "He wrote:\n> I will be late, Yara\n> sorry\nOk.";
    assert_eq!(kind_of(text, "> I will"), RegionKind::Document);
    assert_eq!(kind_of(text, "Ok."), RegionKind::Prose);
}

#[test]
fn fence_tags_pick_kinds() {
    let text = "```json\n{\"a\": 1}\n```\n```log\nboot\n```\n```text\nDear Zoe,\nhi\n```\n```go\nx := 1\n```";
    assert_eq!(kind_of(text, "{\"a\""), RegionKind::Data);
    assert_eq!(kind_of(text, "boot"), RegionKind::Log);
    assert_eq!(kind_of(text, "hi\n"), RegionKind::Document);
    assert_eq!(kind_of(text, "x :="), RegionKind::Code);
}

#[test]
fn untagged_fence_with_prose_is_prose() {
    let text = "```\nHello team, this is the announcement I would like to send out today.\nPlease review it carefully and tell me what you think of it.\n```";
    assert_eq!(kind_of(text, "Hello team"), RegionKind::Prose);
    assert_eq!(kind_of(text, "```"), RegionKind::Code);
}

#[test]
fn covering_and_kind_at() {
    let text = "a `b` c";
    let seg = segment(text);
    let kinds: Vec<_> = seg.covering(1..4).map(|r| r.kind).collect();
    assert_eq!(kinds, vec![RegionKind::Prose, RegionKind::InlineCode]);
    assert_eq!(seg.kind_at(100), RegionKind::Prose);
    assert_eq!(seg.covering(5..5).count(), 0);
    assert_eq!(seg.covering(6..6).count(), 0);
}

#[test]
fn mixed_scripts_keep_boundaries() {
    let text = "नमस्ते `कोड` 你好 مرحبا e\u{301}\n```py\nprint(\"你好 😀\")  # टिप्पणी\n```\n😀";
    regions(text);
    assert_eq!(kind_of(text, "你好 😀"), RegionKind::CodeText);
    assert_eq!(kind_of(text, "टिप्पणी"), RegionKind::CodeText);
}

#[test]
fn long_inputs_are_linear() {
    let line = "{\"k\": [1, 2, 3\n";
    let text = line.repeat(20_000);
    regions(&text);
    let text = "- a: b\n".repeat(20_000) + "x: y\n";
    regions(&text);
    let text =
        "\n    An indented paragraph of prose that goes on and on for a while.\n".repeat(20_000);
    regions(&text);
    let text = "'x ".repeat(50_000) + &"`".repeat(3) + &"``` ".repeat(10_000);
    regions(&text);
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Hello there, how are you today?\n".to_string()),
        Just("```python\nprint(\"Hi Ana\")  # note\n".to_string()),
        Just("```\n".to_string()),
        Just("$ ls -la /home/ana\ntotal 0\n".to_string()),
        Just("2023-01-05 12:00:01 ERROR boom\n".to_string()),
        Just("Traceback (most recent call last):\n  File \"a.py\", line 1\n".to_string()),
        Just("{\"name\": \"Ana\",\n\"x\": [1, {\"y\": 2}]}\n".to_string()),
        Just("a,b,c\n1,2,3\n4,5,6\n".to_string()),
        Just("From: ana@example.com\nSubject: hi\n\nDear Bo,\nBest regards,\nAna\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("नमस्ते दुनिया 你好 مرحبا e\u{301} 😀 `x'y\"`\n".to_string()),
        Just("\n".to_string()),
        Just("    indented(code);\n".to_string()),
        Just("> quoted ``` \n".to_string()),
        "[ -~\u{900}-\u{97f}\u{4e00}-\u{4e10}\u{1f600}\n`'\"#/*-]{0,40}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_strings_tile(text in any::<String>()) {
        check(&text, &segment(&text));
    }

    #[test]
    fn mixes_tile(parts in proptest::collection::vec(piece(), 0..16)) {
        let text = parts.concat();
        check(&text, &segment(&text));
        for r in segment(&text).regions() {
            for kv in keyed_values(&text, r) {
                prop_assert!(text.get(kv.key.clone()).is_some() && text.get(kv.value.clone()).is_some());
                prop_assert!(r.range.start <= kv.key.start && kv.value.end <= r.range.end);
            }
        }
    }
}

/// Throughput on a realistic mix: `cargo test --release -p scrim-core --lib segment::tests::speed -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run in release"]
fn speed() {
    let chunk = "Sure! Here is how you can do it. First, install the package and then run the script.\n\n```python\nimport os\n\ndef main(path):\n    # read the file\n    with open(path) as f:\n        return f.read().split(\",\")  # split on commas\n```\n\nIf you see `ModuleNotFoundError`, run:\n\n$ pip install requests\nCollecting requests\n\n2023-01-05 12:00:01 INFO started\n2023-01-05 12:00:02 ERROR failed for user bob\n\n| Name | Email |\n|---|---|\n| Ann | ann@example.com |\n\nBest regards,\nAnn\n";
    let text = chunk.repeat(20_000);
    let start = std::time::Instant::now();
    let seg = segment(&text);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} bytes, {} regions, {:.1} MB/s",
        text.len(),
        seg.len(),
        text.len() as f64 / secs / 1e6
    );
    let prose =
        "The quick brown fox jumps over the lazy dog, and then it runs away; nobody saw it.\n"
            .repeat(100_000);
    let start = std::time::Instant::now();
    let seg = segment(&prose);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "prose: {} bytes, {} regions, {:.1} MB/s",
        prose.len(),
        seg.len(),
        prose.len() as f64 / secs / 1e6
    );
}
