//! SVG charts of a report, drawn with plotters' SVG backend: per-group rates
//! with bootstrap whiskers, threshold sweeps, PII share per column. Each
//! function returns one `<svg>` element as text.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::pii_check::PiiReport;
use probity_fairness::GroupReport;
use probity_fairness::bootstrap::RateIntervals;
use probity_fairness::counts::Metric;
use probity_fairness::scores::{SweepCurve, ThresholdSweep};

const SERIES_COLORS: [RGBColor; 3] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
];
const LINE_COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];
const FONT: &str = "sans-serif";
/// The rate axis runs past 1 so the legend sits above the bars.
const LEGEND_HEADROOM: f64 = 1.3;

/// Picks one rate's values out of a sweep curve.
type CurvePick = fn(&SweepCurve) -> &Vec<Option<f64>>;

/// One bar series: a name, and per category a value with an optional interval.
struct Series<'a> {
    name: &'a str,
    values: Vec<(Option<f64>, Option<[f64; 2]>)>,
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        format!("{}…", label.chars().take(max - 1).collect::<String>())
    }
}

/// Grouped bars over `categories` in [0, 1], with whiskers where intervals exist.
fn bar_chart(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    categories: &[String],
    series: &[Series<'_>],
    y_label: &str,
) -> Result<(), String> {
    let n = categories.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..n, 0f64..LEGEND_HEADROOM)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(7)
        .y_desc(y_label)
        .y_label_formatter(&|v| {
            if *v <= 1.0 + 1e-9 {
                format!("{v:.1}")
            } else {
                String::new()
            }
        })
        .label_style((FONT, 12))
        .draw()
        .map_err(|e| e.to_string())?;
    let width = 0.8 / series.len().max(1) as f64;
    for (s, (one, color)) in series.iter().zip(SERIES_COLORS.iter().cycle()).enumerate() {
        let offset = 0.1 + width * s as f64;
        let bars = one.values.iter().enumerate().filter_map(|(i, (value, _))| {
            value.map(|v| {
                Rectangle::new(
                    [
                        (i as f64 + offset, 0.0),
                        (i as f64 + offset + width * 0.9, v.clamp(0.0, 1.0)),
                    ],
                    color.filled(),
                )
            })
        });
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(one.name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
        let whiskers = one
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, (value, ci))| {
                let ([low, high], mid) = (ci.as_ref()?, value.as_ref()?);
                let x = i as f64 + offset + width * 0.45;
                Some(ErrorBar::new_vertical(
                    x,
                    low.clamp(0.0, 1.0),
                    mid.clamp(0.0, 1.0),
                    high.clamp(0.0, 1.0),
                    BLACK.stroke_width(1),
                    6,
                ))
            });
        chart.draw_series(whiskers).map_err(|e| e.to_string())?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .margin(4)
        .label_font((FONT, 12))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|e| e.to_string())?;
    let (_, y_bottom) = chart.backend_coord(&(0.0, 0.0));
    for (i, category) in categories.iter().enumerate() {
        let (x, _) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        let style =
            TextStyle::from((FONT, 12).into_font()).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Top,
            ));
        area.draw(&Text::new(short(category, 22), (x, y_bottom + 8), style))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|_| draw(&root));
        if let Err(e) = drawn.and_then(|_| root.present().map_err(|e| e.to_string())) {
            tracing::warn!(error = %e, "drawing a report chart failed");
        }
    }
    out
}

/// Selection rate, TPR and FPR of each of `groups`, with their intervals.
pub fn group_rates(groups: &[&GroupReport]) -> String {
    let categories: Vec<String> = groups.iter().map(|g| g.group.join(", ")).collect();
    let series = RateIntervals::METRICS.map(|metric| Series {
        name: match metric {
            Metric::SelectionRate => "Selection rate",
            Metric::TruePositiveRate => "True positive rate",
            _ => "False positive rate",
        },
        values: groups
            .iter()
            .map(|g| {
                let value = g.rates.get(metric);
                let defined = (!g.rates.is_undefined(metric) && value.is_finite()).then_some(value);
                (
                    defined,
                    g.rate_intervals.as_ref().and_then(|i| i.of(metric)),
                )
            })
            .collect(),
    });
    let width = (260 + 90 * categories.len() as u32).clamp(520, 1100);
    svg(width, 320, |area| {
        bar_chart(area, &categories, &series, "rate")
    })
}

/// Selection rate, TPR and FPR of each group across thresholds, one panel each.
pub fn threshold_sweep(sweep: &ThresholdSweep) -> String {
    svg(1050, 320, |root| {
        let panels = root.split_evenly((1, 3));
        let metrics: [(&str, CurvePick); 3] = [
            ("Selection rate", |c| &c.selection_rate),
            ("True positive rate", |c| &c.true_positive_rate),
            ("False positive rate", |c| &c.false_positive_rate),
        ];
        for (index, (panel, (title, pick))) in panels.iter().zip(metrics).enumerate() {
            let mut chart = ChartBuilder::on(panel)
                .caption(title, (FONT, 14))
                .margin(10)
                .x_label_area_size(36)
                .y_label_area_size(40)
                .build_cartesian_2d(0f64..1f64, 0f64..1f64)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .x_labels(6)
                .y_labels(6)
                .x_desc("threshold")
                .x_label_formatter(&|v| format!("{v:.1}"))
                .y_label_formatter(&|v| format!("{v:.1}"))
                .label_style((FONT, 11))
                .draw()
                .map_err(|e| e.to_string())?;
            for (curve, color) in sweep.curves.iter().zip(LINE_COLORS.iter().cycle()) {
                let points: Vec<(f64, f64)> = sweep
                    .thresholds
                    .iter()
                    .zip(pick(curve))
                    .filter_map(|(t, v)| v.map(|v| (*t, v)))
                    .collect();
                let drawn = chart
                    .draw_series(LineSeries::new(points, color.stroke_width(2)))
                    .map_err(|e| e.to_string())?;
                if index == 0 {
                    drawn
                        .label(short(&curve.group.join(", "), 20))
                        .legend(move |(x, y)| {
                            PathElement::new([(x, y), (x + 14, y)], color.stroke_width(2))
                        });
                }
            }
            if index == 0 {
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperRight)
                    .label_font((FONT, 11))
                    .background_style(WHITE.mix(0.9))
                    .border_style(BLACK.mix(0.3))
                    .draw()
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    })
}

/// Share of scanned rows with at least one finding, per affected column.
pub fn pii_columns(pii: &PiiReport) -> String {
    let columns: Vec<_> = pii.columns.iter().filter(|c| c.rows_affected > 0).collect();
    let categories: Vec<String> = columns.iter().map(|c| c.column.clone()).collect();
    let series = [Series {
        name: "Rows with PII",
        values: columns
            .iter()
            .map(|c| (Some(c.share_affected), None))
            .collect(),
    }];
    let width = (260 + 70 * categories.len() as u32).clamp(520, 1100);
    svg(width, 300, |area| {
        bar_chart(area, &categories, &series, "share of rows")
    })
}
