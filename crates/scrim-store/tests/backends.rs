//! The store's behaviour, run against every back-end (see `scrim_store::testing`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::collections::HashSet;

use scrim_store::dataset::{read_lines, DatasetWriter, LineEntry, Manifest};
use scrim_store::{Decision, Keyring, SecretKey, Store};

/// A fresh store per back-end: a new SQLite file, and a new PostgreSQL database.
async fn stores(tmp: &std::path::Path) -> Vec<Store> {
    let mut out = Vec::new();
    for b in scrim_store::testing::backends().unwrap_or_else(|e| panic!("{e}")) {
        let url = scrim_store::testing::fresh_url(b.as_deref(), tmp, "store.db")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        out.push(
            Store::open(&url)
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}")),
        );
    }
    out
}

fn ring(keys: &[&SecretKey]) -> Keyring {
    Keyring::from_keys(keys.iter().map(|k| (*k).clone()).collect())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn consent_history_state_and_decisions() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for store in stores(tmp.path()).await {
        let b = store.describe().to_string();
        store
            .set_consent("u1", "training", Decision::Grant, "alice", Some("form 7"))
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        store
            .set_consent("u1", "ads", Decision::Deny, "alice", None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        store
            .set_consent("u2", "training", Decision::Grant, "bob", None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let d = store
            .decisions(&["u1", "u2", "u3"], "training")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            d.get("u1").and_then(|c| c.effective()),
            Some(Decision::Grant),
            "{b}"
        );
        assert!(!d.contains_key("u3"), "{b}");
        // One switch: out of everything, including a purpose granted before.
        store
            .opt_out("u1", "u1-self")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let d = store
            .decisions(&["u1", "u2"], "training")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            d.get("u1").and_then(|c| c.effective()),
            Some(Decision::Deny),
            "{b}"
        );
        assert_eq!(
            d.get("u2").and_then(|c| c.effective()),
            Some(Decision::Grant),
            "{b}"
        );
        // A later grant for one purpose wins over the earlier opt-out, for that purpose only.
        store
            .set_consent("u1", "training", Decision::Grant, "u1-self", None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let d = store
            .decisions(&["u1"], "training")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            d.get("u1").and_then(|c| c.effective()),
            Some(Decision::Grant),
            "{b}"
        );
        let d = store
            .decisions(&["u1"], "human_review")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            d.get("u1").and_then(|c| c.effective()),
            Some(Decision::Deny),
            "{b}"
        );
        // History keeps every change with its actor and time.
        let h = store
            .consent_history("u1")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let seen: Vec<(&str, &str, &str)> = h
            .iter()
            .map(|e| (e.purpose.as_str(), e.decision.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("training", "grant", "alice"),
                ("ads", "deny", "alice"),
                ("*", "deny", "u1-self"),
                ("training", "grant", "u1-self")
            ],
            "{b}"
        );
        assert!(h
            .windows(2)
            .all(|w| w[0].seq < w[1].seq && w[0].at <= w[1].at));
        let state = store
            .consent_state("u1")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(state.len(), 3, "{b}");
        assert!(store
            .set_consent("", "training", Decision::Grant, "x", None)
            .await
            .is_err());
        store.close().await;
    }
}

#[tokio::test]
async fn subject_keys_shred_and_master_keys_rotate() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = SecretKey::random().unwrap_or_else(|e| panic!("{e}"));
    let new = SecretKey::random().unwrap_or_else(|e| panic!("{e}"));
    for store in stores(tmp.path()).await {
        let b = store.describe().to_string();
        let r_old = ring(&[&old]);
        let k1 = store
            .subject_key(&r_old, "u1", true)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"))
            .unwrap_or_else(|| panic!("{b}: no key"));
        let k2 = store
            .subject_key(&r_old, "u2", true)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"))
            .unwrap_or_else(|| panic!("{b}: no key"));
        assert_ne!(k1, k2);
        let (v, lineage_key) = store
            .store_key(&r_old, scrim_store::LINEAGE_KEY)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(v, 1);
        // Rotation: the new key first, the old one still there for readers meanwhile.
        let r_both = ring(&[&new, &old]);
        let n = store
            .rewrap_all(&r_both)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(n, 3, "{b}: two subject keys and the lineage key");
        let status = store
            .key_status()
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(status.subject_keys.get(&new.id()), Some(&2), "{b}");
        assert_eq!(status.subject_keys.get(&old.id()), None, "{b}");
        // After rotation the old master key can go: the new one alone opens everything.
        let r_new = ring(&[&new]);
        let again = store
            .subject_key(&r_new, "u1", false)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(again.as_ref(), Some(&k1), "{b}");
        let (_, lk) = store
            .store_key(&r_new, scrim_store::LINEAGE_KEY)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(lk, lineage_key, "{b}");
        assert!(store.subject_key(&r_old, "u1", false).await.is_err(), "{b}");
        // Forgetting destroys the key, and no run can make a new one for that subject.
        let report = store
            .forget("u1", "dpo")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert!(report.key_destroyed, "{b}");
        for create in [false, true] {
            let k = store
                .subject_key(&r_new, "u1", create)
                .await
                .unwrap_or_else(|e| panic!("{b}: {e}"));
            assert!(k.is_none(), "{b}");
        }
        assert!(store
            .subject_key(&r_new, "u2", false)
            .await
            .ok()
            .flatten()
            .is_some());
        let status = store
            .key_status()
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(status.destroyed, 1, "{b}");
        store.close().await;
    }
}

