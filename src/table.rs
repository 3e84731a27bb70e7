//! The device table's sorting, filtering and paging: plain functions over the devices,
//! their labels and fingerprints, tested natively. The component keeps the result in a
//! memo and renders only the rows of the current window.

use crate::analysis::DeviceFingerprints;
use crate::protocol::DeviceLabel;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use svcprint_engine::{DeviceKey, DeviceSummary};

/// Rows rendered at first, and added by each "show more".
pub const PAGE_ROWS: usize = 50;

/// A column of the device table, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Device,
    Name,
    Type,
    Flows,
    Active,
    First,
    Last,
    Services,
    Exports,
    Convergence,
    Recurrence,
    Top,
}

impl Column {
    pub const ALL: [Column; 12] = [
        Column::Device,
        Column::Name,
        Column::Type,
        Column::Flows,
        Column::Active,
        Column::First,
        Column::Last,
        Column::Services,
        Column::Exports,
        Column::Convergence,
        Column::Recurrence,
        Column::Top,
    ];

    /// The header text.
    pub fn title(self) -> &'static str {
        match self {
            Column::Device => "device",
            Column::Name => "name",
            Column::Type => "type",
            Column::Flows => "flows",
            Column::Active => "active hours",
            Column::First => "first seen (UTC)",
            Column::Last => "last seen (UTC)",
            Column::Services => "services",
            Column::Exports => "exports",
            Column::Convergence => "convergence (h)",
            Column::Recurrence => "recurrence",
            Column::Top => "top services",
        }
    }

    /// The cell class (also used by the tests to read a column).
    pub fn class(self) -> &'static str {
        match self {
            Column::Device => "key",
            Column::Name => "name",
            Column::Type => "kind",
            Column::Flows => "flows",
            Column::Active => "active",
            Column::First => "first",
            Column::Last => "last",
            Column::Services => "nservices",
            Column::Exports => "exports",
            Column::Convergence => "convergence",
            Column::Recurrence => "recurrence",
            Column::Top => "top",
        }
    }

    /// Numbers are right-aligned and sort largest first on the first click.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Column::Flows
                | Column::Active
                | Column::Services
                | Column::Exports
                | Column::Convergence
                | Column::Recurrence
        )
    }

    /// The first click sorts largest first: numbers, and dates newest first (the devices
    /// seen last, or that appeared last, are what an analyst looks for).
    pub fn starts_descending(self) -> bool {
        self.numeric() || matches!(self, Column::First | Column::Last)
    }

    /// What the header's tooltip explains, if anything.
    pub fn help(self) -> Option<&'static str> {
        match self {
            Column::Exports => Some("fingerprints exported (M8); unstable ones in brackets"),
            Column::Convergence => Some("median hours an export needed to converge (M9)"),
            Column::Recurrence => Some("share of exports similar to an earlier one (M9)"),
            _ => None,
        }
    }
}

/// The sort in force: a column and its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Devices by key, as the engine lists them.
    fn default() -> Self {
        Sort {
            column: Column::Device,
            descending: false,
        }
    }
}

impl Sort {
    /// The sort after a click on `column`'s header: the same column flips direction; a
    /// new column starts descending for numbers and dates, ascending for text.
    pub fn toggled(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                descending: !self.descending,
            }
        } else {
            Sort {
                column,
                descending: column.starts_descending(),
            }
        }
    }

    /// The header's `aria-sort` value.
    pub fn aria(self, column: Column) -> &'static str {
        match (self.column == column, self.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

/// Which devices to list by their labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Show {
    #[default]
    All,
    Labelled,
    Unlabelled,
}

impl Show {
    pub const ALL: [Show; 3] = [Show::All, Show::Labelled, Show::Unlabelled];

    pub fn value(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Labelled => "labelled",
            Show::Unlabelled => "unlabelled",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Show::All => "all devices",
            Show::Labelled => "labelled only",
            Show::Unlabelled => "unlabelled only",
        }
    }

    pub fn from_value(v: &str) -> Show {
        Show::ALL
            .into_iter()
            .find(|s| s.value() == v)
            .unwrap_or_default()
    }
}

/// The filter in force: words that must all occur (case-insensitively) in the device's
/// key, name, type or one of its services, and which devices by label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    pub show: Show,
}

