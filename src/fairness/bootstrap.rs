//! Bootstrap confidence intervals from per-group confusion counts: each
//! resample draws every group's four cells from a multinomial with the
//! group's own row count and cell shares (a row bootstrap stratified by
//! group, without touching rows), scaling weighted cells by their mean
//! weight. Seeded, so the same seed gives the same intervals.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution};

use super::aggregate::{Headline, headline};
use super::counts::Confusion;
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
            Binomial::new(remaining, p).map(|b| b.sample(rng)).unwrap_or(0)
        };
        remaining_share -= rows as f64 / total as f64;
        remaining -= drawn;
        out.rows[cell] = drawn;
        out.weight[cell] = if rows == 0 { 0.0 } else { drawn as f64 * group.weight[cell] / rows as f64 };
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

/// Confidence intervals of the headline figures over `groups`, in
/// [`Headline::entries`] order; `None` for a figure undefined in more than
/// half of the resamples.
pub fn headline_intervals(groups: &[Confusion], options: &BootstrapOptions, stream: u64) -> [Option<[f64; 2]>; HEADLINE_FIGURES] {
    let mut samples: [Vec<f64>; HEADLINE_FIGURES] = Default::default();
    if options.resamples == 0 || groups.is_empty() {
        return Default::default();
    }
    let mut rng = StdRng::seed_from_u64(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(stream));
    for _ in 0..options.resamples {
        let drawn: Vec<Confusion> = groups.iter().map(|g| resample(g, &mut rng)).collect();
        let rates: Vec<_> = drawn.iter().map(Confusion::rates).collect();
        let figures: Headline = headline(&rates.iter().collect::<Vec<_>>());
        for (slot, (_, value)) in samples.iter_mut().zip(figures.entries()) {
            if !value.is_nan() {
                slot.push(value);
            }
        }
    }
    let alpha = (1.0 - options.confidence) / 2.0;
    samples.map(|mut values| {
        if values.len() * 2 < options.resamples as usize {
            return None;
        }
        values.sort_by(f64::total_cmp);
        Some([quantile(&values, alpha), quantile(&values, 1.0 - alpha)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(tp: u64, fp: u64, tn: u64, fn_: u64) -> Confusion {
        let rows = [tp, fp, tn, fn_];
        Confusion { rows, weight: rows.map(|r| r as f64) }
    }

    #[test]
    fn intervals_are_seeded_and_cover_the_point_estimate() {
        let groups = [group(300, 100, 500, 100), group(200, 50, 650, 100)];
        let options = BootstrapOptions { resamples: 400, seed: 7, confidence: 0.95 };
        let first = headline_intervals(&groups, &options, 0);
        assert_eq!(first, headline_intervals(&groups, &options, 0));
        assert_ne!(first, headline_intervals(&groups, &BootstrapOptions { seed: 8, ..options.clone() }, 0));
        let [low, high] = first[0].unwrap();
        let point = (400.0 / 1000.0) - (250.0 / 1000.0);
        assert!(low < point && point < high, "{low} {point} {high}");
        assert!(high - low < 0.1);
    }

    #[test]
    fn resampling_keeps_group_size_and_weights_per_row() {
        let mut rng = StdRng::seed_from_u64(1);
        let g = Confusion { rows: [10, 0, 5, 5], weight: [20.0, 0.0, 5.0, 10.0] };
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