fn manifest(name: &str) -> Manifest {
    Manifest {
        format: String::new(),
        id: format!("id-{name}"),
        name: name.to_string(),
        purpose: "training".to_string(),
        policy: "p".to_string(),
        key_version: 1,
        created_at: scrim_store::now(),
        shards: Vec::new(),
        retired: Vec::new(),
    }
}

#[tokio::test]
async fn tombstones_find_every_shard_and_compaction_removes_exactly_them() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (i, store) in stores(tmp.path()).await.into_iter().enumerate() {
        let b = store.describe().to_string();
        let started = scrim_store::now();
        let pairs: Vec<(String, String)> = ["alice", "bob", "carol"]
            .iter()
            .map(|s| ((*s).to_string(), format!("s_{s}")))
            .collect();
        store
            .remember_subjects(&pairs)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        // Two datasets; bob appears in both, in several shards.
        let mut dirs = Vec::new();
        for (d, order) in [
            ("one", ["alice", "bob", "carol", "bob"]),
            ("two", ["carol", "carol", "bob", "alice"]),
        ] {
            let dir = tmp.path().join(format!("{i}-{d}"));
            let mut w = DatasetWriter::create(&dir, 2).unwrap_or_else(|e| panic!("{e}"));
            for (n, s) in order.iter().enumerate() {
                w.line(
                    &format!("{{\"d\":\"{d}\",\"n\":{n},\"who\":\"{s}\"}}"),
                    LineEntry {
                        record: format!("r_{d}{n}"),
                        subject: Some(format!("s_{s}")),
                    },
                )
                .unwrap_or_else(|e| panic!("{e}"));
            }
            let m = w
                .finish(manifest(&format!("{i}-{d}")))
                .unwrap_or_else(|e| panic!("{e}"));
            store
                .register_dataset(&dir, &m, &started)
                .await
                .unwrap_or_else(|e| panic!("{b}: {e}"));
            dirs.push(dir);
        }
        let before: Vec<Vec<String>> = dirs
            .iter()
            .map(|d| {
                read_lines(d)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .into_iter()
                    .map(|(l, _)| l)
                    .collect()
            })
            .collect();
        let held = store
            .holdings("bob")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(held.len(), 3, "{b}: {held:?}");
        let report = store
            .forget("bob", "dpo")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            report.holdings, held,
            "{b}: the tombstone lists every shard"
        );
        let pending = store
            .datasets_pending()
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(pending.len(), 2, "{b}");
        let mut touched = HashSet::new();
        for d in &pending {
            let r = store
                .compact(&d.name, "dpo")
                .await
                .unwrap_or_else(|e| panic!("{b}: {e}"))
                .unwrap_or_else(|| panic!("{b}: nothing compacted"));
            for s in &r.shards {
                touched.insert((r.dataset.clone(), i64::from(s.shard)));
            }
            assert!(r.subjects == ["s_bob"], "{b}");
        }
        let expected: HashSet<(String, i64)> =
            held.iter().map(|h| (h.dataset.clone(), h.shard)).collect();
        assert_eq!(
            touched, expected,
            "{b}: the receipts list every shard touched"
        );
        for (dir, old) in dirs.iter().zip(&before) {
            let now: Vec<String> = read_lines(dir)
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|(l, _)| l)
                .collect();
            let kept: Vec<String> = old.iter().filter(|l| !l.contains("bob")).cloned().collect();
            assert_eq!(now, kept, "{b}: others byte-identical, bob gone");
        }
        assert!(
            store.holdings("bob").await.unwrap_or_default().is_empty(),
            "{b}"
        );
        assert!(
            store
                .datasets_pending()
                .await
                .unwrap_or_default()
                .is_empty(),
            "{b}"
        );
        let receipts = store
            .receipts(None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(receipts.len(), 2, "{b}");
        assert_eq!(
            receipts.iter().map(|r| r.records_removed).sum::<usize>(),
            3,
            "{b}"
        );
        // A revoked purpose reaches only that purpose's datasets.
        let (_, t) = store
            .set_consent("carol", "human_review", Decision::Deny, "carol", None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert!(t.is_some_and(|t| t.holdings.is_empty()), "{b}");
        let (_, t) = store
            .set_consent("carol", "training", Decision::Deny, "carol", None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            t.map(|t| t.holdings.len()),
            Some(2),
            "{b}: shard 1 of one, shard 0 of two"
        );
        // Registering the same name twice is refused with the name.
        let e = store
            .register_dataset(
                &dirs[0],
                &Manifest::load(&dirs[0]).unwrap_or_else(|e| panic!("{e}")),
                &started,
            )
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("already registered"), "{b}: {e}");
        store.close().await;
    }
}

