//! Migrations applied to a store that already holds data: the migrations up to a version are run
//! on a fresh store, rows are written as that version's code wrote them, then `Store::open`
//! applies the rest. Nothing may be lost and every foreign key must still hold and still be
//! enforced. Run against every back-end (see `scrim_store::testing`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use scrim_store::{Backend, Store};

/// A folder in `tmp` with the back-end's migrations numbered below `before`.
fn migrations_before(tmp: &Path, backend: &str, before: u32) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let dst = tmp.join(format!("migrations-{backend}"));
    std::fs::create_dir_all(&dst).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let version: u32 = name
            .split('_')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("migration {name} has no version"));
        if version < before {
            std::fs::copy(entry.path(), dst.join(&name)).unwrap();
            n += 1;
        }
    }
    assert_eq!(n, before - 1, "{backend}: migrations 1..{before}");
    dst
}

/// A pool on `url` as the store opens it (foreign keys enforced on SQLite).
async fn raw_pool(url: &str, sqlite: bool) -> AnyPool {
    sqlx::any::install_default_drivers();
    let conn = if sqlite {
        format!("sqlite://{url}?mode=rwc")
    } else {
        url.to_string()
    };
    let mut options = AnyPoolOptions::new().max_connections(1);
    if sqlite {
        options = options.after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA foreign_keys = ON").await?;
                Ok(())
            })
        });
    }
    options.connect(&conn).await.unwrap()
}

/// Every row of `table`, each as its columns joined, sorted: to compare before and after.
async fn dump(pool: &AnyPool, sql: &str) -> Vec<String> {
    let rows: Vec<AnyRow> = sqlx::query(sql).fetch_all(pool).await.unwrap();
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    r.try_get::<Option<String>, _>(i)
                        .map(|v| v.unwrap_or_else(|| "NULL".into()))
                        .or_else(|_| r.try_get::<i64, _>(i).map(|v| v.to_string()))
                        .unwrap()
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    out.sort();
    out
}

const SNAPSHOTS: [&str; 4] = [
    "SELECT id, name, role, password_hash, created_at, CAST(disabled AS BIGINT) FROM users",
    "SELECT user_id, project_id FROM user_projects",
    "SELECT user_id, category FROM user_clearances",
    "SELECT hash, user_id, kind, created_at, expires_at FROM tokens",
];

/// 0007 (the `redactor` role) rebuilds SQLite's users table: users, their projects, clearances
/// and tokens survive it, the foreign keys that name `users` still hold and still refuse an
/// orphan, and the new role can be stored.
#[tokio::test]
async fn redactor_role_migration_keeps_users_and_their_links() {
    let tmp = tempfile::tempdir().unwrap();
    for b in scrim_store::testing::backends().unwrap_or_else(|e| panic!("{e}")) {
        let sqlite = b.is_none();
        let url = scrim_store::testing::fresh_url(b.as_deref(), tmp.path(), "old.db")
            .await
            .unwrap();
        let dir = migrations_before(tmp.path(), if sqlite { "sqlite" } else { "postgres" }, 7);
        let pool = raw_pool(&url, sqlite).await;
        Migrator::new(dir.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        // Users of every role there was, one disabled and one without a password, and the rows
        // that point at them.
        for (id, name, role, hash, disabled) in [
            ("u1", "ada", "admin", Some("$argon2id$v=19$x"), 0_i64),
            ("u2", "pia", "privacy_officer", Some("$argon2id$v=19$y"), 0),
            ("u3", "rita", "reviewer", None, 1),
            ("u4", "ingo", "ingest", None, 0),
            ("u5", "tess", "trainer", None, 0),
        ] {
            sqlx::query(
                "INSERT INTO users (id, name, role, password_hash, created_at, disabled) \
                 VALUES ($1, $2, $3, $4, '2026-01-02T03:04:05Z', $5)",
            )
            .bind(id)
            .bind(name)
            .bind(role)
            .bind(hash)
            .bind(disabled)
            .execute(&pool)
            .await
            .unwrap();
        }
        for sql in [
            "INSERT INTO user_projects (user_id, project_id) VALUES ('u3', 'p1'), ('u3', 'p2'), ('u5', 'p1')",
            "INSERT INTO user_clearances (user_id, category) VALUES ('u3', 'health'), ('u2', 'religion')",
            "INSERT INTO tokens (hash, user_id, kind, created_at, expires_at) VALUES \
             ('h1', 'u1', 'api', '2026-01-02T03:04:05Z', NULL), \
             ('h2', 'u3', 'session', '2026-01-02T03:04:05Z', '2026-01-03T03:04:05Z'), \
             ('h3', 'u4', 'api', '2026-01-02T03:04:05Z', NULL)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        let mut before = Vec::new();
        for sql in SNAPSHOTS {
            before.push(dump(&pool, sql).await);
        }
        // The old schema refuses the new role.
        assert!(
            sqlx::query(
                "INSERT INTO users (id, name, role, created_at) VALUES ('u6', 'presto', 'redactor', 'x')"
            )
            .execute(&pool)
            .await
            .is_err(),
            "{url}: redactor before 0007"
        );
        pool.close().await;

        let store = Store::open(&url).await.unwrap();
        assert_eq!(store.backend() == Backend::Sqlite, sqlite);
        let pool = store.pool();
        for (sql, rows) in SNAPSHOTS.iter().zip(&before) {
            assert_eq!(&dump(pool, sql).await, rows, "{url}: {sql}");
        }
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(applied, (1..=7).collect::<Vec<i64>>(), "{url}");
        if sqlite {
            let broken = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(pool)
                .await
                .unwrap();
            assert!(
                broken.is_empty(),
                "{url}: {} rows break a foreign key",
                broken.len()
            );
            let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!(ok, "ok", "{url}");
        }
        // The new role is stored; the keys still refuse orphans, and a user still named.
        sqlx::query(
            "INSERT INTO users (id, name, role, created_at) VALUES ('u6', 'presto', 'redactor', 'x')",
        )
        .execute(pool)
        .await
        .unwrap();
        assert!(
            sqlx::query(
                "INSERT INTO users (id, name, role, created_at) VALUES ('u7', 'eve', 'root', 'x')"
            )
            .execute(pool)
            .await
            .is_err(),
            "{url}: an unknown role"
        );
        assert!(
            sqlx::query(
                "INSERT INTO users (id, name, role, created_at) VALUES ('u8', 'ada', 'admin', 'x')"
            )
            .execute(pool)
            .await
            .is_err(),
            "{url}: a second user named ada"
        );
        for orphan in [
            "INSERT INTO tokens (hash, user_id, kind, created_at) VALUES ('h9', 'nobody', 'api', 'x')",
            "INSERT INTO user_projects (user_id, project_id) VALUES ('nobody', 'p1')",
            "INSERT INTO user_clearances (user_id, category) VALUES ('nobody', 'health')",
            "DELETE FROM users WHERE id = 'u3'",
        ] {
            assert!(
                sqlx::query(orphan).execute(pool).await.is_err(),
                "{url}: {orphan}"
            );
        }
        store.close().await;
    }
}
