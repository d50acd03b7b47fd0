//! Continuous monitoring of a deployed model, from counts: per-window,
//! per-group counts of decisions (and of labels as they arrive), the
//! window's figures with bootstrap intervals, and alerts whose error rate
//! holds however often the monitor looks.
//!
//! Alerts come from confidence sequences (Robbins' normal mixture for
//! bounded observations): for each group and rate, an interval around the
//! rate so far that covers the truth at every look at once with probability
//! `1 - α` (Ville's inequality), not a fresh fixed-level test per window. A
//! gap between two groups is alerted when the lower end of one group's
//! interval minus the upper end of another's exceeds the policy's bound;
//! the intervals split `α` evenly (Bonferroni), so the chance that a monitor
//! whose gaps never exceed their bounds ever alerts is at most `α`.
//! Each interval covers the average of the group's rates over the records
//! seen so far, so rates that drift are tracked as the running average.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::bootstrap::quantile;
use crate::counts::{FN, FP, Rates, TN, TP};
use crate::policy::Outcome;
use crate::spec::Policy;

/// Score histogram bins over [0, 1] (scores are binned for AUC: bin `i` holds `[i/n, (i+1)/n)`, 1.0 in the last).
pub const SCORE_BINS: usize = 100;

/// Counts of one group in one window. They add up, so ingestion batches,
/// windows and replays merge exactly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupCounts {
    /// Decisions recorded.
    pub records: u64,
    /// Decisions that selected (predicted the positive label).
    pub selected: u64,
    /// Labelled decisions per confusion cell: true positive, false positive, true negative, false negative.
    pub confusion: [u64; 4],
    /// Scores of labelled positives, binned ([`SCORE_BINS`]; empty when no score was sent).
    pub positive_scores: Vec<u64>,
    /// Scores of labelled negatives, binned.
    pub negative_scores: Vec<u64>,
}

impl GroupCounts {
    /// Adds another count of the same group.
    pub fn merge(&mut self, other: &GroupCounts) {
        self.records += other.records;
        self.selected += other.selected;
        for cell in 0..4 {
            self.confusion[cell] += other.confusion[cell];
        }
        merge_histogram(&mut self.positive_scores, &other.positive_scores);
        merge_histogram(&mut self.negative_scores, &other.negative_scores);
    }

    /// Counts one decision (`label` when known, `score` when sent).
    pub fn add(&mut self, selected: bool, label: Option<bool>, score: Option<f64>) {
        self.records += 1;
        self.selected += u64::from(selected);
        if let Some(label) = label {
            self.add_label(selected, label, score);
        }
    }

    /// Counts a label that arrived for a decision already counted.
    pub fn add_label(&mut self, selected: bool, label: bool, score: Option<f64>) {
        let cell = match (label, selected) {
            (true, true) => TP,
            (false, true) => FP,
            (false, false) => TN,
            (true, false) => FN,
        };
        self.confusion[cell] += 1;
        if let Some(score) = score {
            let histogram = if label {
                &mut self.positive_scores
            } else {
                &mut self.negative_scores
            };
            histogram.resize(SCORE_BINS, 0);
            histogram[score_bin(score)] += 1;
        }
    }

    /// Labelled decisions.
    pub fn labelled(&self) -> u64 {
        self.confusion.iter().sum()
    }

    /// The (successes, trials) of a rate: selected of all records, or the
    /// confusion cells of the labelled ones.
    pub fn trials(&self, rate: MonitoredRate) -> (u64, u64) {
        let c = self.confusion;
        match rate {
            MonitoredRate::SelectionRate => (self.selected, self.records),
            MonitoredRate::TruePositiveRate => (c[TP], c[TP] + c[FN]),
            MonitoredRate::FalsePositiveRate => (c[FP], c[FP] + c[TN]),
        }
    }
}

fn merge_histogram(into: &mut Vec<u64>, other: &[u64]) {
    if other.is_empty() {
        return;
    }
    into.resize(SCORE_BINS, 0);
    for (bin, count) in into.iter_mut().zip(other) {
        *bin += count;
    }
}

/// The histogram bin of a score in [0, 1].
pub fn score_bin(score: f64) -> usize {
    ((score.clamp(0.0, 1.0) * SCORE_BINS as f64) as usize).min(SCORE_BINS - 1)
}

