//! Horizontal bars: each service of one device and its prevalence (method.md M6, p_s over
//! all of the device's active bins).

use plotters::coord::Shift;
use plotters::prelude::*;
use svcprint_engine::ServiceStat;

/// At most this many services are drawn (the list is sorted by prevalence).
pub const MAX_BARS: usize = 40;
const BAR_PX: u32 = 22;
/// Fewer services still get this many rows (empty ones below), so that one or two bars
/// keep their thickness and the axis its labels.
const MIN_ROWS: usize = 4;

/// Pixel height that fits `n` bars.
pub fn height_for(n: usize) -> u32 {
    70 + BAR_PX * n.clamp(MIN_ROWS, MAX_BARS) as u32
}

/// Draw the services' prevalence as horizontal bars, most prevalent on top.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    services: &[ServiceStat],
    title: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let shown = &services[..services.len().min(MAX_BARS)];
    let n = shown.len().max(MIN_ROWS);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 16))
        .margin(8)
        .margin_right(24)
        .x_label_area_size(36)
        .y_label_area_size(120)
        .build_cartesian_2d(0f64..1f64, 0f64..n as f64)?;
    // Bar i (0 = most prevalent) sits in the band [n-1-i, n-i].
    let label = |y: &f64| {
        let band = y.floor();
        if (y - band - 0.5).abs() > 1e-9 || band < 0.0 {
            return String::new();
        }
        let i = n.saturating_sub(1 + band as usize);
        shown.get(i).map(|s| s.service.clone()).unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(2 * n + 1)
        .y_label_formatter(&label)
        .x_labels(6)
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .x_desc("prevalence: share of the device's active hours")
        .draw()?;
    let bar = RGBColor(0x1f, 0x5f, 0x8b).filled();
    chart.draw_series(shown.iter().enumerate().map(|(i, s)| {
        let top = (n - i) as f64 - 0.15;
        let bottom = (n - 1 - i) as f64 + 0.15;
        Rectangle::new([(0.0, bottom), (s.prevalence.clamp(0.0, 1.0), top)], bar)
    }))?;
    area.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(service: &str, prevalence: f64) -> ServiceStat {
        ServiceStat {
            service: service.into(),
            prevalence,
            flows: 1,
        }
    }

    /// The `attr` (width or height) of every bar, in the bar colour, top to bottom.
    fn bars(svg: &str, attr: &str) -> Vec<f64> {
        svg.lines()
            .filter(|l| l.contains("<rect") && l.contains("#1F5F8B"))
            .filter_map(|l| {
                l.split(&format!("{attr}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            })
            .collect()
    }

    fn render(services: &[ServiceStat]) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (600, height_for(services.len())))
                .into_drawing_area();
            draw(&root, services, "60:01:94:54:6b:e8").expect("drawing to a string cannot fail");
        }
        svg
    }

    #[test]
    fn every_service_is_labelled_and_gets_a_bar_of_its_length() {
        let svg = render(&[
            stat("TCP/443", 1.0),
            stat("UDP/53", 0.5),
            stat("in:TCP/80", 0.25),
        ]);
        for label in [
            "TCP/443",
            "UDP/53",
            "in:TCP/80",
            "60:01:94:54:6b:e8",
            "0%",
            "100%",
        ] {
            // Text content stands alone on its line in plotters' SVG.
            assert!(
                svg.lines().any(|l| l.trim() == label),
                "missing {label} in {svg}"
            );
        }
        // Three bars in the bar colour, with widths in the ratio 4:2:1.
        let widths = bars(&svg, "width");
        assert_eq!(widths.len(), 3, "{svg}");
        assert!((widths[0] / widths[2] - 4.0).abs() < 0.2, "{widths:?}");
        assert!((widths[1] / widths[2] - 2.0).abs() < 0.2, "{widths:?}");
    }

    #[test]
    fn one_service_keeps_a_readable_bar_and_label() {
        let svg = render(&[stat("UDP/53", 0.75)]);
        assert_eq!(height_for(1), height_for(MIN_ROWS));
        assert!(
            svg.contains("prevalence: share of the device"),
            "axis title: {svg}"
        );
        for label in ["UDP/53", "100%"] {
            assert!(
                svg.lines().any(|l| l.trim() == label),
                "missing {label} in {svg}"
            );
        }
        // One bar, as thick as in a chart of MIN_ROWS services.
        let heights = bars(&svg, "height");
        assert_eq!(heights.len(), 1, "{svg}");
        let full = render(
            &(0..MIN_ROWS)
                .map(|i| stat(&format!("UDP/{i}"), 0.5))
                .collect::<Vec<_>>(),
        );
        let full_heights = bars(&full, "height");
        assert!(
            (heights[0] - full_heights[0]).abs() <= 1.0,
            "{heights:?} {full_heights:?}"
        );
        assert!(heights[0] >= 12.0, "{heights:?}");
    }

    #[test]
    fn long_lists_are_cut_at_max_bars() {
        let many: Vec<_> = (0..MAX_BARS + 5)
            .map(|i| stat(&format!("UDP/{}", 1000 + i), 0.5))
            .collect();
        let svg = render(&many);
        assert!(svg.contains("UDP/1000"));
        assert!(!svg.contains(&format!("UDP/{}", 1000 + MAX_BARS)));
        assert_eq!(height_for(many.len()), height_for(MAX_BARS));
    }
}
