//! Monitors of deployed models: what a monitor is asked to watch, how the
//! decisions and labels sent to it are read (NDJSON lines, validated whole
//! before anything is stored), the windows they fall in, and the signed
//! evidence an alert links. No I/O: the service stores and serves these.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Duration, DurationRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use probity_fairness::LabelValue;
use probity_fairness::monitoring::{
    AlertOptions, GapAlert, GroupCounts, WindowCounts, WindowOptions, confidence_radius,
};
use probity_fairness::spec::Policy;

/// Most records or labels one request may carry.
pub const MAX_LINES: usize = 1_000_000;
/// Longest record id, in bytes.
pub const MAX_RECORD_ID: usize = 256;
/// Longest sensitive value, in bytes.
pub const MAX_GROUP_VALUE: usize = 256;

/// How long a window is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowLength {
    /// Calendar hours, UTC.
    Hour,
    /// Calendar days, UTC.
    Day,
    /// ISO weeks, Monday 00:00 UTC to the next.
    Week,
}

impl WindowLength {
    /// The start of the window holding `at`.
    pub fn start(self, at: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Self::Hour => at.duration_trunc(Duration::hours(1)).unwrap_or(at),
            Self::Day => at.duration_trunc(Duration::days(1)).unwrap_or(at),
            Self::Week => {
                let day = at.duration_trunc(Duration::days(1)).unwrap_or(at);
                day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
            }
        }
    }

    /// The window's length.
    pub fn duration(self) -> Duration {
        match self {
            Self::Hour => Duration::hours(1),
            Self::Day => Duration::days(1),
            Self::Week => Duration::weeks(1),
        }
    }

    /// How often the alert test's sequences start afresh, in windows: a day
    /// of hours, a week of days, four weeks.
    pub fn restart_every(self) -> usize {
        match self {
            Self::Hour => 24,
            Self::Day => 7,
            Self::Week => 4,
        }
    }

    /// The name in requests and in the `window_length` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Week => "week",
        }
    }
}

/// Where alerts are posted, signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookTarget {
    /// An `http` or `https` URL that receives each alert as a JSON POST.
    pub url: String,
    /// Shared secret of the `Probity-Signature` header (HMAC-SHA256), 16 to 256 characters.
    #[schema(min_length = 16, max_length = 256)]
    pub secret: String,
}

fn default_threshold() -> f64 {
    0.5
}

fn default_retention_days() -> u32 {
    90
}

fn default_max_groups() -> u32 {
    50
}

/// Body of `POST /v1/monitors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorRequest {
    /// A name for people (1 to 200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The model whose decisions these are, when it is registered here.
    #[serde(default)]
    pub model_id: Option<Uuid>,
    /// The sensitive features every record carries, 1 to 8.
    #[schema(min_items = 1, max_items = 8)]
    pub sensitive_features: Vec<String>,
    /// The favourable outcome: a record's `prediction` or `label` equal to it is positive.
    pub positive_label: LabelValue,
    /// The window records are counted in, by their `timestamp`.
    pub window: WindowLength,
    /// Records without `prediction` select when `score >= threshold` (default 0.5).
    #[serde(default = "default_threshold")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub threshold: f64,
    /// The bounds windows are checked against and alerts test.
    #[serde(default)]
    pub policy: Policy,
    /// Bootstrap intervals and the minimum group size of window checks.
    #[serde(default)]
    pub figures: WindowOptions,
    /// The error rate of alerts over the monitor's life.
    #[serde(default)]
    pub alerting: AlertOptions,
    /// Days of event time a record stays stored so that a label can still
    /// arrive for it (0 to 3,650; default 90); older records keep only
    /// their counts, and records older than that are refused.
    #[serde(default = "default_retention_days")]
    #[schema(maximum = 3650)]
    pub label_retention_days: u32,
    /// Most distinct values one sensitive feature may take over the
    /// monitor's life (2 to 1,000; default 50): a decision that would add one
    /// more is refused, naming its line, so an id sent as a feature cannot
    /// blow up the counts.
    #[serde(default = "default_max_groups")]
    #[schema(minimum = 2, maximum = 1000)]
    pub max_groups: u32,
    /// Where alerts are posted.
    #[serde(default)]
    pub webhook: Option<WebhookTarget>,
}

/// A request field that is wrong, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct MonitorRequestError {
    pub field: String,
    pub detail: String,
}