/// ROC AUC of binned scores: pairs in the same bin count as ties (½), so it
/// equals the exact AUC of scores rounded down to their bin. `None` without
/// both classes.
pub fn binned_auc(positives: &[u64], negatives: &[u64]) -> Option<f64> {
    let (p, n): (u64, u64) = (positives.iter().sum(), negatives.iter().sum());
    if p == 0 || n == 0 {
        return None;
    }
    let mut negatives_below = 0u64;
    let mut wins = 0.0;
    for (pos, neg) in positives.iter().zip(negatives) {
        wins += *pos as f64 * (negatives_below as f64 + *neg as f64 / 2.0);
        negatives_below += neg;
    }
    Some(wins / (p as f64 * n as f64))
}

/// A rate a monitor compares across groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonitoredRate {
    /// Share of decisions that select (all records; demographic parity).
    SelectionRate,
    /// Share of labelled positives selected (equalized odds).
    TruePositiveRate,
    /// Share of labelled negatives selected (equalized odds).
    FalsePositiveRate,
}

impl MonitoredRate {
    /// The name in JSON and in the `monitor_alerts.rate` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SelectionRate => "selection_rate",
            Self::TruePositiveRate => "true_positive_rate",
            Self::FalsePositiveRate => "false_positive_rate",
        }
    }

    /// The rates whose gaps a policy bounds: selection rate by the
    /// demographic parity difference, true and false positive rates by the
    /// equalized odds difference.
    pub fn bounded_by(policy: &Policy) -> Vec<(MonitoredRate, f64)> {
        vec![
            (
                Self::SelectionRate,
                policy.demographic_parity_difference_max,
            ),
            (Self::TruePositiveRate, policy.equalized_odds_difference_max),
            (
                Self::FalsePositiveRate,
                policy.equalized_odds_difference_max,
            ),
        ]
    }
}

/// One window's counts: per sensitive feature, per group value.
pub type WindowCounts = BTreeMap<String, BTreeMap<String, GroupCounts>>;

/// A figure with its bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Estimate {
    /// The figure (null when undefined: no records, or no labels for a labelled rate).
    pub value: Option<f64>,
    /// Percentile bootstrap interval at the monitor's confidence (null without resamples or value).
    pub interval: Option<[f64; 2]>,
}

/// One group's figures in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupWindow {
    /// The group's value of the feature.
    pub group: String,
    /// Decisions recorded.
    pub records: u64,
    /// Decisions with a label so far.
    pub labelled: u64,
    /// Share of decisions that selected.
    pub selection_rate: Estimate,
    /// Share of labelled positives selected.
    pub true_positive_rate: Estimate,
    /// Share of labelled negatives selected.
    pub false_positive_rate: Estimate,
    /// ROC AUC of the labelled decisions' binned scores (null without scores or both classes).
    pub auc: Option<f64>,
}

/// A policy check of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WindowCheck {
    /// `demographic_parity_difference_max` or `equalized_odds_difference_max`.
    pub check: String,
    /// The policy's bound.
    pub bound: f64,
    /// The window's figure.
    pub value: Option<f64>,
    /// `pass`, `fail`, or `inconclusive` (a group below the monitor's minimum, or no labels).
    pub outcome: Outcome,
}

/// One feature's figures in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeatureWindow {
    /// The sensitive feature.
    pub feature: String,
    /// Its groups, by value.
    pub groups: Vec<GroupWindow>,
    /// Largest minus smallest selection rate (Fairlearn's `between_groups`).
    pub demographic_parity_difference: Estimate,
    /// Larger of the true and false positive rate differences.
    pub equalized_odds_difference: Estimate,
    /// The policy's difference checks on this window alone.
    pub checks: Vec<WindowCheck>,
}

/// How window figures are computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WindowOptions {
    /// Bootstrap resamples of the counts (0: no intervals).
    #[schema(maximum = 10_000)]
    pub resamples: u32,
    /// Two-sided confidence of the intervals.
    #[schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub confidence: f64,
    /// Groups with fewer decisions (or, for labelled rates, labels) make a check inconclusive.
    #[schema(maximum = 1_000_000_000)]
    pub min_group_size: u64,
}

impl Default for WindowOptions {
    fn default() -> Self {
        Self {
            resamples: 200,
            confidence: 0.95,
            min_group_size: 30,
        }
    }
}

fn rate(successes: u64, trials: u64) -> Option<f64> {
    (trials > 0).then(|| successes as f64 / trials as f64)
}

/// Largest minus smallest of the defined values.
fn spread(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let defined: Vec<f64> = values.flatten().collect();
    let max = defined.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let min = defined.iter().cloned().fold(f64::INFINITY, f64::min);
    (defined.len() >= 2).then_some(max - min)
}

