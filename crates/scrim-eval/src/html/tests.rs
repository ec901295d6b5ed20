use super::cases::snippet;
use super::*;
use crate::score;

fn page_of(gold: &[Doc], pred: &[Doc], sweep: &Sweep) -> String {
    let opts = Options::default();
    let report = score(gold, pred, &opts).unwrap();
    let runs = [TierRun {
        name: "rules",
        report: &report,
        pred,
    }];
    let info = PageInfo {
        gold_file: "gold.jsonl".into(),
        ..PageInfo::default()
    };
    render_html(&Page {
        info: &info,
        gold,
        runs: &runs,
        sweep,
        options: &opts,
        top: 30,
    })
}

fn no_sweep() -> Sweep {
    Sweep::Unavailable("the model tier was not run".into())
}

#[test]
fn text_and_ids_are_escaped() {
    let text = "Hi <script>alert(1)</script> Ann & \"Bo\"";
    let gold = [Doc::new(
        "<script>id</script>",
        Some(text.into()),
        vec![Span::new(29, 32, "PERSON")],
    )];
    let pred = [Doc::new(
        "<script>id</script>",
        None,
        vec![Span::new(3, 11, "URL")],
    )];
    let html = page_of(&gold, &pred, &no_sweep());
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("<mark>Ann</mark> &amp; &quot;Bo&quot;"));
    // The false alarm is shown too.
    assert!(html.contains("Hi <mark>&lt;script&gt;</mark>"));
}

#[test]
fn snippets_slice_code_points() {
    let text = "📞 call 李雷 now 👋🏽 bye";
    assert_eq!(
        snippet(text, 7, 9, 60),
        "📞 call <mark>李雷</mark> now 👋🏽 bye"
    );
    assert_eq!(snippet(text, 14, 16, 2), "…w <mark>👋🏽</mark> b…");
    assert_eq!(snippet(text, 0, 1, 0), "<mark>📞</mark>…");
    assert!(snippet(text, 19, 40, 1).contains("y<mark>e</mark>"));
    assert!(snippet(text, 19, 40, 1).contains("beyond"));
}

#[test]
fn a_cjk_miss_is_highlighted_in_the_page() {
    let text = "我叫王小明😀，住在北京";
    let gold = [Doc::new(
        "c#0",
        Some(text.into()),
        vec![Span::new(2, 5, "PERSON"), Span::new(9, 11, "LOCATION")],
    )];
    let pred = [Doc::new("c#0", None, vec![Span::new(9, 11, "LOCATION")])];
    let html = page_of(&gold, &pred, &no_sweep());
    assert!(
        html.contains("我叫<mark>王小明</mark>😀，住在北京"),
        "{html}"
    );
    assert!(html.contains("PERSON (missed)"));
}

#[test]
fn label_rows_have_the_scorer_numbers() {
    let text = "Ann met Bob in Paris";
    let gold = [Doc::new(
        "a",
        Some(text.into()),
        vec![
            Span::new(0, 3, "PERSON"),
            Span::new(8, 11, "PERSON"),
            Span::new(15, 20, "LOCATION"),
        ],
    )];
    let pred = [Doc::new(
        "a",
        None,
        vec![Span::new(0, 3, "PERSON"), Span::new(15, 17, "LOCATION")],
    )];
    let html = page_of(&gold, &pred, &no_sweep());
    let row = |label: &str| {
        let start = html.find(&format!("<tr data-label=\"{label}\">")).unwrap();
        let len = html[start..].find("</tr>").unwrap();
        html[start..start + len].to_owned()
    };
    let person = row("PERSON");
    assert!(person.contains("<td class=\"n\">2</td>"), "{person}");
    assert!(person.contains("0.500 <small>1/2</small>"), "{person}");
    assert!(
        person.contains("0.500 <small>3/6 chars</small>"),
        "{person}"
    );
    let location = row("LOCATION");
    assert!(location.contains("1.000 <small>1/1</small>"), "{location}");
    assert!(
        location.contains("0.600 <small>3/5 chars</small>"),
        "{location}"
    );
    assert!(html.contains("No trade-off: the model tier was not run"));
    assert!(html.contains("Ann met <mark>Bob</mark> in Paris"));
}

#[test]
fn the_sweep_draws_a_chart_and_a_table() {
    let gold = [Doc::new("a", None, vec![Span::new(0, 3, "PERSON")])];
    let point = |t: f64, r: f64| SweepPoint {
        threshold: t,
        precision: Some(0.5),
        recall: Some(r),
        char_recall: Some(r),
        f5: None,
    };
    let sweep = Sweep::Points {
        tiers: "rules,model".into(),
        note: "measured".into(),
        points: vec![point(0.3, 0.9), point(0.9, 0.4)],
    };
    let html = page_of(&gold, &gold, &sweep);
    assert!(html.contains("<svg"));
    assert_eq!(html.matches("<polyline").count(), 3);
    assert!(html
        .contains("<td class=\"n\">0.90</td><td class=\"n\">0.500</td><td class=\"n\">0.400</td>"));
    assert!(html.contains("The gold file has no text"));
    for bad in ["http://", "https://", "<script", "<link", "<img"] {
        assert!(!html.contains(bad), "{bad}");
    }
}