impl MonitorRequest {
    /// What reading its records needs.
    pub fn record_schema(&self) -> RecordSchema<'_> {
        RecordSchema {
            sensitive_features: &self.sensitive_features,
            positive_label: &self.positive_label,
            threshold: self.threshold,
        }
    }

    /// Checks the request's own fields.
    pub fn validate(&self) -> Result<(), MonitorRequestError> {
        let bad = |field: &str, detail: &str| {
            Err(MonitorRequestError {
                field: field.into(),
                detail: detail.into(),
            })
        };
        if self.name.trim().is_empty() || self.name.len() > 200 {
            return bad("name", "1 to 200 characters");
        }
        if self.sensitive_features.is_empty() || self.sensitive_features.len() > 8 {
            return bad("sensitive_features", "name 1 to 8 features");
        }
        let mut seen = HashSet::new();
        for feature in &self.sensitive_features {
            if feature.is_empty() || feature.len() > 200 {
                return bad(
                    "sensitive_features",
                    "each feature name is 1 to 200 characters",
                );
            }
            if !seen.insert(feature) {
                return bad("sensitive_features", "a feature is listed twice");
            }
        }
        if !(0.0..=1.0).contains(&self.threshold) {
            return bad("threshold", "within [0, 1]");
        }
        let policy = &self.policy;
        if ![
            policy.demographic_parity_difference_max,
            policy.equalized_odds_difference_max,
        ]
        .iter()
        .all(|b| (0.0..=1.0).contains(b))
            || !(0.0..=1.0).contains(&policy.demographic_parity_ratio_min)
        {
            return bad("policy", "bounds within [0, 1]");
        }
        if self.figures.min_group_size > 1_000_000_000 {
            return bad("figures.min_group_size", "at most 1000000000");
        }
        if self.figures.resamples > 10_000 {
            return bad("figures.resamples", "at most 10000");
        }
        if !(self.figures.confidence > 0.0 && self.figures.confidence < 1.0) {
            return bad("figures.confidence", "strictly between 0 and 1");
        }
        if !(self.alerting.alpha > 0.0 && self.alerting.alpha < 1.0) {
            return bad("alerting.alpha", "strictly between 0 and 1");
        }
        if !(2..=1000).contains(&self.max_groups) {
            return bad("max_groups", "2 to 1000");
        }
        if self.label_retention_days > 3650 {
            return bad("label_retention_days", "0 to 3650 days");
        }
        if let Some(webhook) = &self.webhook {
            let scheme_ok =
                webhook.url.starts_with("http://") || webhook.url.starts_with("https://");
            if !scheme_ok || webhook.url.len() > 2048 || url_host(&webhook.url).is_none() {
                return bad("webhook.url", "an http or https URL with a host");
            }
            if !(16..=256).contains(&webhook.secret.len()) {
                return bad("webhook.secret", "16 to 256 characters");
            }
        }
        Ok(())
    }
}

fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

/// What is wrong with a line of a records or labels body. Never holds a
/// cell value: the line, the field and what kind of value was wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {field}: {detail}")]
pub struct LineError {
    /// 1-based line of the body (or row + 1 of an uploaded table).
    pub line: u64,
    /// The field at fault.
    pub field: String,
    /// What kind of value was wrong.
    pub detail: String,
}

/// A decision as a monitor counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line it was read from.
    pub line: u64,
    pub record_id: String,
    pub timestamp: DateTime<Utc>,
    /// The sensitive values, in the monitor's feature order.
    pub groups: Vec<String>,
    pub selected: bool,
    pub score: Option<f64>,
    pub label: Option<bool>,
}

/// What a monitor needs to read records.
#[derive(Debug, Clone)]
pub struct RecordSchema<'a> {
    pub sensitive_features: &'a [String],
    pub positive_label: &'a LabelValue,
    pub threshold: f64,
}

/// Whether a JSON value equals the positive label (`1`, `true`, `"yes"`;
/// a number and its text are the same value). `None` for an object or array.
fn is_positive(value: &Value, positive: &LabelValue) -> Option<bool> {
    let text = match value {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    Some(text == positive.to_string())
}

fn record_id(value: Option<&Value>, line: u64, field: &str) -> Result<String, LineError> {
    let error = |detail: &str| LineError {
        line,
        field: field.into(),
        detail: detail.into(),
    };
    let id = match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        None | Some(Value::Null) => return Err(error("missing")),
        _ => return Err(error("not a string or an integer")),
    };
    if id.is_empty() || id.len() > MAX_RECORD_ID {
        return Err(error("1 to 256 bytes"));
    }
    Ok(id)
}

