//! Unit tests of the name tier: the tokenizers, and names the detector must (not) find.

use std::sync::Arc;

use super::lists::{roles, MAX_ROLE_BYTES};
use super::words::{words, words_ascii, words_chars, Case, Word};
use super::NameDetector;
use crate::detect::Detector;
use crate::label::Label;
use crate::lexicon::Lexicon;

#[test]
fn splits_words_with_positions() {
    let lex = Lexicon::builtin().unwrap();
    let t = "hi Maya! I'm O'Brien, from São Paulo 😀 ok";
    let ws = words(t, &lex, &roles());
    let got: Vec<&str> = ws.iter().map(|w| &t[w.start..w.end]).collect();
    assert_eq!(
        got,
        vec!["hi", "Maya", "I'm", "O'Brien", "from", "São", "Paulo", "ok"]
    );
    assert!(ws[0].sentence_start);
    assert!(!ws[1].sentence_start);
    assert!(ws[2].sentence_start);
    assert_eq!(ws[1].case, Case::Title);
    assert!(ws[7].sentence_start, "after emoji");
}

#[test]
fn never_panics_on_odd_text() {
    let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
    for t in [
        "",
        "'",
        "-a-",
        "my name is",
        "मेरा नाम प्रिया है",
        "ÀÉ ÎÕ",
        "a\u{301}b",
        "I'm",
        "hi ,",
    ] {
        let mut out = Vec::new();
        d.detect(t, &mut out).unwrap();
        for f in out {
            assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
        }
    }
}

fn persons(t: &str) -> Vec<&str> {
    let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
    let mut out = Vec::new();
    d.detect(t, &mut out).unwrap();
    out.iter()
        .filter(|f| f.label == Label::Person)
        .map(|f| &t[f.span.start()..f.span.end()])
        .collect()
}

#[test]
fn lone_acronyms_are_not_names() {
    for t in [
        "just send me the IBAN and the SIM details",
        "is the KYC done for Maya yet?",
    ] {
        let p = persons(t);
        assert!(
            !p.iter().any(|x| x.chars().all(|c| c.is_ascii_uppercase())),
            "{t}: {p:?}"
        );
    }
    assert!(persons("is the KYC done for Maya yet?").contains(&"Maya"));
}

#[test]
fn middle_initials_stay_inside_the_name() {
    assert_eq!(
        persons("Stefanie F. Schneider is the keynote speaker"),
        vec!["Stefanie F. Schneider"]
    );
    assert_eq!(
        persons("Name: Chise T. Horiguchi"),
        vec!["Chise T. Horiguchi"]
    );
    // A sentence that ends in a capital letter still ends there.
    assert!(persons("We chose plan B. Then Maya left").contains(&"Maya"));
    assert!(!persons("We chose plan B. Then Maya left")
        .iter()
        .any(|p| p.contains("B.")));
}

#[test]
fn signature_blocks_keep_their_capitals() {
    // Title-cased address lines below a name do not make the name look like a headline.
    let t = "Maha Cazares\n\nChiclana de la Frontera\nSpain";
    assert_eq!(persons(t), vec!["Maha Cazares"]);
    // A common given name that is also a word stays before a surname.
    assert_eq!(
        persons("Harry Sheppard\n\n515 Gemsbok St"),
        vec!["Harry Sheppard"]
    );
}

#[test]
fn role_words_fit_the_length_limit() {
    for w in roles().keys() {
        assert!(w.len() <= MAX_ROLE_BYTES, "{w}");
    }
}

#[test]
fn ascii_words_agree_with_the_general_tokenizer() {
    let lex = Lexicon::builtin().unwrap();
    let roles = roles();
    let key = |w: &Word| {
        (
            w.start,
            w.end,
            w.lower.to_string(),
            w.case,
            w.sentence_start,
            w.gap_before,
            w.colon_before,
            w.never,
            w.cue_end,
        )
    };
    let pieces = [
        "Maya",
        "maya's",
        "O'Brien",
        "jean-luc",
        " ",
        "  ",
        ". ",
        "F. ",
        "A.",
        "-",
        "'",
        "'s",
        "s",
        "42",
        "4B",
        "x2",
        ":",
        "\n",
        "!",
        "?",
        "\"",
        ",",
        "(",
        ")",
        "@",
        "#",
        "/",
        "&",
        "*",
        "my name is ",
        "call me ",
        "USA",
        "the",
        "Dr",
        "\t",
        "yasss",
        "Hi",
        "lol",
    ];
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    for len in 0..400 {
        let t: String = (0..len % 40)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                pieces[(rng % pieces.len() as u64) as usize]
            })
            .collect();
        let a: Vec<_> = words_ascii(&t, &lex, &roles).iter().map(key).collect();
        let b: Vec<_> = words_chars(&t, &lex, &roles).iter().map(key).collect();
        assert_eq!(a, b, "{t:?}");
    }
}

