//! A grouped report's chart as inline SVG, drawn the same on the server and in the
//! browser, readable without JavaScript and printable: stacked bars over time for a
//! period grouping, horizontal bars for categories. The geometry is plain arithmetic,
//! tested on its own; the component only draws it.

use leptos::prelude::*;

use super::model::{ReportGroup, ReportResult};
use super::page::cell_text;
use crate::i18n::{t, use_lang, Msg};

/// One drawn piece: a bar segment of one figure in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Which charted figure (0-based among the charted ones): its colour.
    pub series: usize,
    pub value: i64,
}

pub const WIDTH: f64 = 720.0;
const VERTICAL_HEIGHT: f64 = 260.0;
const AXIS_LEFT: f64 = 56.0;
const AXIS_BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;
const ROW: f64 = 28.0;
const NAME_WIDTH: f64 = 200.0;

/// The charted figures of each group, in the dataset's order.
fn charted(result: &ReportResult, group: &ReportGroup) -> Vec<i64> {
    result
        .measures
        .iter()
        .zip(&group.values)
        .filter(|(m, _)| m.charted)
        .map(|(_, v)| *v)
        .collect()
}

/// The largest stack, at least 1 (an empty report still has an axis).
pub fn scale_max(result: &ReportResult) -> i64 {
    result
        .groups
        .iter()
        .map(|g| charted(result, g).iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1)
}

/// Bars over time: one column per period, its figures stacked from the axis up.
pub fn vertical(result: &ReportResult) -> Vec<Segment> {
    let n = result.groups.len().max(1) as f64;
    let max = scale_max(result) as f64;
    let plot_w = WIDTH - AXIS_LEFT - 8.0;
    let plot_h = VERTICAL_HEIGHT - AXIS_BOTTOM - TOP;
    let slot = plot_w / n;
    let width = (slot * 0.7).max(1.0);
    let mut out = Vec::new();
    for (i, g) in result.groups.iter().enumerate() {
        let x = AXIS_LEFT + slot * i as f64 + (slot - width) / 2.0;
        let mut base = VERTICAL_HEIGHT - AXIS_BOTTOM;
        for (series, value) in charted(result, g).into_iter().enumerate() {
            let height = plot_h * value as f64 / max;
            base -= height;
            if value > 0 {
                out.push(Segment {
                    x,
                    y: base,
                    width,
                    height,
                    series,
                    value,
                });
            }
        }
    }
    out
}