fn lines(body: &str) -> impl Iterator<Item = (u64, &str)> {
    body.lines()
        .enumerate()
        .map(|(i, line)| (i as u64 + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
}

fn object(line: u64, text: &str) -> Result<serde_json::Map<String, Value>, LineError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(LineError {
            line,
            field: "line".into(),
            detail: "not a JSON object".into(),
        }),
        Err(e) => Err(LineError {
            line,
            field: "line".into(),
            detail: format!("not JSON (column {})", e.column()),
        }),
    }
}

fn too_many(count: usize) -> Result<(), LineError> {
    if count > MAX_LINES {
        return Err(LineError {
            line: count as u64,
            field: "body".into(),
            detail: format!("more than {MAX_LINES} lines in one request"),
        });
    }
    Ok(())
}

/// Reads an NDJSON body of decisions, one object a line:
/// `{"record_id", "timestamp" (RFC 3339), "features": {name: value},
/// "prediction" and/or "score", "label"?}`. Every line is checked before any
/// is returned: the first bad line is the error.
pub fn parse_records(body: &str, schema: &RecordSchema<'_>) -> Result<Vec<Record>, LineError> {
    let mut records = Vec::new();
    for (line, text) in lines(body) {
        too_many(records.len() + 1)?;
        let map = object(line, text)?;
        let error = |field: &str, detail: &str| LineError {
            line,
            field: field.into(),
            detail: detail.into(),
        };
        for key in map.keys() {
            if ![
                "record_id",
                "timestamp",
                "features",
                "prediction",
                "score",
                "label",
            ]
            .contains(&key.as_str())
            {
                return Err(error(key, "not a field of a record"));
            }
        }
        let record_id = record_id(map.get("record_id"), line, "record_id")?;
        let timestamp = match map.get("timestamp") {
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| error("timestamp", "not an RFC 3339 time"))?,
            None | Some(Value::Null) => return Err(error("timestamp", "missing")),
            _ => return Err(error("timestamp", "not an RFC 3339 time")),
        };
        let Some(Value::Object(features)) = map.get("features") else {
            return Err(error("features", "missing, or not an object"));
        };
        let mut groups = Vec::with_capacity(schema.sensitive_features.len());
        for feature in schema.sensitive_features {
            let field = format!("features.{feature}");
            let value = match features.get(feature) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                None | Some(Value::Null) => return Err(error(&field, "missing")),
                _ => return Err(error(&field, "not a string, number or boolean")),
            };
            if value.len() > MAX_GROUP_VALUE {
                return Err(error(&field, "longer than 256 bytes"));
            }
            groups.push(value);
        }
        let score = match map.get("score") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_f64() {
                Some(s) if (0.0..=1.0).contains(&s) => Some(s),
                _ => return Err(error("score", "a number outside [0, 1]")),
            },
            _ => return Err(error("score", "not a number")),
        };
        let selected = match map.get("prediction") {
            None | Some(Value::Null) => match score {
                Some(s) => s >= schema.threshold,
                None => return Err(error("prediction", "missing, and no score either")),
            },
            Some(value) => is_positive(value, schema.positive_label)
                .ok_or_else(|| error("prediction", "not a label value"))?,
        };
        let label = match map.get("label") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                is_positive(value, schema.positive_label)
                    .ok_or_else(|| error("label", "not a label value"))?,
            ),
        };
        records.push(Record {
            line,
            record_id,
            timestamp,
            groups,
            selected,
            score,
            label,
        });
    }
    Ok(records)
}

