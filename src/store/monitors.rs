//! Monitors in Postgres: their records, the decisions kept while labels may
//! arrive, the per-window counts, and the immutable alerts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::types::Json;
use sqlx::{PgConnection, PgExecutor, Row};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::store::cursor::Cursor;
use probity_audit::monitor::{AlertEvidence, MonitorRequest, Record};
use probity_audit::signing::ReportSignature;
use probity_fairness::monitoring::{GroupCounts, WindowCounts};

/// A stored monitor.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Monitor {
    /// Monitor id.
    pub id: Uuid,
    /// What it watches and how.
    #[schema(value_type = MonitorRequest)]
    pub request: Json<MonitorRequest>,
    /// The newest record timestamp seen (event time), null before the first record.
    pub watermark: Option<DateTime<Utc>>,
    /// The API key that created it.
    pub created_by: Option<Uuid>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Monitor {
    /// The request, with the webhook secret left out (it is never shown again).
    pub fn redacted(mut self) -> Self {
        if let Some(webhook) = &mut self.request.0.webhook {
            webhook.secret = "(hidden)".into();
        }
        self
    }
}

/// A stored alert.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct MonitorAlert {
    /// Alert id.
    pub id: Uuid,
    /// The monitor that raised it.
    pub monitor_id: Uuid,
    /// The sensitive feature whose groups drifted apart.
    pub feature: String,
    /// The rate whose gap crossed its bound.
    #[schema(value_type = probity_fairness::monitoring::MonitoredRate)]
    pub rate: String,
    /// Start of the window at whose end the test rejected.
    pub window_start: DateTime<Utc>,
    /// When it was raised.
    pub created_at: DateTime<Utc>,
    /// The evidence: the test, its figures and the counts it read (immutable).
    #[schema(value_type = AlertEvidence)]
    pub evidence: Json<AlertEvidence>,
    /// sha256 of the evidence's canonical JSON.
    pub evidence_sha256: String,
    /// Ed25519 signature of `evidence_sha256`, when the server has a signing key.
    #[schema(value_type = Option<ReportSignature>)]
    pub signature: Option<Json<ReportSignature>>,
}

const MONITOR_COLUMNS: &str = "id, request, watermark, created_by, created_at";
const ALERT_COLUMNS: &str =
    "id, monitor_id, feature, rate, window_start, created_at, evidence, evidence_sha256, signature";

/// Stores a new monitor.
pub async fn create(
    db: impl PgExecutor<'_>,
    request: &MonitorRequest,
    created_by: Uuid,
) -> sqlx::Result<Monitor> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO monitors (id, name, model_id, request, window_length, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {MONITOR_COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(&request.name)
    .bind(request.model_id)
    .bind(Json(request))
    .bind(request.window.as_str())
    .bind(created_by)
    .fetch_one(db)
    .await
}

/// A monitor by id.
pub async fn get(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Monitor>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MONITOR_COLUMNS} FROM monitors WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A monitor by id, locked until the transaction ends: ingestion into one
/// monitor is serialised, so counts, watermark and alerts stay consistent.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<Monitor>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MONITOR_COLUMNS} FROM monitors WHERE id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(tx)
    .await
}

/// Monitors, newest first, `limit` from after `cursor`.
pub async fn list(
    db: impl PgExecutor<'_>,
    limit: i64,
    cursor: Option<Cursor>,
) -> sqlx::Result<Vec<Monitor>> {
    let (at, id) = cursor
        .map(|c| (Some(c.created_at), Some(c.id)))
        .unwrap_or_default();
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {MONITOR_COLUMNS} FROM monitors
         WHERE $2::timestamptz IS NULL OR (created_at, id) < ($2, $3)
         ORDER BY created_at DESC, id DESC LIMIT $1"
    )))
    .bind(limit)
    .bind(at)
    .bind(id)
    .fetch_all(db)
    .await
}