/// A Parquet file as an engine writes one: a few data columns and the lineage columns.
fn write_parquet(
    path: &std::path::Path,
    rows: &[(i64, &str, &str)],
    lineage: &scrim_store::Lineage,
) {
    use std::sync::Arc;

    use arrow_array::{Float64Array, Int64Array, RecordBatch, StringArray};
    let ids = Int64Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>());
    let text = StringArray::from(rows.iter().map(|r| Some(r.1)).collect::<Vec<_>>());
    let score = Float64Array::from(rows.iter().map(|r| r.0 as f64 / 3.0).collect::<Vec<_>>());
    let subjects = StringArray::from(
        rows.iter()
            .map(|r| (!r.2.is_empty()).then(|| lineage.subject(r.2)))
            .collect::<Vec<_>>(),
    );
    let records = StringArray::from(
        rows.iter()
            .map(|r| Some(lineage.record(&r.0.to_string())))
            .collect::<Vec<_>>(),
    );
    let batch = RecordBatch::try_from_iter([
        ("id", Arc::new(ids) as arrow_array::ArrayRef),
        ("text", Arc::new(text) as _),
        ("score", Arc::new(score) as _),
        ("scrim_subject", Arc::new(subjects) as _),
        ("scrim_record", Arc::new(records) as _),
    ])
    .unwrap();
    let f = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// Every row of every shard of a dataset, through its manifest, as (id, text, score, subject).