#[test]
fn code_and_abbreviations_are_not_names() {
    assert!(persons("then print(max(len(x))) and elif conn.cursor()").is_empty());
    let cited = persons("see IEEE Trans. Syst. Man Cybern., and Comput. Intell. Neurosci.");
    assert!(
        !cited
            .iter()
            .any(|p| p.contains("Syst") || p.contains("Comput")),
        "{cited:?}"
    );
    assert_eq!(persons("I met Tebogo. He was late"), vec!["Tebogo"]);
    assert_eq!(persons("talked to priya yesterday"), vec!["priya"]);
    assert!(persons("I’m fine, I’ve been busy").is_empty());
}

#[test]
fn speakers_of_a_dialogue_are_persons() {
    let t = "They sit down.\n\nKORVIN: So, uh, how's it going?\n\nMELISSA: (smirking) Fine.\n\
             KORVIN: Good to hear.";
    let p = persons(t);
    assert_eq!(p.iter().filter(|x| **x == "KORVIN").count(), 2, "{p:?}");
    assert!(p.contains(&"MELISSA"), "{p:?}");
    let script = "INT. KITCHEN - DAY\n\nRUBY\nHi, how are you doing today?\n\nTOBIAS\nNot bad.\n\nRUBY\nGood.";
    let p = persons(script);
    assert!(p.contains(&"RUBY") && p.contains(&"TOBIAS"), "{p:?}");
    let chat = "Maya: hi\nTobias: hey, you coming?\nMaya: yes!";
    assert_eq!(persons(chat), vec!["Maya", "Tobias", "Maya"]);
}

