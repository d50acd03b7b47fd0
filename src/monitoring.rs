//! What a monitor does with what it is sent: decisions and late labels go
//! into its counts in one transaction (the monitor row locked, so ingestion
//! into one monitor is serialised), the sequential test runs over every
//! window, and a new alert is stored with its signed evidence and, when the
//! monitor has a webhook, a `webhook` job to deliver it, in that same
//! transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jobs::JobPayload;
use crate::jobs::kinds::WebhookPayload;
use crate::jobs::queue::{self, NewJob};
use crate::store::monitors::{self, Monitor, MonitorAlert, NewAlert};
use probity_audit::monitor::{
    EvidenceMonitor, LineError, MonitorRequest, Record, alert_evidence, count_into, count_records,
};
use probity_audit::report::canonical_sha256;
use probity_audit::signing::ReportSigner;
use probity_fairness::monitoring::{
    FeatureWindow, MAX_RESTARTS_PER_LOOK, WindowCounts, feature_window, sequential_alerts,
};
use probity_fairness::policy::Outcome;

/// Why ingestion failed.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("monitor {0} does not exist")]
    NotFound(Uuid),
    #[error(transparent)]
    Line(#[from] LineError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What one ingestion request did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestOutcome {
    /// Records (or labels) counted now.
    pub accepted: usize,
    /// Records whose id the monitor had already counted (or labels of
    /// records already labelled): ignored, so re-sending is safe.
    pub duplicates: usize,
    /// Starts of the windows whose figures changed.
    pub windows: Vec<DateTime<Utc>>,
    /// Alerts this request raised.
    pub alerts: Vec<MonitorAlert>,
}

/// The oldest window start a record may still fall in: `retention` days of
/// event time behind the watermark (records before it are no longer stored,
/// so their ids could not be checked for repeats, nor their labels counted).
fn oldest_open_window(
    monitor: &MonitorRequest,
    watermark: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    watermark.map(|w| {
        monitor
            .window
            .start(w - Duration::days(i64::from(monitor.label_retention_days)))
    })
}

/// Counts decisions into a monitor.
pub async fn ingest_records(
    pool: &PgPool,
    signer: Option<&ReportSigner>,
    monitor_id: Uuid,
    records: Vec<Record>,
) -> Result<IngestOutcome, MonitorError> {
    let mut tx = pool.begin().await?;
    let monitor = monitors::lock(&mut tx, monitor_id)
        .await?
        .ok_or(MonitorError::NotFound(monitor_id))?;
    let request = &monitor.request.0;
    if let Some(oldest) = oldest_open_window(request, monitor.watermark)
        && let Some(late) = records
            .iter()
            .find(|r| request.window.start(r.timestamp) < oldest)
    {
        return Err(LineError {
            line: late.line,
            field: "timestamp".into(),
            detail: format!(
                "older than the monitor's label window ({} days behind its newest record); its window only keeps counts now",
                request.label_retention_days
            ),
        }
        .into());
    }
    let mut counted = monitors::group_values(&mut tx, monitor_id).await?;
    let mut seen_in_request = counted.clone();
    for record in &records {
        for (feature, value) in request.sensitive_features.iter().zip(&record.groups) {
            let seen = seen_in_request.entry(feature.clone()).or_default();
            if !seen.contains(value) && seen.len() >= request.max_groups as usize {
                return Err(LineError {
                    line: record.line,
                    field: format!("features.{feature}"),
                    detail: format!(
                        "a value beyond the monitor's {} distinct values of this feature (max_groups)",
                        request.max_groups
                    ),
                }
                .into());
            }
            seen.insert(value.clone());
        }
    }
    let starts: Vec<DateTime<Utc>> = records
        .iter()
        .map(|r| request.window.start(r.timestamp))
        .collect();
    let stored = monitors::insert_records(&mut tx, monitor_id, &records, &starts).await?;
    let new: Vec<&Record> = stored.iter().map(|&i| &records[i]).collect();
    let counts = count_records(
        new.iter().copied(),
        &request.sensitive_features,
        request.window,
    );
    monitors::add_counts(&mut tx, monitor_id, &counts).await?;
    for (feature, groups) in counts.values().flatten() {
        counted
            .entry(feature.clone())
            .or_default()
            .extend(groups.keys().cloned());
    }
    if let Some(newest) = records.iter().map(|r| r.timestamp).max() {
        let newest = monitor.watermark.map_or(newest, |w| w.max(newest));
        let forget = oldest_open_window(request, Some(newest)).unwrap_or(newest);
        monitors::advance(&mut tx, monitor_id, newest, forget).await?;
    }
    let alerts = raise_alerts(
        &mut tx,
        signer,
        &monitor,
        counts.keys().next().copied(),
        counted.values().map(|values| values.len()).sum(),
    )
    .await?;
    tx.commit().await?;
    Ok(IngestOutcome {
        accepted: new.len(),
        duplicates: records.len() - new.len(),
        windows: counts.keys().cloned().collect(),
        alerts,
    })
}

