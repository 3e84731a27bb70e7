//! Heatmaps: a grid of values in \[0, 1\] with labelled rows and columns, drawn with
//! plotters primitives. Two uses: the Overview's device x service prevalence (method.md
//! M6 SP over each device's whole capture) and the Similarity view's device x device
//! similarity (method.md M7) in clustered order.

use crate::compare::SimilarityView;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeMap;
use svcprint_engine::DeviceSummary;

/// The Overview draws at most this many devices (those with the most flows) ...
pub const MAX_DEVICES: usize = 80;
/// ... and this many services (those used by the most devices).
pub const MAX_SERVICES: usize = 60;
/// Labels longer than this are cut with an ellipsis.
const MAX_LABEL: usize = 22;
const FONT: u32 = 12;
/// Approximate width of one character of the label font, for the label areas.
const CHAR_PX: u32 = 7;

/// Cell colour of an empty cell (a service the device does not use).
pub const EMPTY: RGBColor = RGBColor(0xee, 0xf0, 0xf2);
/// The colour ramp from value 0 to 1 (sequential blues, light to dark).
const RAMP: [RGBColor; 5] = [
    RGBColor(0xde, 0xeb, 0xf7),
    RGBColor(0x9e, 0xca, 0xe1),
    RGBColor(0x42, 0x92, 0xc6),
    RGBColor(0x21, 0x71, 0xb5),
    RGBColor(0x08, 0x30, 0x6b),
];

/// The colour of `v` in \[0, 1\] (clamped; NaN as 0).
pub fn colour(v: f64) -> RGBColor {
    let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
    let x = v * (RAMP.len() - 1) as f64;
    let i = (x.floor() as usize).min(RAMP.len() - 2);
    let t = x - i as f64;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A grid to draw: row labels top to bottom, column labels left to right, and the values
/// row by row (`None` for an empty cell).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heatmap {
    pub title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub values: Vec<Option<f64>>,
    /// What a value means, under the legend (`prevalence`, `similarity`).
    pub legend: String,
    /// Show an "absent" swatch in the legend.
    pub has_empty: bool,
}

struct Layout {
    cell: u32,
    left: u32,
    top: u32,
    bottom: u32,
    legend: u32,
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_string()
    } else {
        let cut: String = label.chars().take(MAX_LABEL - 1).collect();
        format!("{cut}…")
    }
}

fn label_px(labels: &[String]) -> u32 {
    let longest = labels
        .iter()
        .map(|l| short(l).chars().count())
        .max()
        .unwrap_or(0) as u32;
    12 + longest * CHAR_PX
}

impl Heatmap {
    fn layout(&self) -> Layout {
        // Square cells as large as fit about 900 x 720 pixels of grid, within 10..=26.
        let (cols, rows) = (
            self.columns.len().max(1) as u32,
            self.rows.len().max(1) as u32,
        );
        Layout {
            cell: (900 / cols).min(720 / rows).clamp(10, 26),
            left: label_px(&self.rows).max(40),
            top: 34,
            bottom: label_px(&self.columns).max(30),
            legend: 130,
        }
    }

    /// The pixel size that fits the grid, its labels and the legend.
    pub fn size(&self) -> (u32, u32) {
        let l = self.layout();
        let w = l.left + l.cell * self.columns.len() as u32 + l.legend;
        let h = l.top + l.cell * self.rows.len() as u32 + l.bottom;
        (w.max(360), h.max(200))
    }

    /// The value of row `r`, column `c`.
    pub fn get(&self, r: usize, c: usize) -> Option<f64> {
        self.values
            .get(r * self.columns.len() + c)
            .copied()
            .flatten()
    }