/// The three rates of each group and the two differences, for counts.
fn point_figures(groups: &[&GroupCounts]) -> (Vec<[Option<f64>; 3]>, Option<f64>, Option<f64>) {
    let rates: Vec<[Option<f64>; 3]> = groups
        .iter()
        .map(|g| {
            let cells = g.confusion.map(|c| c as f64);
            let labelled = Rates::from_cells(cells);
            let (tp, fp, tn, fn_) = (
                g.confusion[TP],
                g.confusion[FP],
                g.confusion[TN],
                g.confusion[FN],
            );
            [
                rate(g.selected, g.records),
                (tp + fn_ > 0).then_some(labelled.true_positive_rate),
                (fp + tn > 0).then_some(labelled.false_positive_rate),
            ]
        })
        .collect();
    let dpd = spread(rates.iter().map(|r| r[0]));
    let tpr_gap = spread(rates.iter().map(|r| r[1]));
    let fpr_gap = spread(rates.iter().map(|r| r[2]));
    let eod = match (tpr_gap, fpr_gap) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    (rates, dpd, eod)
}

/// One multinomial resample of a group's six kinds of decision (selected or
/// not, unlabelled or in one of the four labelled cells), records held fixed.
fn resample(group: &GroupCounts, rng: &mut StdRng) -> GroupCounts {
    let c = group.confusion;
    let selected_unlabelled = group.selected - c[TP] - c[FP];
    let unselected_unlabelled = group.records - group.selected - c[TN] - c[FN];
    let cells = [
        c[TP],
        c[FP],
        c[TN],
        c[FN],
        selected_unlabelled,
        unselected_unlabelled,
    ];
    let mut remaining = group.records;
    let mut left = group.records;
    let mut drawn = [0u64; 6];
    for (i, &count) in cells.iter().enumerate() {
        if i == cells.len() - 1 || remaining == 0 {
            drawn[i] = remaining;
            break;
        }
        let p = if left == 0 {
            0.0
        } else {
            (count as f64 / left as f64).clamp(0.0, 1.0)
        };
        drawn[i] = Binomial::new(remaining, p)
            .map(|b| b.sample(rng))
            .unwrap_or(0);
        remaining -= drawn[i];
        left -= count;
    }
    GroupCounts {
        records: group.records,
        selected: drawn[0] + drawn[1] + drawn[4],
        confusion: [drawn[0], drawn[1], drawn[2], drawn[3]],
        positive_scores: Vec::new(),
        negative_scores: Vec::new(),
    }
}

fn interval(mut values: Vec<f64>, confidence: f64) -> Option<[f64; 2]> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Some([quantile(&values, tail), quantile(&values, 1.0 - tail)])
}

/// A window's figures for one feature. `seed` fixes the resamples (the same
/// counts and seed give the same intervals).
pub fn feature_window(
    feature: &str,
    groups: &BTreeMap<String, GroupCounts>,
    policy: &Policy,
    options: &WindowOptions,
    seed: u64,
) -> FeatureWindow {
    let counts: Vec<&GroupCounts> = groups.values().collect();
    let (rates, dpd, eod) = point_figures(&counts);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut rate_samples = vec![[Vec::new(), Vec::new(), Vec::new()]; counts.len()];
    let (mut dpd_samples, mut eod_samples) = (Vec::new(), Vec::new());
    for _ in 0..options.resamples {
        let resampled: Vec<GroupCounts> = counts.iter().map(|g| resample(g, &mut rng)).collect();
        let refs: Vec<&GroupCounts> = resampled.iter().collect();
        let (r, d, e) = point_figures(&refs);
        for (samples, values) in rate_samples.iter_mut().zip(&r) {
            for k in 0..3 {
                samples[k].extend(values[k]);
            }
        }
        dpd_samples.extend(d);
        eod_samples.extend(e);
    }
    let estimate = |value: Option<f64>, samples: Vec<f64>| Estimate {
        value,
        interval: value.and(interval(samples, options.confidence)),
    };
    let group_windows: Vec<GroupWindow> = groups
        .iter()
        .zip(rates.iter().zip(rate_samples))
        .map(|((name, g), (r, [s0, s1, s2]))| GroupWindow {
            group: name.clone(),
            records: g.records,
            labelled: g.labelled(),
            selection_rate: estimate(r[0], s0),
            true_positive_rate: estimate(r[1], s1),
            false_positive_rate: estimate(r[2], s2),
            auc: binned_auc(&g.positive_scores, &g.negative_scores),
        })
        .collect();
    let small = |labelled: bool| {
        counts.len() < 2
            || counts.iter().any(|g| {
                let size = if labelled { g.labelled() } else { g.records };
                size < options.min_group_size
            })
    };
    let check = |name: &str, bound: f64, value: Option<f64>, labelled: bool| WindowCheck {
        check: name.into(),
        bound,
        value,
        outcome: match value {
            Some(_) if small(labelled) => Outcome::Inconclusive,
            Some(v) if v <= bound => Outcome::Pass,
            Some(_) => Outcome::Fail,
            None => Outcome::Inconclusive,
        },
    };
    FeatureWindow {
        feature: feature.into(),
        groups: group_windows,
        checks: vec![
            check(
                "demographic_parity_difference_max",
                policy.demographic_parity_difference_max,
                dpd,
                false,
            ),
            check(
                "equalized_odds_difference_max",
                policy.equalized_odds_difference_max,
                eod,
                true,
            ),
        ],
        demographic_parity_difference: estimate(dpd, dpd_samples),
        equalized_odds_difference: estimate(eod, eod_samples),
    }
}