/// Reads an uploaded table of decisions (a backfill from history): CSV with
/// a header row, Parquet, or NDJSON rows, with columns `record_id`,
/// `timestamp` (RFC 3339 text, or a Parquet datetime read as UTC), one
/// column per sensitive feature, `prediction` and/or `score`, and optionally
/// `label`. Row `n` (1-based) is reported as line `n`. At most `max_rows` rows.
pub fn parse_table(
    path: &std::path::Path,
    format: crate::dataset::DatasetFormat,
    schema: &RecordSchema<'_>,
    max_rows: u64,
) -> Result<Vec<Record>, LineError> {
    use polars::prelude::*;
    let file_error = |detail: String| LineError {
        line: 0,
        field: "file".into(),
        detail,
    };
    let frame = crate::dataset::scan(path, format)
        .and_then(|lazy| {
            lazy.limit(max_rows.saturating_add(1).min(IdxSize::MAX as u64) as IdxSize)
                .collect()
        })
        .map_err(|e| {
            file_error(format!(
                "not a readable table: {}",
                probity_fairness::polars_errors::describe(&e)
            ))
        })?;
    if frame.height() as u64 > max_rows {
        return Err(file_error(format!("more than {max_rows} rows")));
    }
    let mut columns = Vec::new();
    for column in frame.columns() {
        let column = match column.dtype() {
            DataType::Datetime(_, _) => column
                .cast(&DataType::String)
                .map(|c| {
                    c.str()
                        .map(|s| {
                            s.apply(|v| {
                                v.map(|v| {
                                    std::borrow::Cow::Owned(format!("{}Z", v.replace(' ', "T")))
                                })
                            })
                        })
                        .map(|s| s.into_column())
                })
                .and_then(|c| c)
                .map_err(|e| file_error(format!("column `{}`: {e}", column.name())))?,
            _ => column.clone(),
        };
        columns.push(column);
    }
    let mut frame =
        DataFrame::new(frame.height(), columns).map_err(|e| file_error(e.to_string()))?;
    let mut buffer = Vec::new();
    JsonWriter::new(&mut buffer)
        .with_json_format(JsonFormat::JsonLines)
        .finish(&mut frame)
        .map_err(|e| file_error(e.to_string()))?;
    let text = String::from_utf8(buffer).map_err(|_| file_error("not UTF-8 text".into()))?;
    let mut nested = String::with_capacity(text.len() + text.len() / 4);
    for line in text.lines() {
        let Ok(Value::Object(mut row)) = serde_json::from_str::<Value>(line) else {
            return Err(file_error("a row did not read back as an object".into()));
        };
        let mut features = serde_json::Map::new();
        for feature in schema.sensitive_features {
            if let Some(value) = row.remove(feature) {
                features.insert(feature.clone(), value);
            }
        }
        row.insert("features".into(), Value::Object(features));
        nested.push_str(&Value::Object(row).to_string());
        nested.push('\n');
    }
    parse_records(&nested, schema)
}

/// Reads an NDJSON body of late labels: `{"record_id", "label"}` a line.
pub fn parse_labels(
    body: &str,
    positive_label: &LabelValue,
) -> Result<Vec<(u64, String, bool)>, LineError> {
    let mut labels = Vec::new();
    for (line, text) in lines(body) {
        too_many(labels.len() + 1)?;
        let map = object(line, text)?;
        for key in map.keys() {
            if key != "record_id" && key != "label" {
                return Err(LineError {
                    line,
                    field: key.clone(),
                    detail: "not a field of a label".into(),
                });
            }
        }
        let id = record_id(map.get("record_id"), line, "record_id")?;
        let label = match map.get("label") {
            None | Some(Value::Null) => None,
            Some(value) => is_positive(value, positive_label),
        }
        .ok_or_else(|| LineError {
            line,
            field: "label".into(),
            detail: "missing, or not a label value".into(),
        })?;
        labels.push((line, id, label));
    }
    Ok(labels)
}

/// The counts records add to their windows: window start → feature → group.
pub fn count_records<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    features: &[String],
    window: WindowLength,
) -> BTreeMap<DateTime<Utc>, WindowCounts> {
    let mut windows: BTreeMap<DateTime<Utc>, WindowCounts> = BTreeMap::new();
    for record in records {
        let start = window.start(record.timestamp);
        count_into(&mut windows, start, features, &record.groups, |counts| {
            counts.add(record.selected, record.label, record.score)
        });
    }
    windows
}

/// Applies `count` to the counts of each of a decision's groups (one per
/// feature, in the monitor's feature order) in the window starting at `start`.
pub fn count_into(
    windows: &mut BTreeMap<DateTime<Utc>, WindowCounts>,
    start: DateTime<Utc>,
    features: &[String],
    groups: &[String],
    mut count: impl FnMut(&mut GroupCounts),
) {
    let window = windows.entry(start).or_default();
    for (feature, group) in features.iter().zip(groups) {
        count(
            window
                .entry(feature.clone())
                .or_default()
                .entry(group.clone())
                .or_default(),
        );
    }
}

/// The monitor an alert's evidence is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceMonitor {
    pub id: Uuid,
    pub name: String,
    pub window: WindowLength,
}