    /// Draw on `area` (of [`Heatmap::size`]).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        area.fill(&WHITE)?;
        let l = self.layout();
        let text = |size: u32, h: HPos, v: VPos| {
            ("sans-serif", size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(h, v))
        };
        area.draw(&Text::new(
            self.title.clone(),
            (8, 8),
            text(15, HPos::Left, VPos::Top),
        ))?;
        let (x0, y0, cell) = (l.left as i32, l.top as i32, l.cell as i32);
        let gap = if cell > 12 { 1 } else { 0 };
        for (r, row) in self.rows.iter().enumerate() {
            let y = y0 + r as i32 * cell;
            area.draw(&Text::new(
                short(row),
                (x0 - 6, y + cell / 2),
                text(FONT, HPos::Right, VPos::Center),
            ))?;
            for c in 0..self.columns.len() {
                let x = x0 + c as i32 * cell;
                let fill = match self.get(r, c) {
                    Some(v) => colour(v),
                    None => EMPTY,
                };
                area.draw(&Rectangle::new(
                    [(x, y), (x + cell - gap, y + cell - gap)],
                    fill.filled(),
                ))?;
            }
        }
        let grid_bottom = y0 + self.rows.len() as i32 * cell;
        for (c, col) in self.columns.iter().enumerate() {
            let x = x0 + c as i32 * cell + cell / 2;
            area.draw(&Text::new(
                short(col),
                (x, grid_bottom + 6),
                text(FONT, HPos::Left, VPos::Center).transform(FontTransform::Rotate90),
            ))?;
        }
        // Legend: a vertical ramp from 0 (bottom) to 1 (top), and the empty swatch.
        let lx = x0 + self.columns.len() as i32 * cell + 24;
        let (ly, lh, steps) = (y0, 120, 24);
        for i in 0..steps {
            let v = 1.0 - (i as f64 + 0.5) / steps as f64;
            let y = ly + i * lh / steps;
            area.draw(&Rectangle::new(
                [(lx, y), (lx + 14, ly + (i + 1) * lh / steps)],
                colour(v).filled(),
            ))?;
        }
        for (v, y) in [(1.0, ly), (0.5, ly + lh / 2), (0.0, ly + lh)] {
            area.draw(&Text::new(
                format!("{:.0}%", v * 100.0),
                (lx + 20, y),
                text(11, HPos::Left, VPos::Center),
            ))?;
        }
        area.draw(&Text::new(
            self.legend.clone(),
            (lx, ly + lh + 18),
            text(11, HPos::Left, VPos::Center),
        ))?;
        if self.has_empty {
            let y = ly + lh + 36;
            area.draw(&Rectangle::new(
                [(lx, y - 7), (lx + 14, y + 7)],
                EMPTY.filled(),
            ))?;
            area.draw(&Text::new(
                "not used",
                (lx + 20, y),
                text(11, HPos::Left, VPos::Center),
            ))?;
        }
        area.present()
    }
}

/// What the Overview heatmap left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub devices: usize,
    pub of_devices: usize,
    pub services: usize,
    pub of_services: usize,
}

/// The name shown for a device: its label's name, else its key.
fn name_of(key: &str, names: &BTreeMap<String, String>) -> String {
    names
        .get(key)
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// The Overview grid: devices (rows) by services (columns), each cell the service's
/// prevalence over the device's active hours. Services are sorted by how many devices
/// use them (then by their summed prevalence, then by name); devices by flows, most
/// first (then by key). At most [`MAX_DEVICES`] x [`MAX_SERVICES`].
pub fn prevalence_grid(
    devices: &[DeviceSummary],
    names: &BTreeMap<String, String>,
) -> (Heatmap, Shown) {
    let mut devs: Vec<&DeviceSummary> = devices.iter().collect();
    devs.sort_by(|a, b| b.flows.cmp(&a.flows).then_with(|| a.key.cmp(&b.key)));
    // (devices using it, summed prevalence) per service, over every device.
    let mut usage: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for d in &devs {
        for s in &d.services {
            let u = usage.entry(s.service.as_str()).or_insert((0, 0.0));
            u.0 += 1;
            u.1 += s.prevalence;
        }
    }
    let mut services: Vec<(&str, (usize, f64))> = usage.into_iter().collect();
    services.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(b.1 .1.total_cmp(&a.1 .1))
            .then_with(|| a.0.cmp(b.0))
    });
    let shown = Shown {
        devices: devs.len().min(MAX_DEVICES),
        of_devices: devs.len(),
        services: services.len().min(MAX_SERVICES),
        of_services: services.len(),
    };
    devs.truncate(MAX_DEVICES);
    services.truncate(MAX_SERVICES);
    let mut values = Vec::with_capacity(services.len() * devs.len());
    for d in &devs {
        for (service, _) in &services {
            values.push(
                d.services
                    .iter()
                    .find(|s| s.service == *service)
                    .map(|s| s.prevalence),
            );
        }
    }
    let heatmap = Heatmap {
        title: "Devices by service: prevalence".into(),
        rows: devs.iter().map(|d| name_of(&d.key, names)).collect(),
        columns: services.iter().map(|(s, _)| s.to_string()).collect(),
        values,
        legend: "prevalence".into(),
        has_empty: true,
    };
    (heatmap, shown)
}