/// Prior precision of Robbins' normal mixture, in units of observations of
/// variance ¼: the boundary is tightest near this many trials (about 1,000)
/// and valid at every count.
pub const MIXTURE_TRIALS: f64 = 1000.0;

/// Half-width of a two-sided `1 - alpha` confidence sequence for a rate in
/// [0, 1] after `trials` observations: with `v = trials / 4` (the variance
/// bound of a [0, 1] observation times the count) and `ρ = MIXTURE_TRIALS / 4`,
/// `|successes − Σ p_t| < √(2 (v + ρ) ln(√((v + ρ) / ρ) · 2 / alpha))` at
/// every count at once with probability at least `1 − alpha` (Robbins'
/// normal mixture for sub-Gaussian increments; Howard et al. 2021, eq. 14).
pub fn confidence_radius(trials: u64, alpha: f64) -> f64 {
    if trials == 0 {
        return f64::INFINITY;
    }
    let v = trials as f64 / 4.0;
    let rho = MIXTURE_TRIALS / 4.0;
    let bound = (2.0 * (v + rho) * (((v + rho) / rho).sqrt() * 2.0 / alpha).ln()).sqrt();
    bound / trials as f64
}

/// How a monitor alerts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AlertOptions {
    /// Chance, at most, that a monitor whose gaps stay within their bounds
    /// ever alerts, over its whole life (default 0.05).
    #[schema(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub alpha: f64,
}

impl Default for AlertOptions {
    fn default() -> Self {
        Self { alpha: 0.05 }
    }
}

/// A gap the sequential test found beyond its bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GapAlert {
    /// The sensitive feature.
    pub feature: String,
    /// The rate whose gap crossed the bound.
    pub rate: MonitoredRate,
    /// The policy's bound on the gap.
    pub bound: f64,
    /// Index of the window at whose end the test rejected, among the
    /// monitor's windows with data (0 = the first).
    pub window: usize,
    /// Index of the first window of the sequences that rejected (a restart point).
    pub since: usize,
    /// The group with the higher rate and the one with the lower.
    pub groups: [String; 2],
    /// The gap between their rates over windows `since..=window`.
    pub estimate: f64,
    /// The gap's lower confidence bound, valid at every look: above `bound`.
    pub lower_bound: f64,
    /// Each group's (successes, trials) over those windows: `[higher, lower]`.
    pub trials: [[u64; 2]; 2],
    /// The error rate each of these two confidence sequences was built at.
    pub alpha_per_sequence: f64,
}

/// Restart points a look reads, the newest ones (a year of weeks, or 64 days of hours).
pub const MAX_RESTARTS_PER_LOOK: usize = 64;

/// How much of `alpha` the sequences started at the `index`-th restart point
/// get: `6 / (π² (index + 1)²)`, which sums to 1 over all restart points.
pub fn restart_share(index: usize) -> f64 {
    6.0 / (std::f64::consts::PI.powi(2) * ((index + 1) as f64).powi(2))
}

/// Running totals of one group's rate over windows: `prefix[t]` sums windows `0..t`.
struct Prefix {
    group: String,
    successes: Vec<u64>,
    trials: Vec<u64>,
}