/// How the test that fired read the counts, with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceMethod {
    /// The test, in words.
    pub test: String,
    /// Rate of the higher group so far.
    pub rate_higher: f64,
    /// Rate of the lower group so far.
    pub rate_lower: f64,
    /// Half-width of the higher group's confidence sequence.
    pub radius_higher: f64,
    /// Half-width of the lower group's confidence sequence.
    pub radius_lower: f64,
}

/// One window's counts of the alerted feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceWindow {
    pub window_start: DateTime<Utc>,
    /// Counts per group value.
    pub groups: BTreeMap<String, GroupCounts>,
}

/// The evidence an alert links: the monitor, the test, and the counts of the
/// alerted feature in every window up to the one at whose end it fired,
/// from which anyone can recompute the test. Its sha256 (canonical JSON) is
/// what the server signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlertEvidence {
    /// Always `probity.monitor_alert_evidence`.
    pub kind: String,
    pub monitor: EvidenceMonitor,
    pub policy: Policy,
    pub alerting: AlertOptions,
    pub alert: GapAlert,
    /// Start of the window at whose end the test rejected.
    pub fired_at_window_start: DateTime<Utc>,
    pub method: EvidenceMethod,
    /// The alerted feature's counts, window by window, from the restart
    /// point its sequences started at (`alert.since`) to the window it fired at:
    /// what the test read.
    pub counts: Vec<EvidenceWindow>,
}

