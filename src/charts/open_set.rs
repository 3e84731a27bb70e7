//! Open-set curves (method.md M11): known accuracy, unknown rejection and balanced accuracy
//! against rho, for one representation, with its best rho marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
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
        // Room above 100 % for the legend and the best rho's label, off the curves.
        .build_cartesian_2d(0f64..1f64, 0f64..TOP)?;
    chart
        .configure_mesh()
        .x_desc("rho")
        .x_labels(6)
        .y_labels(8)
        .y_label_formatter(&|y| {
            if *y > 1.0 + 1e-9 {
                String::new()
            } else {
                format!("{:.0}%", y * 100.0)
            }
        })
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
    let best = ("sans-serif", 12)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    chart.draw_series(std::iter::once(Text::new(
        format!("best rho {:.2}", open.best_rho),
        (open.best_rho.clamp(0.1, 0.9), 1.02),
        best,
    )))?;
    // The legend sits above the curves, on the side away from the best rho's label.
    let side = if open.best_rho < 0.5 {
        SeriesLabelPosition::UpperRight
    } else {
        SeriesLabelPosition::UpperLeft
    };
    chart
        .configure_series_labels()
        .position(side)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    area.present()
}

/// The top of the y axis: 100 % plus room for the legend.
const TOP: f64 = 1.45;

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
            "best rho 0.50",
            "100%",
        ] {
            assert!(svg.lines().any(|l| l.trim() == label), "missing {label}");
        }
        // Nothing is labelled above 100 %: the space there holds the legend, whose box
        // (the only rect with the legend's translucent white) ends above the 100 % line.
        assert!(!svg.lines().any(|l| l.trim() == "120%"), "{svg}");
        let y_of = |line: &str, attr: &str| -> f64 {
            line.split(&format!("{attr}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .and_then(|v| v.parse().ok())
                .expect(attr)
        };
        let legend = svg
            .lines()
            .find(|l| l.contains("<rect") && l.contains("opacity=\"0.8\" fill=\"#FFFFFF\""))
            .unwrap_or_else(|| panic!("no legend box in {svg}"));
        let legend_bottom = y_of(legend, "y") + y_of(legend, "height");
        let hundred = svg
            .lines()
            .position(|l| l.trim() == "100%")
            .expect("100% label");
        let hundred_y = y_of(svg.lines().nth(hundred - 1).expect("its text tag"), "y");
        assert!(
            legend_bottom <= hundred_y,
            "legend {legend_bottom} below the 100% line {hundred_y}"
        );
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
