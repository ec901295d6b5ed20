//! Presidio's REST API as Presidio's clients speak it: the documented request examples of its
//! analyzer and anonymizer, its anonymizer engine's own expected answers (byte for byte), its
//! error shapes and codes, code point offsets with emoji and non-Latin text, and the same
//! routes behind `scrim serve`'s tokens (Bearer or Basic), Cedar and audit log.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use scrim_server::presidio::Presidio;
use scrim_server::presidio_router;

fn service() -> Arc<Presidio> {
    let engine = Arc::new(scrim_core::Engine::new().unwrap());
    let key = scrim_core::Key::from_secret(b"a test key of the presidio routes");
    Arc::new(
        Presidio::new(engine, key)
            .unwrap()
            .with_max_body_bytes(64 * 1024),
    )
}

/// Send a request to `app`, with an `Authorization` header when `auth` is given; the status,
/// the body as text.
async fn call(
    app: axum::Router,
    method: Method,
    path: &str,
    auth: Option<String>,
    body: Option<String>,
) -> (StatusCode, String) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let req = req.body(body.map_or_else(Body::empty, Body::from)).unwrap();
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Send a raw body to the light service; the status, the body as text.
async fn send(
    p: &Arc<Presidio>,
    method: Method,
    path: &str,
    body: Option<String>,
) -> (StatusCode, String) {
    call(presidio_router(Arc::clone(p)), method, path, None, body).await
}