/// Bars for categories: one row per group, its figures side by side from the names.
pub fn horizontal(result: &ReportResult) -> Vec<Segment> {
    let max = scale_max(result) as f64;
    let plot_w = WIDTH - NAME_WIDTH - 64.0;
    let mut out = Vec::new();
    for (i, g) in result.groups.iter().enumerate() {
        let y = TOP + ROW * i as f64 + 4.0;
        let mut left = NAME_WIDTH;
        for (series, value) in charted(result, g).into_iter().enumerate() {
            let width = plot_w * value as f64 / max;
            if value > 0 {
                out.push(Segment {
                    x: left,
                    y,
                    width,
                    height: ROW - 8.0,
                    series,
                    value,
                });
            }
            left += width;
        }
    }
    out
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// The chart of a grouped report, with its legend.
#[component]
pub fn ReportChart(result: ReportResult) -> impl IntoView {
    let lang = use_lang();
    let time = result.query.grouping.is_time();
    let segments = if time {
        vertical(&result)
    } else {
        horizontal(&result)
    };
    let height = if time {
        VERTICAL_HEIGHT
    } else {
        TOP + ROW * result.groups.len() as f64 + 8.0
    };
    let max = scale_max(&result);
    let names: Vec<String> = result
        .groups
        .iter()
        .map(|g| cell_text(&g.label, lang.get_untracked()))
        .collect();
    let legend: Vec<Msg> = result
        .measures
        .iter()
        .filter(|m| m.charted)
        .map(|m| m.label)
        .collect();
    let series_names = legend.clone();
    let bars = segments
        .into_iter()
        .map(|s| {
            let what = format!(
                "{}: {}",
                t(series_names[s.series.min(series_names.len() - 1)])(),
                s.value
            );
            view! {
                <rect class=format!("series-{}", s.series % 6) x=px(s.x) y=px(s.y)
                    width=px(s.width) height=px(s.height)>
                    <title>{what}</title>
                </rect>
            }
        })
        .collect_view();
    // At most about twelve period names fit under the bars.
    let step = result.groups.len().div_ceil(12).max(1);
    let slot = (WIDTH - AXIS_LEFT - 8.0) / result.groups.len().max(1) as f64;
    let axis_names = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if time {
                (i % step == 0).then(|| {
                    let x = AXIS_LEFT + slot * i as f64 + slot / 2.0;
                    view! {
                        <text class="axis" x=px(x) y=px(VERTICAL_HEIGHT - AXIS_BOTTOM + 16.0)
                            text-anchor="middle">{name.clone()}</text>
                    }
                    .into_any()
                })
            } else {
                let y = TOP + ROW * i as f64 + ROW / 2.0 + 4.0;
                Some(
                    view! {
                        <text class="axis" x=px(NAME_WIDTH - 8.0) y=px(y) text-anchor="end">
                            {name.clone()}
                        </text>
                    }
                    .into_any(),
                )
            }
        })
        .collect_view();
    let scale = if time {
        let base = VERTICAL_HEIGHT - AXIS_BOTTOM;
        view! {
            <line class="axis-line" x1=px(AXIS_LEFT) y1=px(base) x2=px(WIDTH - 8.0) y2=px(base)/>
            <line class="grid" x1=px(AXIS_LEFT) y1=px(TOP) x2=px(WIDTH - 8.0) y2=px(TOP)/>
            <text class="axis" x=px(AXIS_LEFT - 6.0) y=px(TOP + 4.0) text-anchor="end">{max.to_string()}</text>
            <text class="axis" x=px(AXIS_LEFT - 6.0) y=px(base + 4.0) text-anchor="end">"0"</text>
        }
        .into_any()
    } else {
        let totals = result
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let sum: i64 = charted(&result, g).iter().sum();
                let width = (WIDTH - NAME_WIDTH - 64.0) * sum as f64 / max as f64;
                let y = TOP + ROW * i as f64 + ROW / 2.0 + 4.0;
                view! {
                    <text class="axis" x=px(NAME_WIDTH + width + 6.0) y=px(y)>{sum.to_string()}</text>
                }
            })
            .collect_view();
        view! {
            <line class="axis-line" x1=px(NAME_WIDTH) y1=px(TOP) x2=px(NAME_WIDTH) y2=px(height - 8.0)/>
            {totals}
        }
        .into_any()
    };
    let title = move || t(Msg::ReportChartTitle)();
    view! {
        <figure class="report-chart">
            <svg viewBox=format!("0 0 {WIDTH} {}", px(height)) role="img"
                aria-label=title data-testid="report-chart" xmlns="http://www.w3.org/2000/svg">
                <title>{title}</title>
                {scale}
                {bars}
                {axis_names}
            </svg>
            <figcaption>
                <ul class="legend">
                    {legend.into_iter().enumerate().map(|(i, label)| view! {
                        <li><span class=format!("swatch series-{}", i % 6) aria-hidden="true"></span>{t(label)}</li>
                    }).collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::model::{Dataset, Grouping, ReportCell, ReportQuery};

    fn result(grouping: Grouping, groups: &[&[i64]]) -> ReportResult {
        let dataset = Dataset::Consents;
        ReportResult {
            query: ReportQuery {
                dataset,
                grouping,
                ..ReportQuery::default()
            },
            columns: Vec::new(),
            lines: Vec::new(),
            total: 0,
            groups: groups
                .iter()
                .enumerate()
                .map(|(i, v)| ReportGroup {
                    label: ReportCell::Text(format!("g{i}")),
                    values: v.to_vec(),
                    records: v.iter().sum(),
                    unusual: false,
                })
                .collect(),
            measures: dataset.measures_for(grouping),
        }
    }

    #[test]
    fn stacks_rise_from_the_axis_and_the_tallest_fills_the_plot() {
        let r = result(Grouping::Month, &[&[2, 0, 2], &[8, 0, 0]]);
        let bars = vertical(&r);
        // Zero figures draw nothing.
        assert_eq!(bars.len(), 3);
        let base = VERTICAL_HEIGHT - AXIS_BOTTOM;
        let plot = base - TOP;
        let first: Vec<&Segment> = bars.iter().filter(|s| s.x < 200.0).collect();
        assert!((first[0].y + first[0].height - base).abs() < 1e-9);
        assert!((first[1].y + first[1].height - first[0].y).abs() < 1e-9);
        assert_eq!(first[1].series, 2);
        let tallest = bars.iter().find(|s| s.value == 8).unwrap();
        assert!((tallest.height - plot).abs() < 1e-9);
        assert!((first[0].height - plot / 4.0).abs() < 1e-9);
        for s in &bars {
            assert!(s.x >= AXIS_LEFT && s.x + s.width <= WIDTH);
        }
    }

    #[test]
    fn categories_lie_side_by_side_within_the_width() {
        let r = result(Grouping::Consent, &[&[5, 1, 4], &[1, 0, 0]]);
        let bars = horizontal(&r);
        assert_eq!(bars.len(), 4);
        let row: Vec<&Segment> = bars.iter().filter(|s| s.y < TOP + ROW).collect();
        assert_eq!(row.len(), 3);
        assert!((row[0].x - NAME_WIDTH).abs() < 1e-9);
        assert!((row[1].x - (row[0].x + row[0].width)).abs() < 1e-9);
        let end = row[2].x + row[2].width;
        assert!(
            (end - (WIDTH - 64.0)).abs() < 1e-6,
            "the largest row fills the plot"
        );
    }

    #[test]
    fn an_empty_report_still_has_a_scale() {
        let r = result(Grouping::Day, &[]);
        assert_eq!(scale_max(&r), 1);
        assert!(vertical(&r).is_empty());
        assert!(horizontal(&r).is_empty());
    }
}