/// Counts late labels into a monitor: `(line, record id, label)`.
pub async fn ingest_labels(
    pool: &PgPool,
    signer: Option<&ReportSigner>,
    monitor_id: Uuid,
    labels: Vec<(u64, String, bool)>,
) -> Result<IngestOutcome, MonitorError> {
    let mut tx = pool.begin().await?;
    let monitor = monitors::lock(&mut tx, monitor_id)
        .await?
        .ok_or(MonitorError::NotFound(monitor_id))?;
    let request = &monitor.request.0;
    let ids: Vec<&str> = labels.iter().map(|(_, id, _)| id.as_str()).collect();
    let unknown = monitors::unknown_records(&mut tx, monitor_id, &ids).await?;
    if let Some((line, _, _)) = labels.iter().find(|(_, id, _)| unknown.contains(id)) {
        return Err(LineError {
            line: *line,
            field: "record_id".into(),
            detail: "no record of the monitor has this id (never sent, or past its label window)"
                .into(),
        }
        .into());
    }
    let pairs: Vec<(&str, bool)> = labels
        .iter()
        .map(|(_, id, label)| (id.as_str(), *label))
        .collect();
    let labelled = monitors::label_records(&mut tx, monitor_id, &pairs).await?;
    let mut counts: BTreeMap<DateTime<Utc>, WindowCounts> = BTreeMap::new();
    for record in &labelled {
        let features = &request.sensitive_features;
        count_into(
            &mut counts,
            record.window_start,
            features,
            &record.groups,
            |c| c.add_label(record.selected, record.label, record.score),
        );
    }
    monitors::add_counts(&mut tx, monitor_id, &counts).await?;
    let groups = monitors::group_values(&mut tx, monitor_id).await?;
    let alerts = raise_alerts(
        &mut tx,
        signer,
        &monitor,
        counts.keys().next().copied(),
        groups.values().map(|values| values.len()).sum(),
    )
    .await?;
    tx.commit().await?;
    Ok(IngestOutcome {
        accepted: labelled.len(),
        duplicates: labels.len() - labelled.len(),
        windows: counts.keys().cloned().collect(),
        alerts,
    })
}