/// What the table shows: indices into the devices, filtered and sorted.
pub fn rows(
    devices: &[DeviceSummary],
    labels: &BTreeMap<String, DeviceLabel>,
    fingerprints: &BTreeMap<String, DeviceFingerprints>,
    filter: &Filter,
    sort: Sort,
) -> Vec<usize> {
    let words: Vec<String> = filter
        .text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut keep: Vec<usize> = devices
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            let label = labels.get(&d.key);
            let by_label = match filter.show {
                Show::All => true,
                Show::Labelled => label.is_some(),
                Show::Unlabelled => label.is_none(),
            };
            by_label && words.iter().all(|w| matches_word(d, label, w))
        })
        .map(|(i, _)| i)
        .collect();
    let keys: Vec<SortKey> = keep
        .iter()
        .map(|&i| sort_key(&devices[i], labels, fingerprints, sort.column))
        .collect();
    let mut order: Vec<usize> = (0..keep.len()).collect();
    order.sort_by(|&a, &b| {
        let by_column = compare(&keys[a], &keys[b], sort.descending);
        // Ties (and missing values) fall back to the device key, always ascending.
        by_column.then_with(|| device_order(&devices[keep[a]].key, &devices[keep[b]].key))
    });
    keep = order.into_iter().map(|o| keep[o]).collect();
    keep
}

/// True when `word` (lower case) is in the key, the name, the type or a service.
fn matches_word(d: &DeviceSummary, label: Option<&DeviceLabel>, word: &str) -> bool {
    let has = |s: &str| s.to_lowercase().contains(word);
    has(&d.key)
        || label.is_some_and(|l| has(&l.name) || has(&l.kind))
        || d.services.iter().any(|s| has(&s.service))
}

/// One cell's value for sorting; `None` (nothing to show) always sorts last.
#[derive(Clone, Debug, PartialEq)]
enum SortKey {
    Text(Option<String>),
    Number(Option<f64>),
    Device(Option<DeviceKey>, String),
}

fn sort_key(
    d: &DeviceSummary,
    labels: &BTreeMap<String, DeviceLabel>,
    fingerprints: &BTreeMap<String, DeviceFingerprints>,
    column: Column,
) -> SortKey {
    let label = labels.get(&d.key);
    let fp = fingerprints.get(&d.key);
    let text = |s: Option<&str>| SortKey::Text(s.filter(|s| !s.is_empty()).map(str::to_lowercase));
    let num = |v: Option<f64>| SortKey::Number(v.filter(|v| !v.is_nan()));
    match column {
        Column::Device => SortKey::Device(d.key.parse().ok(), d.key.clone()),
        Column::Name => text(label.map(|l| l.name.as_str())),
        Column::Type => text(label.map(|l| l.kind.as_str())),
        Column::Flows => num(Some(d.flows as f64)),
        Column::Active => num(Some(d.active_bins as f64)),
        Column::First => num(Some(d.first_ms as f64)),
        Column::Last => num(Some(d.last_ms as f64)),
        Column::Services => num(Some(d.services.len() as f64)),
        Column::Exports => num(fp.map(|f| f.exports as f64)),
        Column::Convergence => num(fp.and_then(|f| f.median_hours)),
        Column::Recurrence => num(fp.and_then(|f| f.recurrence)),
        Column::Top => text(d.services.first().map(|s| s.service.as_str())),
    }
}

/// Orders two keys of one column; missing values last in either direction.
fn compare(a: &SortKey, b: &SortKey, descending: bool) -> Ordering {
    let dir = |o: Ordering| if descending { o.reverse() } else { o };
    match (a, b) {
        (SortKey::Text(a), SortKey::Text(b)) => present_first(a, b, |a, b| dir(a.cmp(b))),
        (SortKey::Number(a), SortKey::Number(b)) => present_first(a, b, |a, b| dir(a.total_cmp(b))),
        (SortKey::Device(a, at), SortKey::Device(b, bt)) => {
            dir(present_first(a, b, Ord::cmp).then_with(|| at.cmp(bt)))
        }
        _ => Ordering::Equal,
    }
}

