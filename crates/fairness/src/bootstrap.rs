//! Bootstrap confidence intervals from per-group confusion counts: each
//! resample draws every group's four cells from a multinomial with the
//! group's own row count and cell shares (a row bootstrap stratified by
//! group, without touching rows), scaling weighted cells by their mean
//! weight. Seeded, so the same seed gives the same intervals.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution};

use super::aggregate::{Headline, headline};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::counts::{Confusion, Metric};
use super::spec::BootstrapOptions;

/// Number of headline figures.
pub const HEADLINE_FIGURES: usize = 6;

fn resample(group: &Confusion, rng: &mut StdRng) -> Confusion {
    let total = group.row_count();
    let mut remaining = total;
    let mut remaining_share = 1.0;
    let mut out = Confusion::default();
    for cell in 0..4 {
        let rows = group.rows[cell];
        let drawn = if cell == 3 || remaining == 0 {
            remaining
        } else {
            let p = (rows as f64 / total as f64 / remaining_share).clamp(0.0, 1.0);
            Binomial::new(remaining, p)
                .map(|b| b.sample(rng))
                .unwrap_or(0)
        };
        remaining_share -= rows as f64 / total as f64;
        remaining -= drawn;
        out.rows[cell] = drawn;
        out.weight[cell] = if rows == 0 {
            0.0
        } else {
            drawn as f64 * group.weight[cell] / rows as f64
        };
    }
    out
}

/// numpy's default (linear) quantile of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// Bootstrap intervals of one group's rates (from the same resamples as the headline figures).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RateIntervals {
    /// Selection rate `[low, high]`; null when undefined in more than half of the resamples.
    pub selection_rate: Option<[f64; 2]>,
    /// True positive rate `[low, high]`.
    pub true_positive_rate: Option<[f64; 2]>,
    /// False positive rate `[low, high]`.
    pub false_positive_rate: Option<[f64; 2]>,
}

impl RateIntervals {
    /// The rates that carry intervals, in field order.
    pub const METRICS: [Metric; 3] = [
        Metric::SelectionRate,
        Metric::TruePositiveRate,
        Metric::FalsePositiveRate,
    ];

    /// The interval of `metric`; `None` for an undefined one or a rate without intervals.
    pub fn of(&self, metric: Metric) -> Option<[f64; 2]> {
        match metric {
            Metric::SelectionRate => self.selection_rate,
            Metric::TruePositiveRate => self.true_positive_rate,
            Metric::FalsePositiveRate => self.false_positive_rate,
            _ => None,
        }
    }
}

/// Intervals from one bootstrap run over a grouping.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intervals {
    /// Headline figures in [`Headline::entries`] order.
    pub headline: [Option<[f64; 2]>; HEADLINE_FIGURES],
    /// Per group, in the order of the groups given.
    pub groups: Vec<RateIntervals>,
}

fn percentile_interval(mut values: Vec<f64>, resamples: u32, confidence: f64) -> Option<[f64; 2]> {
    if values.len() * 2 < resamples as usize {
        return None;
    }
    let alpha = (1.0 - confidence) / 2.0;
    values.sort_by(f64::total_cmp);
    Some([quantile(&values, alpha), quantile(&values, 1.0 - alpha)])
}

