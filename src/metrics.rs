//! Prometheus metrics: the process-wide recorder and the HTTP middleware
//! that counts requests and times them by route.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use metrics_util::MetricKindMask;

use probity_audit::report::AuditReport;

/// Gauges are set when `/metrics` is scraped; one not set again for this long is dropped.
const GAUGE_IDLE_TIMEOUT: Duration = Duration::from_secs(5);

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// Installs the recorder once per process and returns its handle.
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .expect("non-empty buckets")
                .idle_timeout(MetricKindMask::GAUGE, Some(GAUGE_IDLE_TIMEOUT))
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).expect("metrics recorder installed once");
            handle
        })
        .clone()
}

/// Sets the fairness gauges from the newest report of each model (or dataset,
/// for audits of predictions in the data): every headline figure as
/// `probity_<figure>{model, model_version, model_id, dataset, feature}` (feature
/// is the grouping's sensitive features joined by `+`, or `overall`; PII figures
/// are `probity_pii_<figure>`),
/// plus `probity_report_verdict{..., verdict}` = 1 and
/// `probity_report_created_timestamp_seconds`. Gauges not set again within a
/// few seconds disappear, so a replaced series does not linger.
pub fn set_report_gauges(reports: &[AuditReport]) {
    for report in reports {
        let model = report.inputs.model.as_ref();
        let base: Vec<(&'static str, String)> = vec![
            ("model", model.map(|m| m.name.clone()).unwrap_or_default()),
            (
                "model_version",
                model.map(|m| m.version.clone()).unwrap_or_default(),
            ),
            (
                "model_id",
                model.map(|m| m.id.to_string()).unwrap_or_default(),
            ),
            ("dataset", report.inputs.dataset.name.clone()),
        ];
        for figure in report.headline_figures() {
            let Some(value) = figure.value else { continue };
            let name = if figure.grouping == "pii" {
                format!("probity_pii_{}", figure.figure)
            } else {
                format!("probity_{}", figure.figure)
            };
            let mut labels = base.clone();
            labels.push(("feature", figure.grouping));
            metrics::gauge!(name, &labels).set(value);
        }
        let mut labels = base.clone();
        labels.push(("verdict", report.verdict.as_str().to_string()));
        metrics::gauge!("probity_report_verdict", &labels).set(1.0);
        metrics::gauge!("probity_report_created_timestamp_seconds", &base)
            .set(report.created_at.timestamp() as f64);
    }
}

/// Sets the monitor gauges from each monitor's newest window:
/// `probity_monitor_demographic_parity_difference` and
/// `probity_monitor_equalized_odds_difference` per feature,
/// `probity_monitor_label_coverage`, `probity_monitor_records` and
/// `probity_monitor_alerts` (alerts raised so far), labelled with the
/// monitor's name and id.
pub fn set_monitor_gauges(
    newest: &[(
        crate::store::monitors::Monitor,
        chrono::DateTime<chrono::Utc>,
        probity_fairness::monitoring::WindowCounts,
        i64,
    )],
) {
    for (monitor, start, counts, alerts) in newest {
        let request = &monitor.request.0;
        let base = vec![
            ("monitor", request.name.clone()),
            ("monitor_id", monitor.id.to_string()),
        ];
        let windows = crate::monitoring::window_figures(
            &probity_audit::monitor::MonitorRequest {
                figures: probity_fairness::monitoring::WindowOptions {
                    resamples: 0,
                    ..request.figures.clone()
                },
                ..request.clone()
            },
            &[(*start, counts.clone())],
        );
        let Some(window) = windows.first() else {
            continue;
        };
        for feature in &window.features {
            let mut labels = base.clone();
            labels.push(("feature", feature.feature.clone()));
            for (name, estimate) in [
                (
                    "probity_monitor_demographic_parity_difference",
                    &feature.demographic_parity_difference,
                ),
                (
                    "probity_monitor_equalized_odds_difference",
                    &feature.equalized_odds_difference,
                ),
            ] {
                if let Some(value) = estimate.value {
                    metrics::gauge!(name, &labels).set(value);
                }
            }
        }
        metrics::gauge!("probity_monitor_label_coverage", &base).set(window.label_coverage);
        metrics::gauge!("probity_monitor_records", &base).set(window.records as f64);
        metrics::gauge!("probity_monitor_alerts", &base).set(*alerts as f64);
        metrics::gauge!("probity_monitor_window_start_timestamp_seconds", &base)
            .set(start.timestamp() as f64);
    }
}

/// Records `probity_http_requests_total` and `probity_http_request_duration_seconds`.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("probity_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("probity_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
