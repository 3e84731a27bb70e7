//! Charts as plain functions over any plotters backend: drawn on a canvas in the app,
//! rendered to SVG in native tests and for export. [`Chart`] is any one of them with its
//! data, so one component draws, sizes and exports them all.

pub mod activity;
pub mod heatmap;
pub mod open_set;
pub mod prevalence;

use plotters::coord::Shift;
use plotters::prelude::*;
use svcprint_engine::evaluate::OpenSet;
use svcprint_engine::ServiceStat;

/// A chart and the data it shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// One device's services and their prevalence.
    Prevalence {
        services: Vec<ServiceStat>,
        title: String,
    },
    /// The M11 open-set curves of one representation.
    OpenSet { open: OpenSet, title: String },
    /// A grid of values in [0, 1].
    Heatmap(heatmap::Heatmap),
    /// One device's services by time.
    Raster {
        raster: crate::detail::Raster,
        title: String,
    },
    /// One device's exporter steps.
    Timeline {
        timeline: crate::detail::Timeline,
        title: String,
    },
}

impl Chart {
    /// Its natural size in pixels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            Chart::Prevalence { services, .. } => (640, prevalence::height_for(services.len())),
            Chart::OpenSet { .. } => (520, 320),
            Chart::Heatmap(h) => h.size(),
            Chart::Raster { raster, .. } => activity::raster_size(raster),
            Chart::Timeline { .. } => activity::timeline_size(),
        }
    }

    /// Draws it on `area` (of [`Chart::size`]).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        match self {
            Chart::Prevalence { services, title } => prevalence::draw(area, services, title),
            Chart::OpenSet { open, title } => open_set::draw(area, open, title),
            Chart::Heatmap(h) => h.draw(area),
            Chart::Raster { raster, title } => activity::draw_raster(area, raster, title),
            Chart::Timeline { timeline, title } => activity::draw_timeline(area, timeline, title),
        }
    }

    /// The chart as an SVG document (what "SVG" downloads).
    pub fn svg(&self) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size()).into_drawing_area();
            // Drawing into a string does not fail; an error would leave a partial image.
            let _ = self.draw(&root);
        }
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_renders_to_svg_at_its_size() {
        let prevalence = Chart::Prevalence {
            services: vec![ServiceStat {
                service: "TCP/443".into(),
                prevalence: 0.5,
                flows: 3,
            }],
            title: "dev".into(),
        };
        let heat = Chart::Heatmap(heatmap::Heatmap {
            title: "grid".into(),
            rows: vec!["r".into()],
            columns: vec!["c".into()],
            values: vec![Some(0.5)],
            legend: "v".into(),
            has_empty: false,
        });
        for chart in [prevalence, heat] {
            let (w, h) = chart.size();
            let svg = chart.svg();
            assert!(
                svg.starts_with(&format!("<svg width=\"{w}\" height=\"{h}\"")),
                "{}",
                &svg[..svg.len().min(120)]
            );
            assert!(svg.trim_end().ends_with("</svg>"));
        }
    }
}
