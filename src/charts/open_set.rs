//! Open-set curves (method.md M11): known accuracy, unknown rejection and balanced accuracy
//! against rho, for one representation, with its best rho marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use svcprint_engine::evaluate::OpenSet;

pub const KNOWN: RGBColor = RGBColor(0x1f, 0x5f, 0x8b);
pub const UNKNOWN: RGBColor = RGBColor(0xb4, 0x23, 0x18);
pub const BALANCED: RGBColor = RGBColor(0x2e, 0x7d, 0x32);

/// Draw the sweep of `open` titled `title`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    open: &OpenSet,
    title: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 15))
        .margin(8)
        .margin_right(20)
        .x_label_area_size(32)
        .y_label_area_size(40)
        .build_cartesian_2d(0f64..1f64, 0f64..1f64)?;
    chart
        .configure_mesh()
        .x_desc("rho")
        .x_labels(6)
        .y_labels(6)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .draw()?;
    let series = |f: fn(&svcprint_engine::evaluate::SweepPoint) -> f64| {
        open.sweep.iter().map(move |p| (p.rho, f(p)))
    };
    chart
        .draw_series(LineSeries::new(
            series(|p| p.known_accuracy),
            KNOWN.stroke_width(2),
        ))?
        .label("known accuracy")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], KNOWN.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            series(|p| p.unknown_rejection),
            UNKNOWN.stroke_width(2),
        ))?
        .label("unknown rejection")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], UNKNOWN.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            series(|p| p.balanced_accuracy),
            BALANCED.stroke_width(2),
        ))?
        .label("balanced accuracy")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BALANCED.stroke_width(2)));
    chart.draw_series(std::iter::once(PathElement::new(
        [(open.best_rho, 0.0), (open.best_rho, 1.0)],
        BLACK.mix(0.4).stroke_width(1),
    )))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::evaluate::SweepPoint;

    #[test]
    fn three_curves_a_legend_and_the_best_rho() {
        let sweep: Vec<SweepPoint> = (0..=100)
            .map(|i| {
                let rho = i as f64 / 100.0;
                SweepPoint {
                    rho,
                    known_accuracy: 1.0 - rho,
                    unknown_rejection: rho,
                    balanced_accuracy: 0.5,
                }
            })
            .collect();
        let open = OpenSet {
            known_queries: 4,
            unknown_queries: 2,
            auroc: Some(0.75),
            best_rho: 0.5,
            best_balanced_accuracy: 0.5,
            sweep,
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (480, 300)).into_drawing_area();
            draw(&root, &open, "G2").expect("drawing to a string cannot fail");
        }
        for label in [
            "known accuracy",
            "unknown rejection",
            "balanced accuracy",
            "G2",
            "rho",
        ] {
            assert!(svg.lines().any(|l| l.trim() == label), "missing {label}");
        }
        // One polyline per curve, in its colour, with all 101 points.
        for colour in ["#1F5F8B", "#B42318", "#2E7D32"] {
            let line = svg
                .lines()
                .find(|l| l.contains("<polyline") && l.contains(colour))
                .expect(colour);
            assert_eq!(
                line.split("points=\"")
                    .nth(1)
                    .and_then(|p| p.split('"').next())
                    .map(|p| p.split_whitespace().count()),
                Some(101),
                "{colour}"
            );
        }
    }
}