/// Builds an alert's evidence from the windows the test read.
pub fn alert_evidence(
    monitor: EvidenceMonitor,
    policy: &Policy,
    alerting: &AlertOptions,
    alert: &GapAlert,
    windows: &[(DateTime<Utc>, WindowCounts)],
    first_window: usize,
) -> AlertEvidence {
    let read = &windows[alert.since - first_window..=alert.window - first_window];
    let counts: Vec<EvidenceWindow> = read
        .iter()
        .map(|(start, counts)| EvidenceWindow {
            window_start: *start,
            groups: counts.get(&alert.feature).cloned().unwrap_or_default(),
        })
        .collect();
    let [[high_s, high_n], [low_s, low_n]] = alert.trials;
    let restart_every = monitor.window.restart_every();
    AlertEvidence {
        kind: "probity.monitor_alert_evidence".into(),
        monitor,
        policy: policy.clone(),
        alerting: alerting.clone(),
        alert: alert.clone(),
        fired_at_window_start: windows[alert.window - first_window].0,
        method: EvidenceMethod {
            test: format!(
                "confidence sequences (Robbins' normal mixture, sub-Gaussian with variance 1/4, prior precision of 1,000 trials) for each group's rate over the records from a restart point (every {} windows) to each window's end; the sequences of the i-th restart point get alpha * 6 / (pi^2 (i + 1)^2), split evenly over every (group, rate) of the monitor; this alert's sequences started at window {}",
                restart_every, alert.since
            ),
            rate_higher: high_s as f64 / high_n as f64,
            rate_lower: low_s as f64 / low_n as f64,
            radius_higher: confidence_radius(high_n, alert.alpha_per_sequence),
            radius_lower: confidence_radius(low_n, alert.alpha_per_sequence),
        },
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(features: &[String]) -> RecordSchema<'_> {
        RecordSchema {
            sensitive_features: features,
            positive_label: &LabelValue::Int(1),
            threshold: 0.5,
        }
    }

    #[test]
    fn windows_start_at_the_hour_the_day_and_monday() {
        let at = DateTime::parse_from_rfc3339("2026-12-05T17:42:10Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            WindowLength::Hour.start(at).to_rfc3339(),
            "2026-12-05T17:00:00+00:00"
        );
        assert_eq!(
            WindowLength::Day.start(at).to_rfc3339(),
            "2026-12-05T00:00:00+00:00"
        );
        assert_eq!(
            WindowLength::Week.start(at).to_rfc3339(),
            "2026-11-30T00:00:00+00:00"
        );
    }

    #[test]
    fn records_are_read_with_predictions_scores_and_labels() {
        let features = vec!["sex".to_string()];
        let body = r#"{"record_id": "a", "timestamp": "2026-01-01T10:00:00Z", "features": {"sex": "F"}, "prediction": 1}

{"record_id": 7, "timestamp": "2026-01-01T11:00:00+01:00", "features": {"sex": "M"}, "score": 0.4, "label": "1"}"#;
        let records = parse_records(body, &schema(&features)).unwrap();
        assert_eq!(records.len(), 2);
        assert!(records[0].selected && records[0].label.is_none());
        assert_eq!(records[1].record_id, "7");
        assert!(!records[1].selected, "0.4 < 0.5");
        assert_eq!(records[1].label, Some(true), "\"1\" is the label 1");
        let windows = count_records(&records, &features, WindowLength::Day);
        assert_eq!(windows.len(), 1);
        let day = windows.values().next().unwrap();
        assert_eq!(day["sex"]["M"].confusion, [0, 0, 0, 1]);
    }

    #[test]
    fn a_bad_line_names_its_line_and_field_and_never_its_value() {
        let features = vec!["sex".to_string()];
        let ok = r#"{"record_id": "a", "timestamp": "2026-01-01T10:00:00Z", "features": {"sex": "F"}, "prediction": 1}"#;
        for (bad, field) in [
            (
                r#"{"record_id": "b", "timestamp": "yesterday-secret", "features": {"sex": "F"}, "prediction": 1}"#,
                "timestamp",
            ),
            (
                r#"{"record_id": "b", "timestamp": "2026-01-01T10:00:00Z", "features": {}, "prediction": 1}"#,
                "features.sex",
            ),
            (
                r#"{"record_id": "b", "timestamp": "2026-01-01T10:00:00Z", "features": {"sex": "F"}, "score": 1.5}"#,
                "score",
            ),
            (
                r#"{"record_id": "b", "timestamp": "2026-01-01T10:00:00Z", "features": {"sex": "F"}}"#,
                "prediction",
            ),
            (
                r#"{"record_id": "b", "timestamp": "2026-01-01T10:00:00Z", "features": {"sex": "F"}, "prediction": 1, "ssn": "078-05-1120"}"#,
                "ssn",
            ),
            (r#"not json"#, "line"),
        ] {
            let error =
                parse_records(&format!("{ok}\n{ok}\n{bad}\n"), &schema(&features)).unwrap_err();
            assert_eq!((error.line, error.field.as_str()), (3, field), "{error}");
            assert!(!error.to_string().contains("secret") && !error.to_string().contains("078-05"));
        }
        let labels = parse_labels(
            "{\"record_id\": \"a\", \"label\": 0}\n{\"record_id\": \"b\"}",
            &LabelValue::Int(1),
        );
        assert_eq!(labels.unwrap_err().line, 2);
    }

    #[test]
    fn a_parquet_history_with_datetimes_reads_as_the_same_records() {
        use polars::prelude::*;
        let features = vec!["sex".to_string()];
        let at = |h: i64| DateTime::from_timestamp(1_772_000_000 + h * 3_600, 0).unwrap();
        let mut frame = df!(
            "record_id" => ["a", "b"],
            "timestamp" => [at(0).naive_utc(), at(30).naive_utc()],
            "sex" => ["F", "M"],
            "prediction" => [1i64, 0],
            "label" => [Some(1i64), None],
        )
        .unwrap();
        let file = tempfile::NamedTempFile::new().unwrap();
        ParquetWriter::new(std::fs::File::create(file.path()).unwrap())
            .finish(&mut frame)
            .unwrap();
        let records = parse_table(
            file.path(),
            crate::dataset::DatasetFormat::Parquet,
            &schema(&features),
            10,
        )
        .unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].timestamp, at(0));
        assert_eq!(records[1].timestamp, at(30));
        assert_eq!((records[0].selected, records[0].label), (true, Some(true)));
        assert_eq!(
            (records[1].groups[0].as_str(), records[1].label),
            ("M", None)
        );
        let error = parse_table(
            file.path(),
            crate::dataset::DatasetFormat::Parquet,
            &schema(&features),
            1,
        )
        .unwrap_err();
        assert_eq!(error.field, "file", "{error}");
    }

    #[test]
    fn requests_are_checked_field_by_field() {
        let request: MonitorRequest = serde_json::from_value(serde_json::json!({
            "name": "loans", "sensitive_features": ["sex"], "positive_label": 1, "window": "day"
        }))
        .unwrap();
        assert!(request.validate().is_ok());
        assert_eq!(request.label_retention_days, 90);
        let mut bad = request.clone();
        bad.webhook = Some(WebhookTarget {
            url: "ftp://x".into(),
            secret: "0123456789abcdef".into(),
        });
        assert_eq!(bad.validate().unwrap_err().field, "webhook.url");
        let mut bad = request;
        bad.sensitive_features.push("sex".into());
        assert_eq!(bad.validate().unwrap_err().field, "sensitive_features");
    }
}