/// The Similarity grid: devices by devices in the view's clustered order.
pub fn similarity_grid(view: &SimilarityView, names: &BTreeMap<String, String>) -> Heatmap {
    let n = view.devices.len();
    let labels: Vec<String> = view.devices.iter().map(|k| name_of(k, names)).collect();
    Heatmap {
        title: format!(
            "Device similarity ({} {}), clustered",
            view.representation, view.similarity
        ),
        rows: labels.clone(),
        columns: labels,
        values: (0..n * n)
            .map(|k| Some(view.matrix.get(k / n, k % n)))
            .collect(),
        legend: "similarity".into(),
        has_empty: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::clustering::SimilarityMatrix;
    use svcprint_engine::ServiceStat;

    fn device(key: &str, flows: u64, services: &[(&str, f64)]) -> DeviceSummary {
        DeviceSummary {
            key: key.into(),
            flows,
            active_bins: 10,
            first_ms: 0,
            last_ms: 1,
            services: services
                .iter()
                .map(|&(s, p)| ServiceStat {
                    service: s.into(),
                    prevalence: p,
                    flows: 1,
                })
                .collect(),
        }
    }

    fn svg(h: &Heatmap) -> String {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, h.size()).into_drawing_area();
            h.draw(&root).expect("drawing to a string cannot fail");
        }
        out
    }

    fn fills(svg: &str) -> Vec<String> {
        svg.lines()
            .filter(|l| l.contains("<rect"))
            .filter_map(|l| {
                l.split("fill=\"")
                    .nth(1)?
                    .split('"')
                    .next()
                    .map(String::from)
            })
            .collect()
    }

    #[test]
    fn the_ramp_runs_from_light_to_dark() {
        assert_eq!(colour(0.0), RAMP[0]);
        assert_eq!(colour(1.0), RAMP[4]);
        assert_eq!(colour(0.5), RAMP[2]);
        assert_eq!(colour(f64::NAN), RAMP[0]);
        assert_eq!(colour(7.0), RAMP[4]);
        // Halfway between the first two stops.
        assert_eq!(colour(0.125), RGBColor(0xbe, 0xdb, 0xec));
    }

    #[test]
    fn services_by_devices_sorted_by_use() {
        let devices = [
            device("a", 5, &[("TCP/443", 1.0), ("UDP/53", 0.5)]),
            device("b", 9, &[("UDP/53", 0.25), ("UDP/123", 1.0)]),
            device("c", 1, &[("UDP/53", 1.0)]),
        ];
        let names = BTreeMap::from([("b".to_string(), "camera".to_string())]);
        let (h, shown) = prevalence_grid(&devices, &names);
        // UDP/53 is used by 3 devices; TCP/443 and UDP/123 by one each, UDP/123 and
        // TCP/443 tie on use and on summed prevalence (1.0): by name.
        assert_eq!(h.columns, ["UDP/53", "TCP/443", "UDP/123"]);
        // Devices by flows, most first; a labelled device by its name.
        assert_eq!(h.rows, ["camera", "a", "c"]);
        assert_eq!(
            h.values,
            [
                Some(0.25),
                None,
                Some(1.0),
                Some(0.5),
                Some(1.0),
                None,
                Some(1.0),
                None,
                None
            ]
        );
        assert_eq!(
            shown,
            Shown {
                devices: 3,
                of_devices: 3,
                services: 3,
                of_services: 3
            }
        );
        let out = svg(&h);
        for label in ["UDP/53", "TCP/443", "camera", "100%", "not used", &h.title] {
            assert!(out.lines().any(|l| l.trim() == label), "missing {label}");
        }
        // Every cell is drawn: 9 cells, 4 of them empty, plus the 24 legend steps and
        // the empty swatch.
        let f = fills(&out);
        let empty = format!("#{:02X}{:02X}{:02X}", EMPTY.0, EMPTY.1, EMPTY.2);
        assert_eq!(f.iter().filter(|c| **c == empty).count(), 4 + 1, "{f:?}");
        let darkest = format!("#{:02X}{:02X}{:02X}", RAMP[4].0, RAMP[4].1, RAMP[4].2);
        assert_eq!(
            f.iter().filter(|c| **c == darkest).count(),
            3,
            "three 100% cells"
        );
        // Column labels are turned to read downwards.
        assert!(out.contains("rotate(90"), "rotated service labels");
    }

    #[test]
    fn hundreds_of_devices_and_services_are_capped() {
        let devices: Vec<DeviceSummary> = (0..200)
            .map(|i| {
                let services: Vec<(String, f64)> = (0..=i % 100)
                    .map(|p| (format!("UDP/{}", 2000 + p), 0.5))
                    .collect();
                let refs: Vec<(&str, f64)> =
                    services.iter().map(|(s, p)| (s.as_str(), *p)).collect();
                device(&format!("10.0.{}.{}", i / 100, i % 100), i as u64, &refs)
            })
            .collect();
        let (h, shown) = prevalence_grid(&devices, &BTreeMap::new());
        assert_eq!(
            shown,
            Shown {
                devices: MAX_DEVICES,
                of_devices: 200,
                services: MAX_SERVICES,
                of_services: 100
            }
        );
        assert_eq!((h.rows.len(), h.columns.len()), (MAX_DEVICES, MAX_SERVICES));
        assert_eq!(h.rows[0], "10.0.1.99", "most flows first");
        assert_eq!(h.columns[0], "UDP/2000", "used by every device");
        assert_eq!(h.values.len(), MAX_SERVICES * MAX_DEVICES);
        let (w, ht) = h.size();
        assert!(w <= 1400 && ht <= 1100, "{w}x{ht}");
    }

    #[test]
    fn similarity_in_the_views_order_with_long_names_cut() {
        let view = SimilarityView {
            devices: vec!["b".into(), "a".into()],
            matrix: SimilarityMatrix::from_rows(&[vec![1.0, 0.25], vec![0.25, 1.0]])
                .expect("square"),
            total: 2,
            representation: "G2".into(),
            similarity: "jaccard".into(),
        };
        let names = BTreeMap::from([(
            "a".to_string(),
            "a very long device name indeed".to_string(),
        )]);
        let h = similarity_grid(&view, &names);
        assert_eq!(h.rows, ["b", "a very long device name indeed"]);
        assert_eq!(h.values, [Some(1.0), Some(0.25), Some(0.25), Some(1.0)]);
        assert_eq!(h.title, "Device similarity (G2 jaccard), clustered");
        let out = svg(&h);
        assert!(out.lines().any(|l| l.trim() == "a very long device na…"));
        assert!(!out.contains("not used"));
        assert!(svg(&Heatmap::default()).starts_with("<svg"));
    }
}