async fn post(p: &Arc<Presidio>, path: &str, body: Value) -> (StatusCode, Value) {
    let (s, text) = send(p, Method::POST, path, Some(body.to_string())).await;
    (
        s,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The slice of `text` between code point offsets.
fn cp(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

fn assert_result_shape(r: &Value) {
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    // Presidio writes its results with sorted keys.
    assert_eq!(
        keys,
        [
            "analysis_explanation",
            "end",
            "entity_type",
            "score",
            "start"
        ],
        "{r}"
    );
    assert!(r["start"].as_u64().unwrap() < r["end"].as_u64().unwrap());
    let s = r["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&s));
}

#[tokio::test]
async fn documented_analyze_examples() {
    let p = service();
    // "Minimal Request (single text)".
    let text = "John Smith drivers license is AC432223";
    let (s, v) = post(&p, "/analyze", json!({"text": text, "language": "en"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let results = v.as_array().unwrap();
    for r in results {
        assert_result_shape(r);
        assert!(r["analysis_explanation"].is_null());
    }
    // "Minimal Request (batch request)": a list of lists, one per text.
    let texts = json!([
        text,
        "John Smith drivers license is AC432223 and the zip code is 12345"
    ]);
    let (s, v) = post(&p, "/analyze", json!({"text": texts, "language": "en"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let batch = v.as_array().unwrap();
    assert_eq!(batch.len(), 2);
    assert_eq!(
        batch[0],
        Value::Array(results.clone()),
        "a batch answers each text as alone"
    );
    // "Enhanced Request (single text)": the weak zip pattern, raised by its context words to
    // 0.4, stays under the 0.6 threshold, as in Presidio's documented answer.
    let enhanced = json!({
        "text": "John Smith drivers license is AC432223 and the zip code is 12345",
        "language": "en",
        "return_decision_process": false,
        "correlation_id": "123e4567-e89b-12d3-a456-426614174000",
        "score_threshold": 0.6,
        "entities": ["US_DRIVER_LICENSE", "ZIP"],
        "trace": false,
        "ad_hoc_recognizers": [{
            "name": "Zip code Recognizer",
            "supported_language": "en",
            "patterns": [{"name": "zip code (weak)", "regex": "(\\b\\d{5}(?:\\-\\d{4})?\\b)", "score": 0.01}],
            "context": ["zip", "code"],
            "supported_entity": "ZIP"
        }]
    });
    let (s, v) = post(&p, "/analyze", enhanced.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    for r in v.as_array().unwrap() {
        assert_result_shape(r);
        assert_ne!(r["entity_type"], "ZIP", "{v}");
        assert_eq!(r["entity_type"], "US_DRIVER_LICENSE", "{v}");
    }
    // Without the threshold, the zip code is there, raised by context, and explained.
    let mut lower = enhanced;
    lower["score_threshold"] = json!(0.0);
    lower["return_decision_process"] = json!(true);
    let (_, v) = post(&p, "/analyze", lower).await;
    let zip = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity_type"] == "ZIP")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(
        (zip["start"].as_u64(), zip["end"].as_u64()),
        (Some(59), Some(64))
    );
    assert_eq!(zip["score"], json!(0.4));
    let why = &zip["analysis_explanation"];
    let keys: Vec<&str> = why
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "original_score",
            "pattern",
            "pattern_name",
            "recognizer",
            "regex_flags",
            "score",
            "score_context_improvement",
            "supportive_context_word",
            "textual_explanation",
            "validation_result"
        ]
    );
    assert_eq!(why["recognizer"], "Zip code Recognizer");
    assert_eq!(why["pattern_name"], "zip code (weak)");
    assert_eq!(why["original_score"], json!(0.01));
    assert_eq!(why["supportive_context_word"], "zip");
    assert_eq!(why["regex_flags"], json!(26));
}

#[tokio::test]
async fn entity_names_offsets_in_code_points() {
    let p = service();
    for text in [
        "🙂🙂 write to priya.sharma@example.com or call +1 (415) 555-0134 🙂",
        "山田さんのメールは yamada.taro@example.co.jp です。電話 +81 3-1234-5678",
        "मेरा ईमेल rahul.verma@example.in है, कार्ड 4111 1111 1111 1111",
    ] {
        let (s, v) = post(&p, "/analyze", json!({"text": text, "language": "en"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let found: Vec<(String, String)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert_result_shape(r);
                let (a, b) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
                (
                    r["entity_type"].as_str().unwrap().to_string(),
                    cp(text, a, b),
                )
            })
            .collect();
        let email = found
            .iter()
            .find(|(e, _)| e == "EMAIL_ADDRESS")
            .unwrap_or_else(|| panic!("{text}: {found:?}"));
        assert!(email.1.contains("@example."), "{found:?}");
        assert!(text.contains(&email.1));
    }
    let (_, v) = post(&p, "/analyze", json!({"text": "card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32", "language": "en"})).await;
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entity_type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"CREDIT_CARD") && kinds.contains(&"IBAN_CODE"),
        "{v}"
    );
}

#[tokio::test]
async fn entities_threshold_and_allow_lists() {
    let p = service();
    let text = "Email jane.doe@example.com or support@example.com, IP 203.0.113.7";
    let (_, all) = post(&p, "/analyze", json!({"text": text, "language": "en"})).await;
    let emails = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["entity_type"] == "EMAIL_ADDRESS")
        .count();
    assert_eq!(emails, 2, "{all}");
    let (_, only) = post(
        &p,
        "/analyze",
        json!({"text": text, "language": "en", "entities": ["IP_ADDRESS"]}),
    )
    .await;
    assert!(
        only.as_array()
            .unwrap()
            .iter()
            .all(|r| r["entity_type"] == "IP_ADDRESS"),
        "{only}"
    );
    assert!(!only.as_array().unwrap().is_empty());
    let (_, none) = post(
        &p,
        "/analyze",
        json!({"text": text, "language": "en", "score_threshold": 1.01}),
    )
    .await;
    assert_eq!(none, json!([]));
    let (_, exact) = post(
        &p,
        "/analyze",
        json!({"text": text, "language": "en",
        "allow_list": ["support@example.com"]}),
    )
    .await;
    let left: Vec<String> = exact
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["entity_type"] == "EMAIL_ADDRESS")
        .map(|r| {
            cp(
                text,
                r["start"].as_u64().unwrap(),
                r["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(left, ["jane.doe@example.com"]);
    let (_, regex) = post(
        &p,
        "/analyze",
        json!({"text": text, "language": "en",
        "allow_list": ["^support@", "^203\\."], "allow_list_match": "regex"}),
    )
    .await;
    let left: Vec<String> = regex
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            cp(
                text,
                r["start"].as_u64().unwrap(),
                r["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(left, ["jane.doe@example.com"], "{regex}");
    // Ad-hoc deny lists, of another language: ignored, as Presidio's registry does.
    let deny = json!({"supported_entity": "TITLE", "deny_list": ["Mr", "Mrs"], "supported_language": "de"});
    let (_, v) = post(
        &p,
        "/analyze",
        json!({"text": "Mr Smith", "language": "en", "ad_hoc_recognizers": [deny]}),
    )
    .await;
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["entity_type"] != "TITLE"));
    let deny = json!({"supported_entity": "TITLE", "deny_list": ["Mr", "Mrs"]});
    let (_, v) = post(
        &p,
        "/analyze",
        json!({"text": "Mr Smith", "language": "en", "ad_hoc_recognizers": [deny]}),
    )
    .await;
    let t = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity_type"] == "TITLE")
        .unwrap();
    assert_eq!(
        (t["start"].as_u64(), t["end"].as_u64(), t["score"].as_f64()),
        (Some(0), Some(2), Some(1.0))
    );
}

/// Presidio's anonymizer tests (`test_anonymize_engine.py`) and documented examples, with
/// their expected answers byte for byte.
#[tokio::test]
async fn anonymizer_answers_byte_for_byte() {
    let p = service();
    let jane = "hello world, my name is Jane Doe. My number is: 03-4453334";
    let cases = [
        (
            json!({"text": "The url is http://microsoft.com", "anonymizers": {"URL": {"type": "redact"}},
                   "analyzer_results": [{"start": 11, "end": 31, "score": 1.0, "entity_type": "URL"},
                                        {"start": 18, "end": 31, "score": 1.0, "entity_type": "URL"}]}),
            r#"{"text": "The url is ", "items": [{"start": 11, "end": 11, "entity_type": "URL", "text": "", "operator": "redact"}]}"#,
        ),
        (
            json!({"text": jane, "anonymizers": {
                      "DEFAULT": {"type": "mask", "masking_char": "*", "chars_to_mask": 20, "from_end": false},
                      "PHONE_NUMBER": {"type": "mask", "masking_char": "*", "chars_to_mask": 6, "from_end": true}},
                   "analyzer_results": [{"start": 24, "end": 32, "score": 0.8, "entity_type": "NAME"},
                                        {"start": 48, "end": 57, "score": 0.95, "entity_type": "PHONE_NUMBER"}]}),
            r#"{"text": "hello world, my name is ********. My number is: 03-******4", "items": [{"start": 48, "end": 57, "entity_type": "PHONE_NUMBER", "text": "03-******", "operator": "mask"}, {"start": 24, "end": 32, "entity_type": "NAME", "text": "********", "operator": "mask"}]}"#,
        ),
        (
            json!({"text": jane, "anonymizers": {"ABC": {"type": "mask", "masking_char": "*", "chars_to_mask": 6, "from_end": true}},
                   "analyzer_results": [{"start": 24, "end": 32, "score": 0.8, "entity_type": "NAME"},
                                        {"start": 48, "end": 57, "score": 0.95, "entity_type": "PHONE_NUMBER"}]}),
            r#"{"text": "hello world, my name is <NAME>. My number is: <PHONE_NUMBER>4", "items": [{"start": 46, "end": 60, "entity_type": "PHONE_NUMBER", "text": "<PHONE_NUMBER>", "operator": "replace"}, {"start": 24, "end": 30, "entity_type": "NAME", "text": "<NAME>", "operator": "replace"}]}"#,
        ),
        (
            json!({"text": jane, "anonymizers": {"NAME": {"type": "redact", "new_value": "ANONYMIZED"},
                                                  "PHONE_NUMBER": {"type": "replace", "new_value": ""}},
                   "analyzer_results": [{"start": 24, "end": 32, "score": 0.8, "entity_type": "NAME"},
                                        {"start": 48, "end": 57, "score": 0.95, "entity_type": "PHONE_NUMBER"}]}),
            r#"{"text": "hello world, my name is . My number is: <PHONE_NUMBER>4", "items": [{"start": 40, "end": 54, "entity_type": "PHONE_NUMBER", "text": "<PHONE_NUMBER>", "operator": "replace"}, {"start": 24, "end": 24, "entity_type": "NAME", "text": "", "operator": "redact"}]}"#,
        ),
        (
            json!({"text": jane, "anonymizers": {},
                   "analyzer_results": [
                       {"start": 24, "end": 32, "score": 0.6, "entity_type": "FULL_NAME"},
                       {"start": 48, "end": 56, "score": 0.95, "entity_type": "PHONE_NUMBER"},
                       {"start": 54, "end": 57, "score": 0.8, "entity_type": "SSN"},
                       {"start": 24, "end": 28, "score": 0.9, "entity_type": "FIRST_NAME"},
                       {"start": 29, "end": 33, "score": 0.6, "entity_type": "LAST_NAME"},
                       {"start": 24, "end": 30, "score": 0.8, "entity_type": "NAME"}]}),
            r#"{"text": "hello world, my name is <FULL_NAME><LAST_NAME> My number is: <PHONE_NUMBER><SSN>4", "items": [{"start": 75, "end": 80, "entity_type": "SSN", "text": "<SSN>", "operator": "replace"}, {"start": 61, "end": 75, "entity_type": "PHONE_NUMBER", "text": "<PHONE_NUMBER>", "operator": "replace"}, {"start": 35, "end": 46, "entity_type": "LAST_NAME", "text": "<LAST_NAME>", "operator": "replace"}, {"start": 24, "end": 35, "entity_type": "FULL_NAME", "text": "<FULL_NAME>", "operator": "replace"}]}"#,
        ),
        (
            json!({"text": jane, "anonymizers": {},
                   "analyzer_results": [{"start": 24, "end": 32, "score": 0.6, "entity_type": "FULL_NAME"},
                                        {"start": 29, "end": 33, "score": 0.6, "entity_type": "FULL_NAME"}]}),
            r#"{"text": "hello world, my name is <FULL_NAME> My number is: 03-4453334", "items": [{"start": 24, "end": 35, "entity_type": "FULL_NAME", "text": "<FULL_NAME>", "operator": "replace"}]}"#,
        ),
        // The API documentation's "Replace as default Anonymizer".
        (
            json!({"text": "hello world, my name is Jane Doe.", "anonymizers": {"DEFAULT": {"type": "replace", "new_value": "ANONYMIZED"}},
                   "analyzer_results": [{"start": 24, "end": 32, "score": 0.8, "entity_type": "PERSON"}]}),
            r#"{"text": "hello world, my name is ANONYMIZED.", "items": [{"start": 24, "end": 34, "entity_type": "PERSON", "text": "ANONYMIZED", "operator": "replace"}]}"#,
        ),
        // Neighbours of one type with only spaces between them become one.
        (
            json!({"text": "Call Jane Doe now", "analyzer_results": [
                {"start": 5, "end": 9, "score": 0.8, "entity_type": "PERSON"},
                {"start": 10, "end": 13, "score": 0.8, "entity_type": "PERSON"}]}),
            r#"{"text": "Call <PERSON> now", "items": [{"start": 5, "end": 13, "entity_type": "PERSON", "text": "<PERSON>", "operator": "replace"}]}"#,
        ),
    ];
    for (req, want) in cases {
        let (s, body) = send(&p, Method::POST, "/anonymize", Some(req.to_string())).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let want: Value = serde_json::from_str(want).unwrap();
        // Same values, same key order (Presidio's json.dumps of __dict__).
        assert_eq!(body, serde_json::to_string(&want).unwrap());
    }
}

#[tokio::test]
async fn operators_with_emoji_and_non_latin_text() {
    let p = service();
    let text = "🙂 私は山田太郎です, call 📞 +1 415 555 0134!";
    let name_s = text.chars().position(|c| c == '山').unwrap() as u64;
    let phone_s = text.chars().position(|c| c == '+').unwrap() as u64;
    let req = json!({"text": text,
        "anonymizers": {
            "PERSON": {"type": "mask", "masking_char": "*", "chars_to_mask": 2, "from_end": false},
            "PHONE_NUMBER": {"type": "hash", "hash_type": "sha512", "salt": "0123456789abcdef"}},
        "analyzer_results": [
            {"start": name_s, "end": name_s + 4, "score": 0.9, "entity_type": "PERSON"},
            {"start": phone_s, "end": phone_s + 15, "score": 0.9, "entity_type": "PHONE_NUMBER"}]});
    let (s, v) = post(&p, "/anonymize", req).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let out = v["text"].as_str().unwrap();
    assert!(out.starts_with("🙂 私は**太郎です, call 📞 "), "{out}");
    for item in v["items"].as_array().unwrap() {
        let (a, b) = (
            item["start"].as_u64().unwrap(),
            item["end"].as_u64().unwrap(),
        );
        assert_eq!(cp(out, a, b), item["text"].as_str().unwrap(), "{v}");
    }
    assert_eq!(v["items"][0]["text"].as_str().unwrap().len(), 128);
    // encrypt, then deanonymize with the same key: the value comes back.
    let key = "WmZq4t7w!z%C&F)J";
    let (_, enc) = post(&p, "/anonymize", json!({"text": text,
        "anonymizers": {"DEFAULT": {"type": "encrypt", "key": key}},
        "analyzer_results": [{"start": name_s, "end": name_s + 4, "score": 0.9, "entity_type": "PERSON"}]})).await;
    let item = &enc["items"][0];
    assert_eq!(item["operator"], "encrypt");
    let (s, dec) = post(&p, "/deanonymize", json!({"text": enc["text"],
        "deanonymizers": {"PERSON": {"type": "decrypt", "key": key}},
        "anonymizer_results": [{"start": item["start"], "end": item["end"], "entity_type": "PERSON"}]})).await;
    assert_eq!(s, StatusCode::OK, "{dec}");
    assert_eq!(dec["text"], text);
    // Scrim's keyed pseudonyms: the same value, the same pseudonym, across requests.
    let pseudo = |t: &str| {
        json!({"text": t, "anonymizers": {"DEFAULT": {"type": "scrim_pseudonym", "style": "tag"}},
        "analyzer_results": [{"start": 0, "end": 8, "score": 0.9, "entity_type": "PERSON"}]})
    };
    let (_, a) = post(&p, "/anonymize", pseudo("Jane Doe called")).await;
    let (_, b) = post(&p, "/anonymize", pseudo("Jane Doe again")).await;
    assert_eq!(a["items"][0]["text"], b["items"][0]["text"]);
    assert!(a["text"].as_str().unwrap().starts_with("<PERSON_"), "{a}");
}

#[tokio::test]
async fn presidio_error_shapes_and_codes() {
    let p = service();
    let secret = "Zebulon Quackenbush 4111 1111 1111 1111";
    let cases: Vec<(&str, Option<String>, StatusCode, &str)> = vec![
        ("/analyze", Some(json!({"language": "en"}).to_string()), StatusCode::INTERNAL_SERVER_ERROR, "No text provided"),
        ("/analyze", Some(json!({"text": secret}).to_string()), StatusCode::INTERNAL_SERVER_ERROR, "No language provided"),
        ("/analyze", Some(json!({"text": secret, "language": "en", "allow_list": ["x"], "allow_list_match": "fuzzy"}).to_string()),
            StatusCode::INTERNAL_SERVER_ERROR, "allow_list_match must either be set to 'exact' or 'regex'."),
        // A body that is not JSON, or not an object: 400 in Presidio's shape (Presidio's own
        // analyzer fails inside Flask with a 500 page; its anonymizer answers this).
        ("/analyze", Some(format!("{{\"text\": \"{secret}\"")), StatusCode::BAD_REQUEST, "Invalid request json"),
        ("/analyze", Some(json!([secret]).to_string()), StatusCode::BAD_REQUEST, "Invalid request json"),
        // A language the service does not read (default: Presidio's `en`), as Presidio.
        ("/analyze", Some(json!({"text": secret, "language": "fr"}).to_string()), StatusCode::INTERNAL_SERVER_ERROR,
            "No matching recognizers were found to serve the request."),
        ("/analyze", Some(json!({"text": secret, "language": "fr", "ad_hoc_recognizers": [{"name": "r", "supported_language": "fr",
            "supported_entity": "X", "deny_list": ["Zebulon"]}]}).to_string()), StatusCode::INTERNAL_SERVER_ERROR,
            "No matching recognizers were found to serve the request."),
        ("/anonymize", Some("{}".into()), StatusCode::BAD_REQUEST, "Invalid request json"),
        ("/anonymize", Some(format!("{{\"text\": \"{secret}\"")), StatusCode::BAD_REQUEST, "Invalid request json"),
        ("/anonymize", Some(json!({"text": secret}).to_string()), StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid input, request must contain analyzer results"),
        ("/anonymize", Some(json!({"text": secret, "analyzer_results": [{"start": 0, "end": 99, "score": 1, "entity_type": "X"}]}).to_string()),
            StatusCode::UNPROCESSABLE_ENTITY, "Invalid analyzer result, start: 0 and end: 99, while text length is only 39."),
        ("/anonymize", Some(json!({"text": secret, "analyzer_results": [{"start": 0, "end": 7, "entity_type": "X"}]}).to_string()),
            StatusCode::UNPROCESSABLE_ENTITY, "Invalid input, analyzer result must contain score"),
        ("/anonymize", Some(json!({"text": secret, "anonymizers": {"X": {"type": "custom", "lambda": "lambda x: x"}},
            "analyzer_results": []}).to_string()), StatusCode::BAD_REQUEST, "Custom type anonymizer is not supported"),
        ("/anonymize", Some(json!({"text": secret, "anonymizers": {"X": {"type": "mask", "masking_char": "**", "chars_to_mask": 1, "from_end": true}},
            "analyzer_results": [{"start": 0, "end": 7, "score": 1, "entity_type": "X"}]}).to_string()),
            StatusCode::UNPROCESSABLE_ENTITY, "Invalid input, masking_char must be a character"),
        ("/anonymize", Some(json!({"text": secret, "anonymizers": {"X": {"type": "encrypt", "key": "short"}},
            "analyzer_results": [{"start": 0, "end": 7, "score": 1, "entity_type": "X"}]}).to_string()),
            StatusCode::UNPROCESSABLE_ENTITY, "Invalid input, key must be of length 128, 192 or 256 bits"),
        ("/anonymize", Some(json!({"text": secret, "anonymizers": {"X": {"type": "decrypt", "key": "0123456789abcdef"}},
            "analyzer_results": [{"start": 0, "end": 7, "score": 1, "entity_type": "X"}]}).to_string()),
            StatusCode::UNPROCESSABLE_ENTITY, "Invalid operator class 'decrypt'."),
        // A name that is not an identifier may be data in the wrong field: not repeated.
        ("/anonymize", Some(json!({"text": secret, "anonymizers": {"X": {"type": "Zebulon Quackenbush"}},
            "analyzer_results": [{"start": 0, "end": 7, "score": 1, "entity_type": "X"}]}).to_string()),
            StatusCode::UNPROCESSABLE_ENTITY, "Invalid operator class '(not shown)'."),
        ("/anonymize", Some(json!({"text": secret.repeat(2000), "analyzer_results": []}).to_string()),
            StatusCode::PAYLOAD_TOO_LARGE, "the request body is larger than allowed"),
    ];
    for (path, body, status, message) in cases {
        let (s, text) = send(&p, Method::POST, path, body).await;
        assert_eq!(s, status, "{path}: {text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v, json!({"error": message}), "{path}");
        assert!(
            !text.contains("Zebulon") && !text.contains("4111"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn listings_and_health() {
    let p = service();
    let (s, h) = send(&p, Method::GET, "/health", None).await;
    assert_eq!(
        (s, h.as_str()),
        (StatusCode::OK, "Presidio Analyzer service is up")
    );
    let (_, e) = send(&p, Method::GET, "/supportedentities?language=en", None).await;
    let e: Vec<String> = serde_json::from_str(&e).unwrap();
    for name in [
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "LOCATION",
        "CREDIT_CARD",
        "IBAN_CODE",
        "IP_ADDRESS",
        "URL",
        "US_SSN",
        "DATE_TIME",
    ] {
        assert!(e.iter().any(|x| x == name), "{name}");
    }
    // A language the analyzer does not read: Presidio's 500; no language: the full listing.
    for path in ["/supportedentities?language=fr", "/recognizers?language=fr"] {
        let (s, v) = send(&p, Method::GET, path, None).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert_eq!(
            serde_json::from_str::<Value>(&v).unwrap(),
            json!({"error": "No matching recognizers were found to serve the request."})
        );
    }
    let (s, all) = send(&p, Method::GET, "/supportedentities", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(serde_json::from_str::<Vec<String>>(&all).unwrap(), e);
    // Languages named at start are read.
    let engine = Arc::new(scrim_core::Engine::new().unwrap());
    let key = scrim_core::Key::from_secret(b"a test key of the presidio routes");
    let de = Arc::new(
        Presidio::new(engine, key)
            .unwrap()
            .with_languages(["en", "de"]),
    );
    let (s, _) = send(&de, Method::GET, "/recognizers?language=de", None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = post(
        &de,
        "/analyze",
        json!({"text": "Mail an anna@example.de", "language": "de"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["entity_type"], "EMAIL_ADDRESS", "{v}");
    let (_, r) = send(&p, Method::GET, "/recognizers?language=en", None).await;
    assert!(serde_json::from_str::<Vec<String>>(&r)
        .unwrap()
        .contains(&"ScrimNameRecognizer".to_string()));
    let (_, a) = send(&p, Method::GET, "/anonymizers", None).await;
    let a: Vec<String> = serde_json::from_str(&a).unwrap();
    for op in [
        "hash",
        "mask",
        "redact",
        "replace",
        "encrypt",
        "keep",
        "scrim_pseudonym",
    ] {
        assert!(a.iter().any(|x| x == op), "{op}");
    }
}

/// Behind `scrim serve`: a `redactor` token (as Bearer, or as the password of HTTP Basic, what
/// LiteLLM sends for `http://token:SECRET@host/`), Cedar's no to other roles, and audit
/// entries without the text; on every back-end (the role came with a migration).
#[tokio::test]
async fn behind_the_gateway_tokens_cedar_and_audit() {
    use base64::Engine as _;
    use scrim_server::authz::Role;
    use scrim_server::{auth, router, Gateway, Settings};
    use scrim_store::{Governance, Keyring, SecretKey, Store};

    let tmp = tempfile::tempdir().unwrap();
    for pg in scrim_store::testing::backends().unwrap_or_else(|e| panic!("{e}")) {
        let url = scrim_store::testing::fresh_url(pg.as_deref(), tmp.path(), "gw.db")
            .await
            .unwrap();
        let store = Store::open(&url).await.unwrap();
        let ring = Keyring::from_keys(vec![SecretKey::random().unwrap()]).unwrap();
        let gw = Gateway::new(
            store,
            &ring,
            Governance::default_policy().unwrap(),
            scrim_core::Policy::default_policy().unwrap(),
            Settings::default(),
        )
        .await
        .unwrap();
        let pool = gw.store().pool().clone();
        let mut tokens = Vec::new();
        for (name, role) in [
            ("presto", Role::Redactor),
            ("rita", Role::Reviewer),
            ("pia", Role::PrivacyOfficer),
        ] {
            let u = auth::create_user(&pool, name, role, None, &[], &[])
                .await
                .unwrap();
            tokens.push(auth::issue_token(&pool, &u, "api", None).await.unwrap());
        }
        let (redactor, reviewer, officer) = (&tokens[0], &tokens[1], &tokens[2]);
        let body =
            json!({"text": "I'm Zebulon Quackenbush, zebulon.q@example.org", "language": "en"})
                .to_string();
        let send = |auth: Option<String>, path: &'static str, body: String| {
            let app = router(Arc::clone(&gw));
            async move {
                let (s, text) = call(app, Method::POST, path, auth, Some(body)).await;
                (s, serde_json::from_str::<Value>(&text).unwrap())
            }
        };
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("token:{redactor}"))
        );
        let (s, v) = send(Some(basic), "/analyze", body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(
            v.as_array()
                .unwrap()
                .iter()
                .any(|r| r["entity_type"] == "EMAIL_ADDRESS"),
            "{v}"
        );
        let (s, v) = send(Some(format!("Bearer {redactor}")), "/anonymize",
        json!({"text": "I'm Zebulon", "analyzer_results": [{"start": 4, "end": 11, "score": 0.9, "entity_type": "PERSON"}]}).to_string()).await;
        assert_eq!((s, &v["text"]), (StatusCode::OK, &json!("I'm <PERSON>")));
        let (s, _) = send(None, "/analyze", body.clone()).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = send(Some(format!("Bearer {reviewer}")), "/analyze", body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The audit log has each call, allowed or not, and none of the text.
        let (_, log) = call(
            router(Arc::clone(&gw)),
            Method::GET,
            "/api/audit?limit=1000",
            Some(format!("Bearer {officer}")),
            None,
        )
        .await;
        for action in ["text.analyze", "text.anonymize"] {
            assert!(log.contains(action), "{action}: {log}");
        }
        assert!(log.contains("deny"), "{log}");
        for raw in ["Zebulon", "Quackenbush", "example.org"] {
            assert!(!log.contains(raw), "{raw} in the audit log");
        }
    }
}

/// Context words raise Scrim's own results as Presidio's raise its predefined recognizers':
/// a word of the entity's (`mobile` for a phone number) among the five before it, or in the
/// request's `context`, adds 0.35 (at least 0.4, at most 1) and is named in the explanation.
#[tokio::test]
async fn context_words_raise_scrims_own_results() {
    let p = service();
    let phone = |v: &Value| -> Value {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["entity_type"] == "PHONE_NUMBER")
            .cloned()
            .unwrap_or_else(|| panic!("no phone number in {v}"))
    };
    let ask = |text: &str, context: Value| json!({"text": text, "language": "en", "return_decision_process": true, "context": context});
    let plain = "Reach me at 212 555 0143 tonight";
    let (s, v) = post(&p, "/analyze", ask(plain, Value::Null)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let base = phone(&v);
    let original = base["score"].as_f64().unwrap();
    assert_eq!(base["analysis_explanation"]["supportive_context_word"], "");
    let raised = (original + 0.35).clamp(0.4, 1.0);
    // The request's context.
    let (_, v) = post(&p, "/analyze", ask(plain, json!(["Mobile"]))).await;
    let r = phone(&v);
    assert!((r["score"].as_f64().unwrap() - raised).abs() < 1e-9, "{r}");
    assert_eq!(
        r["analysis_explanation"]["supportive_context_word"],
        "mobile"
    );
    assert_eq!(r["analysis_explanation"]["original_score"], json!(original));
    // A word before it.
    let (_, v) = post(
        &p,
        "/analyze",
        ask("my cellphone: 212 555 0143", Value::Null),
    )
    .await;
    let r = phone(&v);
    assert!((r["score"].as_f64().unwrap() - raised).abs() < 1e-9, "{r}");
    // Another entity's words do nothing.
    let (_, v) = post(&p, "/analyze", ask(plain, json!(["iban", "passport"]))).await;
    assert_eq!(phone(&v)["score"], json!(original));
}

/// `scrim presidio --token-file`: the calls that read a body need the token, as Bearer or as
/// the password of HTTP Basic, and are refused 401 in Presidio's error shape before their body
/// is read; the listings stay open.
#[tokio::test]
async fn a_required_token_as_bearer_or_basic() {
    use base64::Engine as _;
    let engine = Arc::new(scrim_core::Engine::new().unwrap());
    let key = scrim_core::Key::from_secret(b"a test key of the presidio routes");
    let token = "a-light-mode-token-0123456789";
    let p = Arc::new(
        Presidio::new(engine, key)
            .unwrap()
            .with_max_body_bytes(1024)
            .with_token(token),
    );
    let body = json!({"text": "I'm Zebulon Quackenbush", "language": "en"}).to_string();
    let send = |auth: Option<String>, path: &'static str, body: String| {
        call(
            presidio_router(Arc::clone(&p)),
            Method::POST,
            path,
            auth,
            Some(body),
        )
    };
    let basic = |user: &str, password: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        )
    };
    let refused = json!({"error": "a token is required: Authorization: Bearer TOKEN, or TOKEN as the password of HTTP Basic"});
    for auth in [
        None,
        Some("Bearer wrong-token-0123456789".to_string()),
        Some(format!("Bearer {token}x")),
        Some(basic(token, "")),
        Some(basic("token", "nope")),
    ] {
        for path in ["/analyze", "/anonymize", "/deanonymize"] {
            let (s, text) = send(auth.clone(), path, body.clone()).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{path} {auth:?}");
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), refused);
        }
    }
    // Refused before the body is read: an oversized body without the token is 401, not 413.
    let (s, _) = send(None, "/analyze", "x".repeat(4096)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    for auth in [format!("Bearer {token}"), basic("token", token)] {
        let (s, text) = send(Some(auth), "/analyze", body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{text}");
        assert!(text.contains("PERSON"), "{text}");
    }
    let (s, _) = send(
        Some(format!("Bearer {token}")),
        "/analyze",
        "x".repeat(4096),
    )
    .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let (s, _) = call(
        presidio_router(Arc::clone(&p)),
        Method::GET,
        "/supportedentities",
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "the listings need no token");
}