/// Deletes a monitor with its records, counts and alerts; whether it existed.
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    let result = sqlx::query("DELETE FROM monitors WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// Stores the records whose ids the monitor has not seen; the indexes (into
/// `records`) of those it stored. A record id seen before, or twice in
/// `records`, is kept as first stored.
pub async fn insert_records(
    tx: &mut PgConnection,
    monitor_id: Uuid,
    records: &[Record],
    window_starts: &[DateTime<Utc>],
) -> sqlx::Result<Vec<usize>> {
    let ids: Vec<&str> = records.iter().map(|r| r.record_id.as_str()).collect();
    let groups: Vec<String> = records
        .iter()
        .map(|r| serde_json::to_string(&r.groups).expect("strings serialise"))
        .collect();
    let selected: Vec<bool> = records.iter().map(|r| r.selected).collect();
    let scores: Vec<Option<f64>> = records.iter().map(|r| r.score).collect();
    let labels: Vec<Option<bool>> = records.iter().map(|r| r.label).collect();
    let rows = sqlx::query(
        "INSERT INTO monitor_records (monitor_id, record_id, window_start, groups, selected, score, label)
         SELECT $1, r.id, r.window_start, r.groups, r.selected, r.score, r.label
         FROM UNNEST($2::text[], $3::timestamptz[], $4::text[], $5::bool[], $6::float8[], $7::bool[])
              WITH ORDINALITY AS r(id, window_start, groups, selected, score, label, position)
         ORDER BY r.position
         ON CONFLICT (monitor_id, record_id) DO NOTHING
         RETURNING record_id",
    )
    .bind(monitor_id)
    .bind(&ids)
    .bind(window_starts)
    .bind(&groups)
    .bind(&selected)
    .bind(&scores)
    .bind(&labels)
    .fetch_all(&mut *tx)
    .await?;
    let stored: std::collections::HashSet<String> =
        rows.iter().map(|row| row.get::<String, _>(0)).collect();
    let mut taken = std::collections::HashSet::new();
    Ok((0..records.len())
        .filter(|&i| stored.contains(&records[i].record_id) && taken.insert(&records[i].record_id))
        .collect())
}

/// Of `ids`, those the monitor does not hold (never sent, or past the label window).
pub async fn unknown_records(
    tx: &mut PgConnection,
    monitor_id: Uuid,
    ids: &[&str],
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT u.id FROM UNNEST($2::text[]) AS u(id)
         WHERE NOT EXISTS (SELECT 1 FROM monitor_records m WHERE m.monitor_id = $1 AND m.record_id = u.id)",
    )
    .bind(monitor_id)
    .bind(ids)
    .fetch_all(tx)
    .await
}

/// A decision that just got its label.
pub struct Labelled {
    pub window_start: DateTime<Utc>,
    pub groups: Vec<String>,
    pub selected: bool,
    pub score: Option<f64>,
    pub label: bool,
}

/// Sets the labels of records that have none yet; the records labelled now
/// (a record labelled before keeps its first label).
pub async fn label_records(
    tx: &mut PgConnection,
    monitor_id: Uuid,
    labels: &[(&str, bool)],
) -> sqlx::Result<Vec<Labelled>> {
    let ids: Vec<&str> = labels.iter().map(|(id, _)| *id).collect();
    let values: Vec<bool> = labels.iter().map(|(_, label)| *label).collect();
    // The row estimate of `label IS NULL` lags behind (statistics of a table whose labels
    // arrive in bulk): with it, the planner may pick a nested loop that compares every label
    // with every unlabelled record. A merge or hash join over the unlabelled index is linear.
    sqlx::query("SET LOCAL enable_nestloop = off")
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query(
        "UPDATE monitor_records m SET label = u.label
         FROM (SELECT DISTINCT ON (id) id, label FROM UNNEST($2::text[], $3::bool[]) WITH ORDINALITY AS x(id, label, position)
               ORDER BY id, position) AS u
         WHERE m.monitor_id = $1 AND m.record_id = u.id AND m.label IS NULL
         RETURNING m.window_start, m.groups, m.selected, m.score, m.label",
    )
    .bind(monitor_id)
    .bind(&ids)
    .bind(&values)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("SET LOCAL enable_nestloop = on")
        .execute(&mut *tx)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Labelled {
                window_start: row.try_get(0)?,
                groups: serde_json::from_str(&row.try_get::<String, _>(1)?)
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                selected: row.try_get(2)?,
                score: row.try_get(3)?,
                label: row.try_get(4)?,
            })
        })
        .collect()
}

