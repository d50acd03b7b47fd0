//! The monitor's alert test against simulated streams: its false-alarm rate
//! where the gap sits exactly on the policy's bound (the hardest null case)
//! stays below the configured `alpha`, and a drift is found. The full
//! figures (more streams, detection delays; restarts every 7 windows) come from
//! `bench/monitor_alerts.sh`, which runs the ignored test below.

use probity_fairness::monitoring::{AlertOptions, MonitoredRate, sequential_alerts, simulate_days};
use probity_fairness::spec::Policy;

/// Streams (out of `streams`) that raised an alert, and the day each first drift alert came.
fn run(
    streams: u64,
    days: usize,
    per_day: u64,
    drift: Option<(usize, f64)>,
    seed: u64,
) -> (usize, Vec<usize>) {
    let features = vec!["group".to_string()];
    let mut alerted = 0;
    let mut days_to_alert = Vec::new();
    for stream in 0..streams {
        let windows = simulate_days(days, per_day, 0.1, drift, seed * 1_000_003 + stream);
        let alerts = sequential_alerts(
            &windows,
            0,
            0,
            &features,
            &Policy::default(),
            &AlertOptions::default(),
            7,
            0,
        );
        if !alerts.is_empty() {
            alerted += 1;
        }
        if let Some(first) = alerts
            .iter()
            .filter(|a| a.rate == MonitoredRate::FalsePositiveRate)
            .map(|a| a.window)
            .min()
        {
            days_to_alert.push(first);
        }
    }
    (alerted, days_to_alert)
}

#[test]
fn a_gap_exactly_on_the_bound_alerts_less_often_than_alpha() {
    // Group b's false positive rate is 0.2 from the first day, a's 0.1: the gap equals the bound.
    let (alerted, _) = run(200, 365, 2_000, Some((0, 0.2)), 1);
    let alpha = AlertOptions::default().alpha;
    assert!(
        (alerted as f64) <= alpha * 200.0,
        "{alerted} of 200 streams alerted; alpha {alpha}"
    );
}

#[test]
fn a_drift_beyond_the_bound_is_found_in_every_stream() {
    let (alerted, days) = run(50, 120, 2_000, Some((10, 0.3)), 2);
    assert_eq!(alerted, 50);
    assert!(days.iter().all(|&d| d >= 10), "{days:?}");
}

fn median(mut values: Vec<usize>) -> f64 {
    values.sort_unstable();
    if values.is_empty() {
        return f64::NAN;
    }
    values[values.len() / 2] as f64
}

/// `bench/monitor_alerts.sh`: false alarms over 1,000 days without drift and at the
/// bound, and the days from a drift to its alert, for several drift sizes.
#[test]
#[ignore = "benchmark: bench/monitor_alerts.sh"]
fn false_alarm_and_detection_figures() {
    let streams = 500;
    let alpha = AlertOptions::default().alpha;
    println!(
        "alpha {alpha}; 2,000 decisions a group a day, 20 % labelled negative; policy bounds 0.1"
    );
    let (none, _) = run(streams, 1_000, 2_000, None, 11);
    println!(
        "no drift, 1,000 days: {none} of {streams} streams alerted ({:.4})",
        none as f64 / streams as f64
    );
    let (boundary, _) = run(streams, 1_000, 2_000, Some((0, 0.2)), 12);
    println!(
        "false positive rate gap exactly 0.1 (on the bound), 1,000 days: {boundary} of {streams} streams alerted ({:.4})",
        boundary as f64 / streams as f64
    );
    for (to, label) in [
        (0.25, "0.15 over the base, 0.05 past the bound"),
        (0.3, "0.2 over, 0.1 past"),
        (0.5, "0.4 over, 0.3 past"),
    ] {
        let (alerted, days) = run(200, 400, 2_000, Some((100, to)), 13);
        let delays: Vec<usize> = days.iter().map(|d| d - 100).collect();
        let max = delays.iter().max().copied().unwrap_or(0);
        println!(
            "drift at day 100 to {to} ({label}): {alerted} of 200 alerted; days to alert median {}, max {max}",
            median(delays.clone())
        );
    }
}

/// `bench/monitor_alerts.sh`: the cost of testing a year of hourly windows of
/// 50 groups from scratch (a backfill), the largest a monitor's groups allow.
#[test]
#[ignore = "benchmark: bench/monitor_alerts.sh"]
fn a_year_of_hours_of_fifty_groups_is_tested_in_time() {
    use probity_fairness::monitoring::{GroupCounts, WindowCounts};
    use std::collections::BTreeMap;
    let windows: Vec<WindowCounts> = (0..8_760u64)
        .map(|hour| {
            let groups = (0..50u64)
                .map(|g| {
                    let records = 40 + (hour * 7 + g * 13) % 17;
                    let labelled = records / 2;
                    let tp = labelled * 6 / 10;
                    let fp = (labelled - tp) / 10 + (g % 3);
                    let counts = GroupCounts {
                        records,
                        selected: tp + fp + (records - labelled) / 2,
                        confusion: [
                            tp,
                            fp.min(labelled - tp),
                            labelled - tp - fp.min(labelled - tp),
                            0,
                        ],
                        ..GroupCounts::default()
                    };
                    (format!("g{g}"), counts)
                })
                .collect();
            BTreeMap::from([("region".to_string(), groups)])
        })
        .collect();
    let features = vec!["region".to_string()];
    let started = std::time::Instant::now();
    let alerts = sequential_alerts(
        &windows,
        0,
        0,
        &features,
        &Policy::default(),
        &AlertOptions::default(),
        24,
        0,
    );
    println!(
        "8,760 hourly windows x 50 groups, every look from scratch: {:.2} s, {} alerts",
        started.elapsed().as_secs_f64(),
        alerts.len()
    );
    let started = std::time::Instant::now();
    sequential_alerts(
        &windows,
        0,
        0,
        &features,
        &Policy::default(),
        &AlertOptions::default(),
        24,
        8_759,
    );
    println!(
        "the newest look only (live ingestion): {:.4} s",
        started.elapsed().as_secs_f64()
    );
}