fn present_first<T>(a: &Option<T>, b: &Option<T>, f: impl Fn(&T, &T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => f(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Device keys in the engine's order (MACs, then IPs numerically); unparsable text last.
fn device_order(a: &str, b: &str) -> Ordering {
    let (pa, pb) = (a.parse::<DeviceKey>().ok(), b.parse::<DeviceKey>().ok());
    present_first(&pa, &pb, Ord::cmp).then_with(|| a.cmp(b))
}

/// How many rows of `total` to render when `shown` were asked for (at least one page).
pub fn window(total: usize, shown: usize) -> usize {
    total.min(shown.max(PAGE_ROWS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::ServiceStat;

    fn device(key: &str, flows: u64, services: &[&str]) -> DeviceSummary {
        DeviceSummary {
            key: key.into(),
            flows,
            active_bins: flows / 2,
            first_ms: 1_000 * flows as i64,
            last_ms: 2_000 * flows as i64,
            services: services
                .iter()
                .map(|s| ServiceStat {
                    service: s.to_string(),
                    prevalence: 0.5,
                    flows,
                })
                .collect(),
        }
    }

    fn label(key: &str, name: &str, kind: &str) -> (String, DeviceLabel) {
        (
            key.into(),
            DeviceLabel {
                key: key.into(),
                name: name.into(),
                kind: kind.into(),
            },
        )
    }

    fn fp(
        key: &str,
        exports: usize,
        hours: Option<f64>,
        rec: Option<f64>,
    ) -> (String, DeviceFingerprints) {
        (
            key.into(),
            DeviceFingerprints {
                key: key.into(),
                exports,
                unstable: 0,
                median_bins: hours,
                median_hours: hours,
                recurrence: rec,
                behaviours: 1,
                pending_bins: None,
            },
        )
    }

    struct Fixture {
        devices: Vec<DeviceSummary>,
        labels: BTreeMap<String, DeviceLabel>,
        fps: BTreeMap<String, DeviceFingerprints>,
    }

    fn fixture() -> Fixture {
        Fixture {
            devices: vec![
                device("02:00:00:00:00:0b", 30, &["TCP/443", "UDP/53"]),
                device("02:00:00:00:00:0a", 10, &["TCP/8883"]),
                device("10.0.0.9", 20, &["in:TCP/80", "UDP/123"]),
                device("10.0.0.10", 20, &["UDP/53"]),
            ],
            labels: [
                label("02:00:00:00:00:0a", "Plug kitchen", "smart_plug"),
                label("10.0.0.9", "camera", ""),
            ]
            .into_iter()
            .collect(),
            fps: [
                fp("02:00:00:00:00:0a", 4, Some(30.0), Some(0.5)),
                fp("02:00:00:00:00:0b", 2, None, None),
                fp("10.0.0.9", 7, Some(12.0), Some(1.0)),
            ]
            .into_iter()
            .collect(),
        }
    }

    fn keys<'a>(f: &'a Fixture, filter: &Filter, sort: Sort) -> Vec<&'a str> {
        rows(&f.devices, &f.labels, &f.fps, filter, sort)
            .into_iter()
            .map(|i| f.devices[i].key.as_str())
            .collect()
    }

    fn by(column: Column, descending: bool) -> Sort {
        Sort { column, descending }
    }

    #[test]
    fn the_default_sort_is_the_engine_order_macs_then_ips_numerically() {
        let f = fixture();
        assert_eq!(
            keys(&f, &Filter::default(), Sort::default()),
            [
                "02:00:00:00:00:0a",
                "02:00:00:00:00:0b",
                "10.0.0.9",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &Filter::default(), by(Column::Device, true)),
            [
                "10.0.0.10",
                "10.0.0.9",
                "02:00:00:00:00:0b",
                "02:00:00:00:00:0a"
            ]
        );
    }

    #[test]
    fn every_column_sorts_both_ways_with_ties_by_key_and_missing_values_last() {
        let f = fixture();
        let none = Filter::default();
        // Flows: 10.0.0.9 and 10.0.0.10 tie at 20 and stay in key order both ways.
        assert_eq!(
            keys(&f, &none, by(Column::Flows, true)),
            [
                "02:00:00:00:00:0b",
                "10.0.0.9",
                "10.0.0.10",
                "02:00:00:00:00:0a"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Flows, false)),
            [
                "02:00:00:00:00:0a",
                "10.0.0.9",
                "10.0.0.10",
                "02:00:00:00:00:0b"
            ]
        );
        // Names: case-insensitive; unnamed devices last in both directions.
        assert_eq!(
            keys(&f, &none, by(Column::Name, false)),
            [
                "10.0.0.9",
                "02:00:00:00:00:0a",
                "02:00:00:00:00:0b",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Name, true)),
            [
                "02:00:00:00:00:0a",
                "10.0.0.9",
                "02:00:00:00:00:0b",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Type, false))[0],
            "02:00:00:00:00:0a"
        );
        // Convergence and recurrence: missing values last either way.
        assert_eq!(
            keys(&f, &none, by(Column::Convergence, false)),
            [
                "10.0.0.9",
                "02:00:00:00:00:0a",
                "02:00:00:00:00:0b",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Recurrence, true)),
            [
                "10.0.0.9",
                "02:00:00:00:00:0a",
                "02:00:00:00:00:0b",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Exports, true)),
            [
                "10.0.0.9",
                "02:00:00:00:00:0a",
                "02:00:00:00:00:0b",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Services, true)),
            [
                "02:00:00:00:00:0b",
                "10.0.0.9",
                "02:00:00:00:00:0a",
                "10.0.0.10"
            ]
        );
        assert_eq!(
            keys(&f, &none, by(Column::Active, false)),
            keys(&f, &none, by(Column::Flows, false))
        );
        assert_eq!(
            keys(&f, &none, by(Column::First, true)),
            keys(&f, &none, by(Column::Last, true))
        );
        // Top service text: in:TCP/80 < tcp/443 < tcp/8883 < udp/53 (two with UDP/53 by key).
        assert_eq!(
            keys(&f, &none, by(Column::Top, false)),
            [
                "10.0.0.9",
                "02:00:00:00:00:0b",
                "02:00:00:00:00:0a",
                "10.0.0.10"
            ]
        );
    }

    #[test]
    fn the_filter_matches_every_word_in_key_name_type_or_services() {
        let f = fixture();
        let text = |t: &str| Filter {
            text: t.into(),
            show: Show::All,
        };
        let s = Sort::default();
        assert_eq!(
            keys(&f, &text("udp/53"), s),
            ["02:00:00:00:00:0b", "10.0.0.10"]
        );
        assert_eq!(keys(&f, &text("SMART"), s), ["02:00:00:00:00:0a"]);
        assert_eq!(keys(&f, &text("kitchen plug"), s), ["02:00:00:00:00:0a"]);
        assert_eq!(keys(&f, &text("10.0.0."), s), ["10.0.0.9", "10.0.0.10"]);
        assert_eq!(keys(&f, &text("camera udp/123"), s), ["10.0.0.9"]);
        assert!(keys(&f, &text("camera udp/53"), s).is_empty());
        assert_eq!(
            keys(&f, &text("  "), s).len(),
            4,
            "blank text filters nothing"
        );
    }

    #[test]
    fn labelled_and_unlabelled_only() {
        let f = fixture();
        let show = |show| Filter {
            text: String::new(),
            show,
        };
        let s = Sort::default();
        assert_eq!(
            keys(&f, &show(Show::Labelled), s),
            ["02:00:00:00:00:0a", "10.0.0.9"]
        );
        assert_eq!(
            keys(&f, &show(Show::Unlabelled), s),
            ["02:00:00:00:00:0b", "10.0.0.10"]
        );
        let both = Filter {
            text: "udp".into(),
            show: Show::Unlabelled,
        };
        assert_eq!(
            keys(&f, &both, by(Column::Flows, true)),
            ["02:00:00:00:00:0b", "10.0.0.10"]
        );
        for s in Show::ALL {
            assert_eq!(Show::from_value(s.value()), s);
        }
        assert_eq!(Show::from_value("bogus"), Show::All);
    }

    #[test]
    fn a_header_click_flips_the_same_column_and_starts_numbers_descending() {
        let s = Sort::default();
        assert_eq!(s.aria(Column::Device), "ascending");
        assert_eq!(s.aria(Column::Flows), "none");
        let s = s.toggled(Column::Device);
        assert_eq!(s.aria(Column::Device), "descending");
        let s = s.toggled(Column::Flows);
        assert_eq!(s, by(Column::Flows, true));
        assert_eq!(s.aria(Column::Device), "none");
        let s = s.toggled(Column::Flows);
        assert_eq!(s.aria(Column::Flows), "ascending");
        assert_eq!(s.toggled(Column::Name), by(Column::Name, false));
        assert_eq!(
            s.toggled(Column::Last),
            by(Column::Last, true),
            "newest first"
        );
        assert_eq!(
            s.toggled(Column::First),
            by(Column::First, true),
            "newest first"
        );
    }

    #[test]
    fn the_window_is_at_least_a_page_and_never_more_than_there_is() {
        assert_eq!(window(4830, 0), PAGE_ROWS);
        assert_eq!(window(4830, 250), 250);
        assert_eq!(window(4830, 1), PAGE_ROWS);
        assert_eq!(window(30, 0), 30);
        assert_eq!(window(30, 500), 30);
        assert_eq!(window(0, 0), 0);
    }

    #[test]
    fn thousands_of_devices_sort_and_filter() {
        // 5,000 devices (the size of a 10 M flow benchmark), every column in both directions.
        let devices: Vec<DeviceSummary> = (0..5000u64)
            .map(|i| {
                device(
                    &format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                    (i * 7919) % 1000,
                    &["TCP/443"],
                )
            })
            .collect();
        let (labels, fps) = (BTreeMap::new(), BTreeMap::new());
        for c in Column::ALL {
            for descending in [false, true] {
                let r = rows(
                    &devices,
                    &labels,
                    &fps,
                    &Filter::default(),
                    Sort {
                        column: c,
                        descending,
                    },
                );
                assert_eq!(r.len(), 5000, "{c:?}");
            }
        }
        let r = rows(
            &devices,
            &labels,
            &fps,
            &Filter::default(),
            by(Column::Flows, true),
        );
        assert!(r
            .windows(2)
            .all(|w| devices[w[0]].flows >= devices[w[1]].flows));
        let r = rows(
            &devices,
            &labels,
            &fps,
            &Filter::default(),
            by(Column::Device, false),
        );
        assert_eq!(devices[r[256]].key, "10.0.1.0");
    }
}