/// Confidence intervals of the headline figures and of each group's
/// selection rate, TPR and FPR over `groups`; `None` for a figure undefined
/// in more than half of the resamples. Undefined rates (0/0) are skipped
/// rather than counted as 0.
pub fn intervals(groups: &[Confusion], options: &BootstrapOptions, stream: u64) -> Intervals {
    if options.resamples == 0 || groups.is_empty() {
        return Intervals {
            headline: Default::default(),
            groups: vec![RateIntervals::default(); groups.len()],
        };
    }
    let mut samples: [Vec<f64>; HEADLINE_FIGURES] = Default::default();
    let mut group_samples: Vec<[Vec<f64>; 3]> = vec![Default::default(); groups.len()];
    let mut rng = StdRng::seed_from_u64(
        options
            .seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(stream),
    );
    for _ in 0..options.resamples {
        let drawn: Vec<Confusion> = groups.iter().map(|g| resample(g, &mut rng)).collect();
        let rates: Vec<_> = drawn.iter().map(Confusion::rates).collect();
        let figures: Headline = headline(&rates.iter().collect::<Vec<_>>());
        for (slot, (_, value)) in samples.iter_mut().zip(figures.entries()) {
            if !value.is_nan() {
                slot.push(value);
            }
        }
        for (slots, rate) in group_samples.iter_mut().zip(&rates) {
            for (slot, metric) in slots.iter_mut().zip(RateIntervals::METRICS) {
                let value = rate.get(metric);
                if !rate.is_undefined(metric) && !value.is_nan() {
                    slot.push(value);
                }
            }
        }
    }
    let interval = |values| percentile_interval(values, options.resamples, options.confidence);
    Intervals {
        headline: samples.map(interval),
        groups: group_samples
            .into_iter()
            .map(|[selection, tpr, fpr]| RateIntervals {
                selection_rate: interval(selection),
                true_positive_rate: interval(tpr),
                false_positive_rate: interval(fpr),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(tp: u64, fp: u64, tn: u64, fn_: u64) -> Confusion {
        let rows = [tp, fp, tn, fn_];
        Confusion {
            rows,
            weight: rows.map(|r| r as f64),
        }
    }

    #[test]
    fn intervals_are_seeded_and_cover_the_point_estimate() {
        let groups = [group(300, 100, 500, 100), group(200, 50, 650, 100)];
        let options = BootstrapOptions {
            resamples: 400,
            seed: 7,
            confidence: 0.95,
        };
        let first = intervals(&groups, &options, 0);
        assert_eq!(first, intervals(&groups, &options, 0));
        assert_ne!(
            first,
            intervals(
                &groups,
                &BootstrapOptions {
                    seed: 8,
                    ..options.clone()
                },
                0
            )
        );
        let [low, high] = first.headline[0].unwrap();
        let point = (400.0 / 1000.0) - (250.0 / 1000.0);
        assert!(low < point && point < high, "{low} {point} {high}");
        assert!(high - low < 0.1);
    }

    #[test]
    fn group_rate_intervals_cover_their_rates_and_skip_undefined_ones() {
        // Group 0: selection 400/1000, TPR 300/400, FPR 100/600. Group 1 has no positives: TPR is 0/0.
        let groups = [group(300, 100, 500, 100), group(0, 20, 80, 0)];
        let options = BootstrapOptions {
            resamples: 500,
            seed: 3,
            confidence: 0.95,
        };
        let result = intervals(&groups, &options, 0);
        assert_eq!(result.groups.len(), 2);
        for (interval, point) in [
            (result.groups[0].selection_rate, 0.4),
            (result.groups[0].true_positive_rate, 0.75),
            (result.groups[0].false_positive_rate, 100.0 / 600.0),
            (result.groups[1].false_positive_rate, 0.2),
        ] {
            let [low, high] = interval.unwrap();
            assert!(
                low < point && point < high && high - low < 0.2,
                "{low} {point} {high}"
            );
        }
        assert_eq!(result.groups[1].true_positive_rate, None);
        // Binomial standard error of the selection rate: sqrt(0.4 * 0.6 / 1000) = 0.0155, so the
        // 95 % interval is about ±0.030.
        let [low, high] = result.groups[0].selection_rate.unwrap();
        assert!(
            (high - low - 2.0 * 1.96 * 0.0155).abs() < 0.01,
            "{low} {high}"
        );
    }

    #[test]
    fn resampling_keeps_group_size_and_weights_per_row() {
        let mut rng = StdRng::seed_from_u64(1);
        let g = Confusion {
            rows: [10, 0, 5, 5],
            weight: [20.0, 0.0, 5.0, 10.0],
        };
        for _ in 0..100 {
            let r = resample(&g, &mut rng);
            assert_eq!(r.row_count(), 20);
            assert_eq!(r.rows[1], 0);
            assert_eq!(r.weight[0], r.rows[0] as f64 * 2.0);
        }
    }

    #[test]
    fn linear_quantiles_match_numpy() {
        let values = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&values, 0.5), 2.5);
        assert_eq!(quantile(&values, 0.025), 1.075);
    }
}