fn parquet_rows(dir: &std::path::Path) -> Vec<(i64, String, f64, Option<String>)> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_array::Array;
    let m = Manifest::load(dir).unwrap();
    let mut out = Vec::new();
    for s in &m.shards {
        let f = std::fs::File::open(dir.join(&s.file)).unwrap();
        let r = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)
            .unwrap()
            .build()
            .unwrap();
        for b in r {
            let b = b.unwrap();
            let ids = b.column_by_name("id").unwrap().as_primitive::<Int64Type>();
            let text = b.column_by_name("text").unwrap().as_string::<i32>();
            let score = b
                .column_by_name("score")
                .unwrap()
                .as_primitive::<Float64Type>();
            let sub = b
                .column_by_name("scrim_subject")
                .unwrap()
                .as_string::<i32>();
            for i in 0..b.num_rows() {
                out.push((
                    ids.value(i),
                    text.value(i).to_string(),
                    score.value(i),
                    sub.is_valid(i).then(|| sub.value(i).to_string()),
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn parquet_datasets_registered_are_reached_by_forget_and_compaction() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let k = SecretKey::random().unwrap();
    let keys = ring(&[&k]);
    for (i, store) in stores(tmp.path()).await.into_iter().enumerate() {
        let b = store.describe().to_string();
        let lineage = store.lineage(&keys).await.unwrap();
        let pairs: Vec<(String, String)> = ["alice", "bob", "carol", "dave"]
            .iter()
            .map(|s| ((*s).to_string(), lineage.subject(s)))
            .collect();
        store.remember_subjects(&pairs).await.unwrap();
        // dave was forgotten before the engine's dataset is registered: it still targets it.
        store.forget("dave", "dpo").await.unwrap();
        let dir = tmp.path().join(format!("{i}-engine"));
        std::fs::create_dir(&dir).unwrap();
        write_parquet(
            &dir.join("part-00000-x.snappy.parquet"),
            &[(1, "one", "alice"), (2, "two", "bob"), (3, "three", "")],
            &lineage,
        );
        write_parquet(
            &dir.join("part-00001-x.snappy.parquet"),
            &[
                (4, "four", "carol"),
                (5, "five", "dave"),
                (6, "six", "carol"),
            ],
            &lineage,
        );
        write_parquet(
            &dir.join("part-00002-x.snappy.parquet"),
            &[(7, "seven", "bob")],
            &lineage,
        );
        std::fs::write(dir.join("_SUCCESS"), "").unwrap();
        std::fs::write(dir.join(".part-00000-x.snappy.parquet.crc"), "crc").unwrap();
        let before = parquet_rows_of_files(&dir);
        let name = format!("engine-{i}");
        let (m, raced) = store
            .register_table(&dir, &name, "training")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(m.shards.len(), 3, "{b}");
        assert_eq!(m.records(), 7, "{b}");
        assert_eq!(raced, 1, "{b}: dave's tombstone targets shard 1");
        assert_eq!(
            parquet_rows(&dir),
            before,
            "{b}: registration changes no file"
        );
        let again = store
            .register_table(&dir, "other", "training")
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(again.contains("already holds"), "{b}: {again}");

        let report = store.forget("bob", "dpo").await.unwrap();
        let shards: Vec<i64> = report.holdings.iter().map(|h| h.shard).collect();
        assert_eq!(shards, [0, 2], "{b}: {report:?}");
        let r = store
            .compact(&name, "dpo")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"))
            .unwrap_or_else(|| panic!("{b}: nothing compacted"));
        assert_eq!(r.records_removed, 3, "{b}: bob twice, dave once");
        assert_eq!(r.shards.len(), 3, "{b}");
        let gone = [lineage.subject("bob"), lineage.subject("dave")];
        let kept: Vec<_> = before
            .iter()
            .filter(|r| !r.3.as_ref().is_some_and(|s| gone.contains(s)))
            .cloned()
            .collect();
        assert_eq!(parquet_rows(&dir), kept, "{b}: every other row unchanged");
        // The engine's files that held them are gone, with Hadoop's checksum file; the new
        // generations and the engine's own marks are there.
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "_SUCCESS",
                "_scrim_manifest.json",
                "shard-00000.g1.parquet",
                "shard-00001.g1.parquet",
                "shard-00002.g1.parquet"
            ],
            "{b}"
        );
        assert!(store.holdings("bob").await.unwrap().is_empty(), "{b}");
        assert!(store.compact(&name, "dpo").await.unwrap().is_none(), "{b}");
        store.close().await;
    }
}

/// The rows of the Parquet files of a directory not yet registered, in file name order.
fn parquet_rows_of_files(dir: &std::path::Path) -> Vec<(i64, String, f64, Option<String>)> {
    let tmp = tempfile::tempdir().unwrap();
    let (shards, _) = scrim_store::dataset::table::scan(dir).unwrap();
    for s in &shards {
        std::fs::copy(dir.join(&s.file), tmp.path().join(&s.file)).unwrap();
    }
    Manifest {
        format: scrim_store::dataset::FORMAT.to_string(),
        id: "x".into(),
        name: "x".into(),
        purpose: "training".into(),
        policy: "p".into(),
        key_version: 0,
        created_at: String::new(),
        shards,
        retired: Vec::new(),
    }
    .store(tmp.path())
    .unwrap();
    parquet_rows(tmp.path())
}

#[tokio::test]
async fn a_parquet_dataset_without_lineage_ids_is_refused_without_quoting_them() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("s.db").display().to_string())
        .await
        .unwrap();
    let dir = tmp.path().join("ds");
    std::fs::create_dir(&dir).unwrap();
    let k = SecretKey::random().unwrap();
    let lineage = store.lineage(&ring(&[&k])).await.unwrap();
    write_parquet(&dir.join("a.parquet"), &[(1, "x", "alice")], &lineage);
    // A raw subject id written where the lineage id belongs.
    {
        use std::sync::Arc;
        let batch = arrow_array::RecordBatch::try_from_iter([(
            "scrim_subject",
            Arc::new(arrow_array::StringArray::from(vec![
                "priya.sharma@example.com",
            ])) as arrow_array::ArrayRef,
        )])
        .unwrap();
        let f = std::fs::File::create(dir.join("b.parquet")).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }
    let e = store
        .register_table(&dir, "bad", "training")
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("row 1") && e.contains("lineage id"), "{e}");
    assert!(!e.contains("priya"), "{e}");
    assert!(
        !dir.join("_scrim_manifest.json").exists(),
        "nothing committed"
    );
    std::fs::remove_file(dir.join("b.parquet")).unwrap();
    std::fs::create_dir(dir.join("year=2026")).unwrap();
    let e = store
        .register_table(&dir, "bad", "training")
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("partitioned"), "{e}");
    store.close().await;
}