/// The largest lower confidence bound of `rate(i) − rate(j)` over ordered
/// pairs of groups, over windows `since..=window`, when above `bound`.
#[allow(clippy::too_many_arguments)]
fn gap_between(
    feature: &str,
    prefixes: &[Prefix],
    rate: MonitoredRate,
    bound: f64,
    alpha: f64,
    since: usize,
    window: usize,
) -> Option<GapAlert> {
    let stats: Vec<(&String, u64, u64, f64, f64)> = prefixes
        .iter()
        .filter_map(|p| {
            let s = p.successes[window + 1] - p.successes[since];
            let n = p.trials[window + 1] - p.trials[since];
            (n > 0).then(|| {
                (
                    &p.group,
                    s,
                    n,
                    s as f64 / n as f64,
                    confidence_radius(n, alpha),
                )
            })
        })
        .collect();
    // The best pair is the highest lower end against the lowest upper end of
    // another group: the two best of each side are enough (linear in groups).
    let mut by_lower: Vec<usize> = (0..stats.len()).collect();
    let mut by_upper = by_lower.clone();
    let lower_end = |i: usize| stats[i].3 - stats[i].4;
    let upper_end = |i: usize| stats[i].3 + stats[i].4;
    by_lower.sort_by(|&a, &b| lower_end(b).total_cmp(&lower_end(a)).then(a.cmp(&b)));
    by_upper.sort_by(|&a, &b| upper_end(a).total_cmp(&upper_end(b)).then(a.cmp(&b)));
    let (high, low) = by_lower
        .iter()
        .take(2)
        .flat_map(|&h| by_upper.iter().take(2).map(move |&l| (h, l)))
        .filter(|(h, l)| h != l)
        .max_by(|&(h1, l1), &(h2, l2)| {
            (lower_end(h1) - upper_end(l1))
                .total_cmp(&(lower_end(h2) - upper_end(l2)))
                .then((h2, l2).cmp(&(h1, l1)))
        })?;
    let lower = lower_end(high) - upper_end(low);
    let (high, low) = (&stats[high], &stats[low]);
    (lower > bound).then(|| GapAlert {
        feature: feature.into(),
        rate,
        bound,
        window,
        since,
        groups: [high.0.clone(), low.0.clone()],
        estimate: high.3 - low.3,
        lower_bound: lower,
        trials: [[high.1, high.2], [low.1, low.2]],
        alpha_per_sequence: alpha,
    })
}

/// Runs the sequential test over windows in time order and returns the
/// first alert of each (feature, rate) whose gap crossed its bound; a
/// (feature, rate) is not alerted again after its first alert.
///
/// Each window's end is a look. Sequences start afresh every
/// `restart_every` windows (window 0, `restart_every`, ...) so that a gap
/// that opens late is not diluted by the history before it: the sequences
/// started at the `i`-th restart point get `alpha · 6 / (π² (i + 1)²)` of the
/// error rate (the shares sum to 1), split evenly over every (group, rate)
/// of the monitor. The chance that any of them ever alerts while every gap
/// stays within its bound is so at most `alpha`. A look reads the
/// sequences of its newest [`MAX_RESTARTS_PER_LOOK`] restart points (reading
/// fewer of the sequences keeps the bound). Looks before `from_window` are
/// skipped: a caller that evaluated them before, with the same counts for
/// those windows, passes the first window its new data touched.
///
/// `windows` may be the monitor's newest windows only: `first_window` is the
/// index of `windows[0]` among all of them (window and restart indices in
/// alerts are over all of them), and it must be at or before the oldest
/// restart point the first look reads. `groups` is the number of (feature,
/// group) pairs the monitor has ever seen, which splits `alpha` (0: count
/// those in `windows`). Deterministic for the same counts.
#[allow(clippy::too_many_arguments)]
pub fn sequential_alerts(
    windows: &[WindowCounts],
    first_window: usize,
    groups: usize,
    features: &[String],
    policy: &Policy,
    options: &AlertOptions,
    restart_every: usize,
    from_window: usize,
) -> Vec<GapAlert> {
    let restart_every = restart_every.max(1);
    let rates = MonitoredRate::bounded_by(policy);
    let mut prefixes: BTreeMap<(&str, MonitoredRate), Vec<Prefix>> = BTreeMap::new();
    for feature in features {
        let groups: std::collections::BTreeSet<&String> = windows
            .iter()
            .flat_map(|w| w.get(feature).into_iter().flat_map(|g| g.keys()))
            .collect();
        for &(rate, _) in &rates {
            let series = groups
                .iter()
                .map(|&group| {
                    let mut prefix = Prefix {
                        group: group.clone(),
                        successes: vec![0],
                        trials: vec![0],
                    };
                    for window in windows {
                        let (s, n) = window
                            .get(feature)
                            .and_then(|g| g.get(group))
                            .map(|c| c.trials(rate))
                            .unwrap_or((0, 0));
                        prefix.successes.push(prefix.successes.last().unwrap() + s);
                        prefix.trials.push(prefix.trials.last().unwrap() + n);
                    }
                    prefix
                })
                .collect();
            prefixes.insert((feature.as_str(), rate), series);
        }
    }
    let sequences = if groups > 0 {
        groups * rates.len()
    } else {
        prefixes.values().map(Vec::len).sum()
    };
    let alpha = options.alpha / sequences.max(2) as f64;
    let mut alerts = Vec::new();
    let mut alerted = std::collections::BTreeSet::new();
    for window in from_window.min(windows.len())..windows.len() {
        for feature in features {
            for &(rate, bound) in &rates {
                if alerted.contains(&(feature.as_str(), rate)) {
                    continue;
                }
                let series = &prefixes[&(feature.as_str(), rate)];
                let look = first_window + window;
                let restarts = look / restart_every + 1;
                let found = (restarts.saturating_sub(MAX_RESTARTS_PER_LOOK)..restarts)
                    .filter(|i| i * restart_every >= first_window)
                    .find_map(|i| {
                        gap_between(
                            feature,
                            series,
                            rate,
                            bound,
                            alpha * restart_share(i),
                            i * restart_every - first_window,
                            window,
                        )
                    })
                    .map(|alert| GapAlert {
                        window: alert.window + first_window,
                        since: alert.since + first_window,
                        ..alert
                    });
                if let Some(alert) = found {
                    alerted.insert((feature.as_str(), rate));
                    alerts.push(alert);
                }
            }
        }
    }
    alerts
}