/// Adds counts to the stored ones (the rows are locked by the monitor's lock).
pub async fn add_counts(
    tx: &mut PgConnection,
    monitor_id: Uuid,
    windows: &BTreeMap<DateTime<Utc>, WindowCounts>,
) -> sqlx::Result<()> {
    if windows.is_empty() {
        return Ok(());
    }
    let starts: Vec<DateTime<Utc>> = windows.keys().cloned().collect();
    let rows = sqlx::query(
        "SELECT window_start, feature, group_value, counts FROM monitor_counts
         WHERE monitor_id = $1 AND window_start = ANY($2)",
    )
    .bind(monitor_id)
    .bind(&starts)
    .fetch_all(&mut *tx)
    .await?;
    let mut stored: BTreeMap<(DateTime<Utc>, String, String), GroupCounts> = BTreeMap::new();
    for row in rows {
        let counts: Json<GroupCounts> = row.try_get(3)?;
        stored.insert(
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?),
            counts.0,
        );
    }
    let (mut at, mut features, mut groups, mut merged) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (start, window) in windows {
        for (feature, by_group) in window {
            for (group, counts) in by_group {
                let key = (*start, feature.clone(), group.clone());
                let mut total = stored.remove(&key).unwrap_or_default();
                total.merge(counts);
                at.push(*start);
                features.push(feature.clone());
                groups.push(group.clone());
                merged.push(serde_json::to_string(&total).expect("counts serialise"));
            }
        }
    }
    sqlx::query(
        "INSERT INTO monitor_counts (monitor_id, window_start, feature, group_value, counts)
         SELECT $1, c.window_start, c.feature, c.group_value, c.counts::jsonb
         FROM UNNEST($2::timestamptz[], $3::text[], $4::text[], $5::text[]) AS c(window_start, feature, group_value, counts)
         ON CONFLICT (monitor_id, window_start, feature, group_value) DO UPDATE SET counts = EXCLUDED.counts",
    )
    .bind(monitor_id)
    .bind(&at)
    .bind(&features)
    .bind(&groups)
    .bind(&merged)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The starts of the windows that have counts, oldest first.
pub async fn window_starts(
    db: impl PgExecutor<'_>,
    monitor_id: Uuid,
) -> sqlx::Result<Vec<DateTime<Utc>>> {
    sqlx::query_scalar(
        "SELECT DISTINCT window_start FROM monitor_counts WHERE monitor_id = $1 ORDER BY window_start",
    )
    .bind(monitor_id)
    .fetch_all(db)
    .await
}

/// The counts of the windows starting at or after `since` (every window without), oldest first.
pub async fn windows(
    db: impl PgExecutor<'_>,
    monitor_id: Uuid,
    since: Option<DateTime<Utc>>,
) -> sqlx::Result<Vec<(DateTime<Utc>, WindowCounts)>> {
    let rows = sqlx::query(
        "SELECT window_start, feature, group_value, counts FROM monitor_counts
         WHERE monitor_id = $1 AND ($2::timestamptz IS NULL OR window_start >= $2)
         ORDER BY window_start, feature, group_value",
    )
    .bind(monitor_id)
    .bind(since)
    .fetch_all(db)
    .await?;
    let mut windows: BTreeMap<DateTime<Utc>, WindowCounts> = BTreeMap::new();
    for row in rows {
        let counts: Json<GroupCounts> = row.try_get(3)?;
        windows
            .entry(row.try_get(0)?)
            .or_default()
            .entry(row.try_get(1)?)
            .or_default()
            .insert(row.try_get(2)?, counts.0);
    }
    Ok(windows.into_iter().collect())
}

