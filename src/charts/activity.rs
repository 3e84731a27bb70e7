//! The Device view's time charts: the activity raster (services by time, method.md M5 bins)
//! and the exporter timeline (method.md M8: similarity of each step's fingerprint to the
//! previous one, the tau line, and the exports, stable or not).

use crate::charts::heatmap::colour;
use crate::detail::{Raster, Timeline};
use plotters::coord::Shift;
use plotters::prelude::*;
use svcprint_engine::bins::bin_start_ms;

const DAY_MS: f64 = 86_400_000.0;
const ROW_PX: u32 = 16;
/// Fewer services still get this many rows (empty ones below): one row alone would leave
/// the date axis and the row label no room.
const MIN_ROWS: usize = 4;
pub const WIDTH: u32 = 760;
pub const STABLE: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
pub const UNSTABLE: RGBColor = RGBColor(0xb4, 0x23, 0x18);
pub const TRACE: RGBColor = RGBColor(0x1f, 0x5f, 0x8b);
pub const TAU: RGBColor = RGBColor(0xc2, 0x7c, 0x0e);
pub const OPEN: RGBColor = RGBColor(0x80, 0x80, 0x80);

/// A date label for an x in days since the epoch (`2019-06-25`).
fn date(x: &f64) -> String {
    let full = svcprint_flow::format_rfc3339_ms((x * DAY_MS).round() as i64);
    full.get(..10).map(str::to_string).unwrap_or(full)
}

/// The x range of `from_ms..to_ms` in days, at least an hour wide.
fn days(from_ms: i64, to_ms: i64) -> std::ops::Range<f64> {
    let a = from_ms as f64 / DAY_MS;
    let b = (to_ms as f64 / DAY_MS).max(a + 1.0 / 24.0);
    a..b
}

/// The raster's pixel size.
pub fn raster_size(r: &Raster) -> (u32, u32) {
    (WIDTH, 80 + ROW_PX * r.services.len().max(MIN_ROWS) as u32)
}

/// Services (rows, most prevalent on top) by time: each cell coloured by the share of its
/// bins in which the service was used.
pub fn draw_raster<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &Raster,
    title: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let n = r.services.len().max(MIN_ROWS);
    let col_ms = r.bin_ms.saturating_mul(i64::from(r.bins_per_column));
    let end = r
        .start_ms
        .saturating_add(col_ms.saturating_mul(r.columns as i64));
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 15))
        .margin(8)
        .margin_right(20)
        .x_label_area_size(28)
        .y_label_area_size(110)
        .build_cartesian_2d(days(r.start_ms, end), 0f64..n as f64)?;
    let label = |y: &f64| {
        let band = y.floor();
        if (y - band - 0.5).abs() > 1e-9 || band < 0.0 {
            return String::new();
        }
        let i = n.saturating_sub(1 + band as usize);
        r.services.get(i).cloned().unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(6)
        .x_label_formatter(&date)
        .y_labels(2 * n + 1)
        .y_label_formatter(&label)
        .light_line_style(WHITE)
        .draw()?;
    let cells = (0..r.services.len()).flat_map(|row| {
        (0..r.columns).filter_map(move |col| {
            let v = r.get(row, col);
            (v > 0.0).then(|| {
                let x0 = r.start_ms.saturating_add(col_ms.saturating_mul(col as i64));
                let x1 = x0.saturating_add(col_ms);
                let top = (n - row) as f64 - 0.1;
                let bottom = (n - 1 - row) as f64 + 0.1;
                Rectangle::new(
                    [(x0 as f64 / DAY_MS, bottom), (x1 as f64 / DAY_MS, top)],
                    colour(f64::from(v)).filled(),
                )
            })
        })
    });
    chart.draw_series(cells)?;
    area.present()
}

/// The timeline's pixel size.
pub fn timeline_size() -> (u32, u32) {
    (WIDTH, 300)
}