/// A stream of simulated days for tests and benchmarks: two groups of one
/// feature `group`, `per_day` labelled decisions per group per day, group
/// `a` with false positive rate `base_fpr` throughout and group `b` with
/// `base_fpr` until `drift_day`, then `drifted_fpr`. A fifth of each
/// group's decisions are labelled negative and positives are selected at
/// rate 0.7 in both groups, so a drift of the false positive rate by `d`
/// moves the selection rate by only `d / 5`.
pub fn simulate_days(
    days: usize,
    per_day: u64,
    base_fpr: f64,
    drift: Option<(usize, f64)>,
    seed: u64,
) -> Vec<WindowCounts> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut draw = |n: u64, p: f64| Binomial::new(n, p).map(|b| b.sample(&mut rng)).unwrap_or(0);
    (0..days)
        .map(|day| {
            let mut groups = BTreeMap::new();
            for group in ["a", "b"] {
                let fpr = match drift {
                    Some((from, rate)) if group == "b" && day >= from => rate,
                    _ => base_fpr,
                };
                let negatives = per_day / 5;
                let positives = per_day - negatives;
                let fp = draw(negatives, fpr);
                let tp = draw(positives, 0.7);
                groups.insert(
                    group.to_string(),
                    GroupCounts {
                        records: per_day,
                        selected: tp + fp,
                        confusion: [tp, fp, negatives - fp, positives - tp],
                        positive_scores: Vec::new(),
                        negative_scores: Vec::new(),
                    },
                );
            }
            BTreeMap::from([("group".to_string(), groups)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// The alerts of one-feature (`group`) windows under the default policy and alpha, restarts every 7 windows.
    fn alerts_of(windows: &[WindowCounts]) -> Vec<GapAlert> {
        let features = vec!["group".to_string()];
        sequential_alerts(
            windows,
            0,
            0,
            &features,
            &Policy::default(),
            &AlertOptions::default(),
            7,
            0,
        )
    }

    fn counts(records: u64, selected: u64, confusion: [u64; 4]) -> GroupCounts {
        GroupCounts {
            records,
            selected,
            confusion,
            ..GroupCounts::default()
        }
    }

    #[test]
    fn counts_add_up_and_labels_arrive_later() {
        let mut one = GroupCounts::default();
        one.add(true, None, Some(0.9));
        one.add(false, Some(false), Some(0.1));
        one.add_label(true, true, Some(0.9));
        assert_eq!(one.records, 2);
        assert_eq!(one.selected, 1);
        assert_eq!(one.confusion, [1, 0, 1, 0]);
        assert_eq!(one.positive_scores[90], 1);
        assert_eq!(one.negative_scores[10], 1);
        let mut merged = one.clone();
        merged.merge(&one);
        assert_eq!(merged.records, 4);
        assert_eq!(merged.confusion, [2, 0, 2, 0]);
        assert_eq!(merged.positive_scores[90], 2);
        assert_eq!(score_bin(1.0), SCORE_BINS - 1);
    }

    #[test]
    fn binned_auc_counts_ties_as_half() {
        // Positives in bins 8 and 5, negatives in bins 5 and 1: pairs (8,5) (8,1) (5,1) win, (5,5) ties.
        let mut positives = vec![0; SCORE_BINS];
        let mut negatives = vec![0; SCORE_BINS];
        positives[8] = 1;
        positives[5] = 1;
        negatives[5] = 1;
        negatives[1] = 1;
        assert_eq!(binned_auc(&positives, &negatives), Some(3.5 / 4.0));
        assert_eq!(binned_auc(&positives, &vec![0; SCORE_BINS]), None);
    }

    #[test]
    fn window_figures_are_the_rates_of_the_counts_with_intervals_around_them() {
        let groups = BTreeMap::from([
            ("F".to_string(), counts(400, 120, [60, 40, 160, 40])),
            ("M".to_string(), counts(600, 300, [150, 90, 210, 50])),
        ]);
        let window = feature_window(
            "sex",
            &groups,
            &Policy::default(),
            &WindowOptions::default(),
            7,
        );
        let f = &window.groups[0];
        assert_eq!(f.selection_rate.value, Some(0.3));
        assert_eq!(f.true_positive_rate.value, Some(0.6));
        assert_eq!(f.false_positive_rate.value, Some(0.2));
        assert_eq!(window.demographic_parity_difference.value, Some(0.5 - 0.3));
        // TPR 0.6 vs 0.75, FPR 0.2 vs 0.3: EOD is the TPR gap.
        let eod = window.equalized_odds_difference.value.unwrap();
        assert!((eod - 0.15).abs() < 1e-12);
        for estimate in [&f.selection_rate, &window.demographic_parity_difference] {
            let [low, high] = estimate.interval.unwrap();
            assert!(low <= estimate.value.unwrap() && estimate.value.unwrap() <= high);
            assert!(high - low < 0.2);
        }
        assert_eq!(window.checks[0].outcome, Outcome::Fail);
        assert_eq!(window.checks[1].outcome, Outcome::Fail);
        let again = feature_window(
            "sex",
            &groups,
            &Policy::default(),
            &WindowOptions::default(),
            7,
        );
        assert_eq!(
            again, window,
            "the same counts and seed give the same intervals"
        );
    }

    #[test]
    fn a_window_without_labels_or_with_small_groups_is_inconclusive() {
        let groups = BTreeMap::from([
            ("F".to_string(), counts(400, 120, [0; 4])),
            ("M".to_string(), counts(10, 3, [0; 4])),
        ]);
        let window = feature_window(
            "sex",
            &groups,
            &Policy::default(),
            &WindowOptions::default(),
            1,
        );
        assert_eq!(window.equalized_odds_difference.value, None);
        assert_eq!(window.groups[0].true_positive_rate.value, None);
        assert_eq!(
            window.checks[0].outcome,
            Outcome::Inconclusive,
            "M has 10 < 30 records"
        );
        assert_eq!(window.checks[1].outcome, Outcome::Inconclusive);
    }

    #[test]
    fn the_confidence_radius_shrinks_like_the_square_root_of_the_count() {
        let r1 = confidence_radius(1_000, 0.05);
        let r100 = confidence_radius(100_000, 0.05);
        assert!(r1 > 0.05 && r1 < 0.1, "{r1}");
        assert!(r100 < r1 / 8.0 && r100 > r1 / 12.0, "{r100} vs {r1}");
        assert_eq!(confidence_radius(0, 0.05), f64::INFINITY);
        assert!(confidence_radius(1_000, 0.01) > r1);
    }

    /// Coverage, checked by simulation: over 400 streams of 2,000 looks of
    /// Bernoulli(0.3) observations (20 a look), the running mean leaves the
    /// `alpha = 0.1` sequence at some look in at most about 10 % of them.
    #[test]
    fn the_sequence_covers_the_rate_at_every_look_at_once() {
        let mut rng = StdRng::seed_from_u64(11);
        let mut escaped = 0;
        for _ in 0..400 {
            let (mut successes, mut trials) = (0u64, 0u64);
            for _ in 0..2_000 {
                successes += Binomial::new(20, 0.3).unwrap().sample(&mut rng);
                trials += 20;
                let mean = successes as f64 / trials as f64;
                if (mean - 0.3).abs() >= confidence_radius(trials, 0.1) {
                    escaped += 1;
                    break;
                }
            }
        }
        assert!(
            escaped <= 60,
            "{escaped} of 400 streams left the 90 % sequence"
        );
    }

    #[test]
    fn a_drift_in_one_groups_false_positive_rate_fires_one_alert_after_it_starts() {
        let windows = simulate_days(60, 2_000, 0.1, Some((10, 0.35)), 3);
        let alerts = alerts_of(&windows);
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        let alert = &alerts[0];
        assert_eq!(alert.rate, MonitoredRate::FalsePositiveRate);
        assert_eq!(alert.groups, ["b".to_string(), "a".to_string()]);
        assert!(
            alert.window >= 10 && alert.window < 40,
            "fired at day {}",
            alert.window
        );
        assert!(alert.lower_bound > 0.1 && alert.estimate > alert.lower_bound);
    }

    #[test]
    fn the_widest_gap_is_found_as_a_search_of_every_pair_would() {
        let mut rng = StdRng::seed_from_u64(21);
        for _ in 0..500 {
            let prefixes: Vec<Prefix> = (0..1 + rng.random_range(0..6))
                .map(|g| {
                    let n = rng.random_range(0..400u64);
                    let s = rng.random_range(0..=n);
                    Prefix {
                        group: format!("g{g}"),
                        successes: vec![0, s],
                        trials: vec![0, n],
                    }
                })
                .collect();
            let radius = |p: &Prefix| confidence_radius(p.trials[1], 0.05);
            let rate = |p: &Prefix| p.successes[1] as f64 / p.trials[1] as f64;
            let mut best = f64::NEG_INFINITY;
            for h in prefixes.iter().filter(|p| p.trials[1] > 0) {
                for l in prefixes.iter().filter(|p| p.trials[1] > 0) {
                    if h.group != l.group {
                        best = best.max((rate(h) - radius(h)) - (rate(l) + radius(l)));
                    }
                }
            }
            let found = gap_between(
                "f",
                &prefixes,
                MonitoredRate::SelectionRate,
                -10.0,
                0.05,
                0,
                0,
            );
            match found {
                Some(alert) => assert!(
                    (alert.lower_bound - best).abs() < 1e-12,
                    "{} vs {best}",
                    alert.lower_bound
                ),
                None => assert_eq!(best, f64::NEG_INFINITY),
            }
        }
    }

    #[test]
    fn testing_the_newest_windows_only_finds_what_testing_all_finds() {
        let windows = simulate_days(800, 2_000, 0.1, Some((600, 0.3)), 17);
        let features = vec!["group".to_string()];
        let (policy, options) = (Policy::default(), AlertOptions::default());
        let all = sequential_alerts(&windows, 0, 2, &features, &policy, &options, 7, 600);
        let first_restart = (600 / 7 + 1 - MAX_RESTARTS_PER_LOOK) * 7;
        let newest = sequential_alerts(
            &windows[first_restart..],
            first_restart,
            2,
            &features,
            &policy,
            &options,
            7,
            600 - first_restart,
        );
        assert_eq!(all.len(), 1);
        assert_eq!(newest, all);
        assert!(all[0].window >= 600 && all[0].since >= first_restart);
    }

    #[test]
    fn rate_names_are_their_json_names() {
        for rate in [
            MonitoredRate::SelectionRate,
            MonitoredRate::TruePositiveRate,
            MonitoredRate::FalsePositiveRate,
        ] {
            assert_eq!(serde_json::to_value(rate).unwrap(), rate.as_str());
        }
    }

    #[test]
    fn restart_shares_sum_to_one() {
        let total: f64 = (0..1_000_000).map(restart_share).sum();
        assert!(total < 1.0 && total > 0.99999, "{total}");
    }

    #[test]
    fn a_late_drift_is_not_diluted_by_the_history_before_it() {
        let windows = simulate_days(400, 2_000, 0.1, Some((300, 0.3)), 8);
        let alerts = alerts_of(&windows);
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        assert!(
            alerts[0].window >= 300 && alerts[0].window < 330,
            "{}",
            alerts[0].window
        );
        assert!(
            alerts[0].since >= 294,
            "the test that fired started at window {}",
            alerts[0].since
        );
    }

    #[test]
    fn a_thousand_days_without_drift_raise_no_alert() {
        let windows = simulate_days(1_000, 2_000, 0.1, None, 5);
        let alerts = alerts_of(&windows);
        assert!(alerts.is_empty(), "{alerts:#?}");
    }
}