/// Runs the sequential test over the windows from the first one this
/// request changed (earlier looks were tested when their data came) and
/// stores the alerts not raised before, each with its signed evidence and a
/// webhook job. `groups` is the number of (feature, group) pairs the monitor
/// has seen, which splits alpha.
async fn raise_alerts(
    tx: &mut PgConnection,
    signer: Option<&ReportSigner>,
    monitor: &Monitor,
    earliest_touched: Option<DateTime<Utc>>,
    groups: usize,
) -> Result<Vec<MonitorAlert>, MonitorError> {
    let request = &monitor.request.0;
    // Looks before the first window this request changed were tested before, on the same
    // counts; the looks from it read their newest restart points, so only the windows from
    // the oldest of those are loaded.
    let Some(earliest) = earliest_touched else {
        return Ok(Vec::new());
    };
    let starts = monitors::window_starts(&mut *tx, monitor.id).await?;
    let from_window = starts.partition_point(|start| *start < earliest);
    let restart_every = request.window.restart_every();
    let first_window =
        (from_window / restart_every + 1).saturating_sub(MAX_RESTARTS_PER_LOOK) * restart_every;
    let Some(&first_start) = starts.get(first_window) else {
        return Ok(Vec::new());
    };
    let windows = monitors::windows(&mut *tx, monitor.id, Some(first_start)).await?;
    let counts: Vec<WindowCounts> = windows.iter().map(|(_, c)| c.clone()).collect();
    let found = sequential_alerts(
        &counts,
        first_window,
        groups,
        &request.sensitive_features,
        &request.policy,
        &request.alerting,
        restart_every,
        from_window - first_window,
    );
    let raised = monitors::alerted(&mut *tx, monitor.id).await?;
    let mut alerts = Vec::new();
    for gap in found {
        let rate = gap.rate.as_str().to_string();
        if raised.contains(&(gap.feature.clone(), rate.clone())) {
            continue;
        }
        let evidence = alert_evidence(
            EvidenceMonitor {
                id: monitor.id,
                name: request.name.clone(),
                window: request.window,
            },
            &request.policy,
            &request.alerting,
            &gap,
            &windows,
            first_window,
        );
        let sha256 =
            canonical_sha256(&serde_json::to_value(&evidence).expect("evidence serialises"));
        let signature = signer.map(|s| s.sign(&sha256));
        let alert = monitors::insert_alert(
            &mut *tx,
            monitor.id,
            NewAlert {
                feature: &gap.feature,
                rate: &rate,
                window_start: windows[gap.window - first_window].0,
                evidence: &evidence,
                evidence_sha256: &sha256,
                signature: signature.as_ref(),
            },
        )
        .await?;
        tracing::info!(monitor = %monitor.id, alert = %alert.id, feature = %alert.feature, rate = %alert.rate, "monitor alert");
        if request.webhook.is_some() {
            let mut job = NewJob::new(JobPayload::Webhook(WebhookPayload { alert_id: alert.id }));
            job.max_attempts = 8;
            queue::enqueue(&mut *tx, &job).await?;
        }
        alerts.push(alert);
    }
    Ok(alerts)
}

/// One window's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonitorWindow {
    /// Start of the window (UTC).
    pub window_start: DateTime<Utc>,
    /// End of the window (exclusive).
    pub window_end: DateTime<Utc>,
    /// Decisions recorded in it (each feature counts every decision once).
    pub records: u64,
    /// Of those, decisions with a label so far.
    pub labelled: u64,
    /// `labelled / records`.
    pub label_coverage: f64,
    /// Figures and checks per sensitive feature.
    pub features: Vec<FeatureWindow>,
    /// The worst of the window's checks: `fail`, else `inconclusive`, else `pass`.
    pub verdict: Outcome,
}

/// The figures of windows (their bootstrap seeded by the window's start).
pub fn window_figures(
    request: &MonitorRequest,
    windows: &[(DateTime<Utc>, WindowCounts)],
) -> Vec<MonitorWindow> {
    windows
        .iter()
        .map(|(start, counts)| {
            let features: Vec<FeatureWindow> = request
                .sensitive_features
                .iter()
                .map(|feature| {
                    let groups = counts.get(feature).cloned().unwrap_or_default();
                    feature_window(
                        feature,
                        &groups,
                        &request.policy,
                        &request.figures,
                        start.timestamp() as u64,
                    )
                })
                .collect();
            let first = counts.values().next();
            let records: u64 = first
                .map(|g| g.values().map(|c| c.records).sum())
                .unwrap_or(0);
            let labelled: u64 = first
                .map(|g| g.values().map(|c| c.labelled()).sum())
                .unwrap_or(0);
            let verdict = features
                .iter()
                .flat_map(|f| f.checks.iter().map(|c| c.outcome))
                .max()
                .unwrap_or(Outcome::Inconclusive);
            MonitorWindow {
                window_start: *start,
                window_end: *start + request.window.duration(),
                records,
                labelled,
                label_coverage: if records == 0 {
                    0.0
                } else {
                    labelled as f64 / records as f64
                },
                features,
                verdict,
            }
        })
        .collect()
}