/// Similarity of each step to the previous one (a line per window), the tau line, a tick
/// in a band below 0 at each export (green stable, red unstable), and each window shaded
/// by how it ended (stable, unstable, or still open).
pub fn draw_timeline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Timeline,
    title: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let x = |bin: i64| bin_start_ms(bin, t.bin_ms) as f64 / DAY_MS;
    let (first, last) = (
        t.steps.first().map_or(0, |s| s.bin),
        t.steps.last().map_or(0, |s| s.bin),
    );
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 15))
        .margin(8)
        .margin_right(20)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(
            days(
                bin_start_ms(first, t.bin_ms),
                bin_start_ms(last.saturating_add(1), t.bin_ms),
            ),
            -0.15f64..1.05f64,
        )?;
    chart
        .configure_mesh()
        .x_labels(6)
        .x_label_formatter(&date)
        .y_labels(7)
        .y_label_formatter(&|y| {
            if *y < -1e-9 {
                String::new()
            } else {
                format!("{:.0}%", y * 100.0)
            }
        })
        .y_desc("similarity to previous step")
        .draw()?;
    // Each window shaded by how it ended: green exported stable, red exported unstable
    // (max_bins), grey still open at the end.
    let shade = |from: i64, to: i64, colour: RGBColor| {
        Rectangle::new(
            [(x(from), -0.15), (x(to.saturating_add(1)), 1.05)],
            colour.mix(0.12).filled(),
        )
    };
    let mut shades = Vec::new();
    let mut start: Option<i64> = None;
    for s in &t.steps {
        let from = *start.get_or_insert(s.bin);
        if let Some(stable) = s.export {
            shades.push(shade(from, s.bin, if stable { STABLE } else { UNSTABLE }));
            start = None;
        }
    }
    if let Some(from) = start {
        shades.push(shade(from, last, OPEN));
    }
    chart.draw_series(shades)?;
    // One line per window: a new window starts where a step has no previous fingerprint.
    let mut windows: Vec<Vec<(f64, f64)>> = Vec::new();
    for s in &t.steps {
        match s.similarity {
            None => windows.push(Vec::new()),
            Some(v) => {
                if windows.is_empty() {
                    windows.push(Vec::new());
                }
                if let Some(w) = windows.last_mut() {
                    w.push((x(s.bin), v));
                }
            }
        }
    }
    let mut first_series = true;
    for w in windows.into_iter().filter(|w| !w.is_empty()) {
        let series = chart.draw_series(LineSeries::new(w, TRACE.stroke_width(1)))?;
        if first_series {
            series
                .label("similarity to the previous step")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], TRACE.stroke_width(2)));
            first_series = false;
        }
    }
    let (x0, x1) = (x(first), x(last.saturating_add(1)));
    chart
        .draw_series(std::iter::once(PathElement::new(
            [(x0, t.tau), (x1, t.tau)],
            TAU.stroke_width(2),
        )))?
        .label(format!("tau = {:.2}", t.tau))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], TAU.stroke_width(2)));
    for (stable, colour, text) in [
        (true, STABLE, "stable export"),
        (false, UNSTABLE, "unstable export (max_bins)"),
    ] {
        let marks: Vec<PathElement<(f64, f64)>> = t
            .steps
            .iter()
            .filter(|s| s.export == Some(stable))
            .map(|s| {
                PathElement::new(
                    [(x(s.bin), -0.14), (x(s.bin), -0.03)],
                    colour.stroke_width(2),
                )
            })
            .collect();
        if marks.is_empty() {
            continue;
        }
        chart.draw_series(marks)?.label(text).legend(move |(x, y)| {
            PathElement::new([(x + 8, y - 6), (x + 8, y + 6)], colour.stroke_width(2))
        });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::Step;

    fn render(f: impl FnOnce(&DrawingArea<SVGBackend, Shift>), size: (u32, u32)) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            f(&root);
        }
        svg
    }

    const H: i64 = 3_600_000;

    #[test]
    fn the_raster_draws_a_cell_per_used_column() {
        let r = Raster {
            services: vec!["UDP/53".into(), "TCP/443".into()],
            total_services: 2,
            start_ms: 1_561_420_800_000, // 2019-06-25
            bin_ms: H,
            bins_per_column: 1,
            columns: 4,
            cells: vec![1.0, 1.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0],
        };
        let svg = render(
            |a| draw_raster(a, &r, "activity").expect("to a string"),
            raster_size(&r),
        );
        for label in ["UDP/53", "TCP/443", "activity", "2019-06-25"] {
            assert!(svg.lines().any(|l| l.trim() == label), "missing {label}");
        }
        let dark = format!("#{:02X}{:02X}{:02X}", 0x08, 0x30, 0x6b);
        let cells = svg
            .lines()
            .filter(|l| l.contains("<rect") && l.contains(&dark))
            .count();
        assert_eq!(cells, 3, "three full cells");
        let half = colour(0.5);
        let half = format!("#{:02X}{:02X}{:02X}", half.0, half.1, half.2);
        assert_eq!(svg.matches(&half).count(), 1, "one half cell");
    }

    #[test]
    fn one_service_keeps_room_for_its_label_and_the_dates() {
        let r = Raster {
            services: vec!["UDP/53".into()],
            total_services: 1,
            start_ms: 1_561_420_800_000, // 2019-06-25
            bin_ms: H,
            bins_per_column: 24,
            columns: 10,
            cells: vec![1.0; 10],
        };
        assert_eq!(raster_size(&r).1, 80 + ROW_PX * MIN_ROWS as u32);
        let svg = render(
            |a| draw_raster(a, &r, "activity").expect("to a string"),
            raster_size(&r),
        );
        for label in ["UDP/53", "2019-06-25"] {
            assert!(svg.lines().any(|l| l.trim() == label), "missing {label}");
        }
    }

    #[test]
    fn the_timeline_has_a_line_per_window_tau_and_export_marks() {
        let step = |bin, similarity, export| Step {
            bin,
            n: 1,
            similarity,
            run: 0,
            export,
        };
        let t = Timeline {
            bin_ms: H,
            tau: 0.9,
            stable_bins: 3,
            min_bins: 24,
            max_bins: 336,
            representation: "G2".into(),
            similarity: "jaccard".into(),
            steps: vec![
                step(435_000, None, None),
                step(435_001, Some(0.5), None),
                step(435_002, Some(1.0), Some(true)),
                step(435_003, None, None),
                step(435_004, Some(0.75), None),
                step(435_005, Some(0.8), Some(false)),
            ],
        };
        let svg = render(
            |a| draw_timeline(a, &t, "exporter").expect("to a string"),
            timeline_size(),
        );
        for label in [
            "tau = 0.90",
            "stable export",
            "unstable export (max_bins)",
            "similarity to the previous step",
        ] {
            assert!(svg.lines().any(|l| l.trim() == label), "missing {label}");
        }
        // Two windows: two polylines of two points each in the trace colour.
        let lines: Vec<usize> = svg
            .lines()
            .filter(|l| l.contains("<polyline") && l.contains("#1F5F8B"))
            .filter_map(|l| {
                Some(
                    l.split("points=\"")
                        .nth(1)?
                        .split('"')
                        .next()?
                        .split_whitespace()
                        .count(),
                )
            })
            .collect();
        assert_eq!(lines, [2, 2, 2], "two windows and the legend sample");
        // Two shaded windows: bins 435000-435002 stable, 435003-435005 unstable.
        let shaded = |c: RGBColor| {
            let hex = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
            svg.lines()
                .filter(|l| {
                    l.contains("<rect") && l.contains(&hex) && l.contains("opacity=\"0.12\"")
                })
                .count()
        };
        assert_eq!((shaded(STABLE), shaded(UNSTABLE), shaded(OPEN)), (1, 1, 0));
    }
}