/// Moves the watermark forward to `newest` and forgets the decisions of
/// windows that start before `forget_before` (their counts stay).
pub async fn advance(
    tx: &mut PgConnection,
    monitor_id: Uuid,
    newest: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE monitors SET watermark = GREATEST(watermark, $2) WHERE id = $1")
        .bind(monitor_id)
        .bind(newest)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM monitor_records WHERE monitor_id = $1 AND window_start < $2")
        .bind(monitor_id)
        .bind(forget_before)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The (feature, rate) pairs already alerted.
pub async fn alerted(
    tx: &mut PgConnection,
    monitor_id: Uuid,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT feature, rate FROM monitor_alerts WHERE monitor_id = $1")
        .bind(monitor_id)
        .fetch_all(tx)
        .await
}

/// A new alert to store.
pub struct NewAlert<'a> {
    pub feature: &'a str,
    pub rate: &'a str,
    pub window_start: DateTime<Utc>,
    pub evidence: &'a AlertEvidence,
    pub evidence_sha256: &'a str,
    pub signature: Option<&'a ReportSignature>,
}

/// Stores an alert.
pub async fn insert_alert(
    tx: &mut PgConnection,
    monitor_id: Uuid,
    alert: NewAlert<'_>,
) -> sqlx::Result<MonitorAlert> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO monitor_alerts (id, monitor_id, feature, rate, window_start, evidence, evidence_sha256, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING {ALERT_COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(monitor_id)
    .bind(alert.feature)
    .bind(alert.rate)
    .bind(alert.window_start)
    .bind(Json(alert.evidence))
    .bind(alert.evidence_sha256)
    .bind(alert.signature.map(Json))
    .fetch_one(tx)
    .await
}

/// An alert by id.
pub async fn alert(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<MonitorAlert>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ALERT_COLUMNS} FROM monitor_alerts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A monitor's alerts, oldest first.
pub async fn alerts(db: impl PgExecutor<'_>, monitor_id: Uuid) -> sqlx::Result<Vec<MonitorAlert>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ALERT_COLUMNS} FROM monitor_alerts WHERE monitor_id = $1
         ORDER BY window_start, created_at, id"
    )))
    .bind(monitor_id)
    .fetch_all(db)
    .await
}

/// Each monitor's newest window: (monitor, its name, features and policy, window start, counts, alerts raised).
pub async fn newest_windows(
    db: impl PgExecutor<'_>,
) -> sqlx::Result<Vec<(Monitor, DateTime<Utc>, WindowCounts, i64)>> {
    let rows = sqlx::query(
        "WITH newest AS (SELECT monitor_id, max(window_start) AS window_start FROM monitor_counts GROUP BY monitor_id)
         SELECT m.id, m.request, m.watermark, m.created_by, m.created_at, n.window_start,
                c.feature, c.group_value, c.counts,
                (SELECT count(*) FROM monitor_alerts a WHERE a.monitor_id = m.id) AS alerts
         FROM newest n JOIN monitors m ON m.id = n.monitor_id
         JOIN monitor_counts c ON c.monitor_id = n.monitor_id AND c.window_start = n.window_start
         ORDER BY m.id, c.feature, c.group_value",
    )
    .fetch_all(db)
    .await?;
    let mut out: Vec<(Monitor, DateTime<Utc>, WindowCounts, i64)> = Vec::new();
    for row in rows {
        let id: Uuid = row.try_get(0)?;
        if out.last().is_none_or(|(m, ..)| m.id != id) {
            out.push((
                Monitor {
                    id,
                    request: row.try_get(1)?,
                    watermark: row.try_get(2)?,
                    created_by: row.try_get(3)?,
                    created_at: row.try_get(4)?,
                },
                row.try_get(5)?,
                WindowCounts::new(),
                row.try_get(9)?,
            ));
        }
        let counts: Json<GroupCounts> = row.try_get(8)?;
        let (_, _, window, _) = out.last_mut().expect("just pushed");
        window
            .entry(row.try_get(6)?)
            .or_default()
            .insert(row.try_get(7)?, counts.0);
    }
    Ok(out)
}

/// The group values each feature of a monitor has taken so far.
pub async fn group_values(
    tx: &mut PgConnection,
    monitor_id: Uuid,
) -> sqlx::Result<BTreeMap<String, std::collections::BTreeSet<String>>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT feature, group_value FROM monitor_counts WHERE monitor_id = $1",
    )
    .bind(monitor_id)
    .fetch_all(tx)
    .await?;
    let mut values: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for (feature, group) in rows {
        values.entry(feature).or_default().insert(group);
    }
    Ok(values)
}