#[test]
fn roles_and_key_value_blocks_are_not_speakers() {
    for t in [
        "User: hi\nAssistant: hello\nUser: how are you?",
        "Q: what is it?\nA: a test\nQ: why?",
        "Name: the full name\nEmail: the address\nPhone: the number\nNote: optional",
        "Data: raw\nOutput: cooked\nData: more",
        "Total: 15\nShipping: 3\nTax: 1",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
}

#[test]
fn terms_are_not_unknown_names() {
    for t in [
        "We need real-time updates. Real-time matters for Colposcopy results.",
        "Metrics live in different Namespaces and Blockchains.",
        "a German and a Russian walked in with Thai food",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
}

#[test]
fn surnames_after_initials_are_mid_sentence() {
    let t = "[26] P. Pannil, K. Smerpitak, T. Trisuwannawat, Load swing control";
    let p = persons(t);
    assert!(p.iter().any(|x| x.contains("Smerpitak")), "{p:?}");
}

#[test]
fn state_codes_in_addresses() {
    let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
    let places = |t: &'static str| {
        let mut out = Vec::new();
        d.detect(t, &mut out).unwrap();
        out.iter()
            .filter(|f| f.label == Label::Location)
            .map(|f| &t[f.span.start()..f.span.end()])
            .collect::<Vec<_>>()
    };
    assert!(places("I moved to Albany, NY last year").contains(&"NY"));
    assert!(places("ship it to 12 Elm Rd, Springfield, OH 45501").contains(&"OH"));
    assert!(places("Research Assistant, Richardson , TX").contains(&"TX"));
    assert!(!places("grid 11S NU 51000 11000").contains(&"NU"));
    assert!(!places("OH no, not again").contains(&"OH"));
    assert!(!places("let us know")
        .iter()
        .any(|p| p.eq_ignore_ascii_case("us")));
}

#[test]
fn headings_and_fields_are_not_speakers() {
    for t in [
        "URL: https://a.test/1\nQuery: best shoes\nURL: https://a.test/2\nReading: none",
        "Pain Points: cost\nBuying Behaviour: online\nMedia Consumption: tv",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
}

fn labelled(t: &str, label: Label) -> Vec<&str> {
    let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
    let mut out = Vec::new();
    d.detect(t, &mut out).unwrap();
    out.iter()
        .filter(|f| f.label == label)
        .map(|f| &t[f.span.start()..f.span.end()])
        .collect()
}

#[test]
fn software_and_brand_names_are_not_people() {
    for t in [
        "I deployed it with Kubernetes and Nginx",
        "the state lives in Redux and the API in Elasticsearch",
        "Terraform keeps failing on my laptop",
        "I took a course on Udemy, then one on Coursera",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
    // Not a place after a place cue either.
    assert!(labelled("I learned it from Pluralsight", Label::Location).is_empty());
    // Unknown words that are no product are still guessed.
    assert_eq!(
        persons("I deployed it with Kubernetes and Tebogo"),
        vec!["Tebogo"]
    );
}

#[test]
fn product_words_leave_cues_and_known_names_alone() {
    // A cue decides whatever the word is.
    assert_eq!(persons("Hi, my name is Nginx"), vec!["Nginx"]);
    assert_eq!(persons("my daughter Kubernetes is two"), vec!["Kubernetes"]);
    // A known name that is also a package name stays a name.
    assert_eq!(persons("I asked Julia about it"), vec!["Julia"]);
    assert_eq!(persons("I asked Ruby about it"), vec!["Ruby"]);
    // Even were it in the product list, a known name or place is never cleared.
    let lex = Lexicon::builtin().unwrap();
    let mut ws = words("Julia Boise Nginx", &lex, &roles());
    for w in &mut ws {
        w.info.product = true;
    }
    let cleared: Vec<bool> = ws.iter().map(super::predicates::product_word).collect();
    assert_eq!(cleared, vec![false, false, true]);
}

#[test]
fn placeholders_and_measurements_are_not_names() {
    for t in [
        "Name: John Doe\nCity: Anytown",
        "Dear Jane Doe, welcome",
        "Glucose: 123 mg/dL\nCreatinine: 1.8 mg/dL\nHematocrit: 45%",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
    assert!(persons("John Smith and John met").contains(&"John Smith"));
}

#[test]
fn towns_in_capitals_after_a_place_cue() {
    assert_eq!(
        labelled("Mr. Leiva flew to KORVENDAL on Tuesday", Label::Location),
        vec!["KORVENDAL"]
    );
    assert!(persons("the handle is cast to LPCWSTR first").is_empty());
}

#[test]
fn unknown_names_with_middle_initials() {
    assert_eq!(
        persons("I wrote to Mijail C Adomo and Korvath R. Vizirov"),
        vec!["Mijail C Adomo", "Korvath R. Vizirov"]
    );
}

#[test]
fn function_words_and_numerals_are_not_places() {
    for t in [
        "Of course! Let's imagine it.",
        "since the end of World War II, and type II diabetes",
    ] {
        assert!(
            labelled(t, Label::Location).is_empty(),
            "{t}: {:?}",
            labelled(t, Label::Location)
        );
    }
}

#[test]
fn idioms_after_titles_are_not_names() {
    let p = persons("the story of Mr. Nice Guy and his friends");
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(
        persons("ask Dr. Mehta, Mrs. Brown or Mr. Trump"),
        vec!["Mehta", "Brown", "Trump"]
    );
}

#[test]
fn authors_of_reference_entries_are_persons() {
    // Made-up entries in IEEE, Vancouver and APA-like styles.
    let t = "References\n\
             [12] Tomasz K. Wierzbicki, Oyelaran A. Bamidele, S.-K. Yoon, An adaptive crane \
             controller for offshore lifts, Control Eng. Pract. 31 (2019) 12–20.\n\
             [13] Ferrante P A. Contact wear of polymer gears. Wear. 2011;271:100-9.\n\
             4. Quist, Hallvard M., et al. \"Sibling rivalry in later life.\" J. Fam. 2016.\n";
    let p = persons(t);
    for name in [
        "Tomasz K. Wierzbicki",
        "Oyelaran A. Bamidele",
        "S.-K. Yoon",
        "Ferrante P A",
        "Quist, Hallvard M",
    ] {
        assert!(p.contains(&name), "{name}: {p:?}");
    }
    assert!(
        !p.iter()
            .any(|x| x.contains("adaptive") || x.contains("Contact")),
        "{p:?}"
    );
    // Numbered lists of capitalised terms, even with a year, are not authors.
    for t in [
        "1. Machine Learning, Deep Learning, Neural Networks (2020)\n",
        "[2] Revenue Growth, Market Share, 2021 targets\n",
        "3. Buy milk, eggs, bread in 2024\n",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
}

#[test]
fn companies_and_eponyms_are_not_persons() {
    for t in [
        "They put $2 billion in Melvin Capital Management last year.",
        "Ask Gamma Corp. about the invoice.",
        "Chapter 2 explains the Nice Guy syndrome in detail.",
        "She won the Turing Award for it.",
    ] {
        assert!(persons(t).is_empty(), "{t}: {:?}", persons(t));
    }
    // A person stays a person beside such words.
    assert!(persons("I met Maya Okafor at the bank.").contains(&"Maya Okafor"));
}

#[test]
fn a_place_before_its_state_code_or_country_even_in_title_case_lines() {
    let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
    for (t, want) in [
        (
            "Salesforce.com Indianapolis, IN Senior Business Analyst 03/2019",
            "Indianapolis",
        ),
        (
            "China Eastern Airline Shanghai, China\nSoftware Engineer",
            "Shanghai",
        ),
        (
            "Proc. Int. Conf. Syst., Syracuse, NY, 2011, pp. 51–58.",
            "NY",
        ),
    ] {
        let mut out = Vec::new();
        d.detect(t, &mut out).unwrap();
        let got: Vec<&str> = out
            .iter()
            .filter(|f| f.label == Label::Location)
            .map(|f| &t[f.span.start()..f.span.end()])
            .collect();
        assert!(got.contains(&want), "{t}: {got:?}");
    }
    let mut out = Vec::new();
    d.detect("Could you guys go to Ipswich , QLD", &mut out)
        .unwrap();
    assert!(out.iter().any(|f| f.label == Label::Location), "{out:?}");
    // A state code needs a known place before it.
    let mut out = Vec::new();
    d.detect("Total, IN stock, OK", &mut out).unwrap();
    assert!(out.iter().all(|f| f.label != Label::Location), "{out:?}");
}

#[test]
fn words_of_other_languages_opening_a_sentence_are_not_names() {
    // Spanish and Hinglish sentences open with verbs, greetings and adjectives the English lists
    // do not know; the cue's name is still found.
    let t = "Hola, soy Itziar Goikoetxea. Tengo una cita mañana. Lleva el DNI.";
    assert_eq!(persons(t), ["Itziar Goikoetxea"]);
    assert!(labelled(t, Label::Location).is_empty());
    assert!(persons("Badhiya, kal milte hain. Namaste!").is_empty());
    assert!(persons("Ship-to address is on file").is_empty());
    assert!(persons("HR ne PAN aur Aadhaar maanga, and my Passport too").is_empty());
    // A name opening a sentence still counts when the lists know it.
    assert_eq!(persons("Priscilla said hi."), ["Priscilla"]);
}

#[test]
fn cues_in_config_and_abbreviations_are_not_names() {
    assert!(
        persons("- display: Incident type\n  name: incidentType\n  required: false").is_empty()
    );
    assert!(persons("where Section Name will be replaced").is_empty());
    assert!(persons("Expert level MS Office and Google Suite").is_empty());
    assert!(persons("Hi GPT, what's wrong with this code").is_empty());
    // The cues still find names.
    assert_eq!(persons("name: Maya Okafor\nage: 31"), ["Maya Okafor"]);
    assert_eq!(persons("I saw Dr. Mehta today"), ["Mehta"]);
    assert_eq!(persons("Hi Priya, are you there"), ["Priya"]);
}

#[test]
fn a_name_before_a_hindi_honorific_is_a_person() {
    assert_eq!(persons("Namaste Kavita ji. BP kaafi high hai"), ["Kavita"]);
    assert_eq!(persons("Kya Sarla ji koi dawai le rahi hain?"), ["Sarla"]);
    assert!(persons("Haan ji, theek hai").is_empty());
}
