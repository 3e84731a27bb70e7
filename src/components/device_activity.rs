//! The Device view's time charts: the activity raster (services by hour) and the exporter
//! timeline (similarity to the previous step, tau, exports), the device's M8/M9 figures in
//! words, and its exports (window, n, stable, services with weights) with convergence and
//! recurrence, as `svcprint fingerprint` prints them.

use super::chart::ChartView;
use crate::analysis::DeviceFingerprints;
use crate::charts::Chart;
use crate::detail::{DeviceDetail, ExportRow, MAX_RASTER_SERVICES};
use std::rc::Rc;
use svcprint_engine::{Convergence, Recurrence};
use svcprint_flow::format_rfc3339_ms;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeviceActivityProps {
    pub key_text: String,
    /// None until the worker's answer arrives.
    pub detail: Option<Rc<DeviceDetail>>,
    pub fingerprints: Option<DeviceFingerprints>,
}

/// The device's exports, convergence and recurrence in one sentence.
pub fn fingerprint_summary(f: &DeviceFingerprints) -> String {
    let mut parts = vec![match f.unstable {
        0 => format!("{} fingerprints exported", f.exports),
        u => format!("{} fingerprints exported ({u} unstable)", f.exports),
    }];
    if let (Some(b), Some(h)) = (f.median_bins, f.median_hours) {
        parts.push(format!(
            "median convergence {b:.0} active hours ({h:.0} h of wall-clock time)"
        ));
    }
    if let Some(r) = f.recurrence {
        parts.push(format!(
            "recurrence {:.0}% ({} distinct behaviours)",
            r * 100.0,
            f.behaviours
        ));
    }
    if let Some(p) = f.pending_bins {
        parts.push(format!("an open window of {p} active hours at the end"));
    }
    parts.join("; ") + "."
}

/// A number as text: its shortest exact form (what JSON writes), or empty for none.
fn exact(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn fixed(v: Option<f64>, places: usize) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.places$}"))
}

/// Convergence and recurrence (method.md M9); every value also exact in `data-value`.
fn m9_table(c: &Convergence, r: &Recurrence) -> Html {
    let row = |id: &str, name: &str, shown: String, value: String| {
        html! {
            <tr id={id.to_string()} data-value={value}>
                <th scope="row">{ name.to_string() }</th><td class="num">{ shown }</td>
            </tr>
        }
    };
    html! {
        <table id="device-m9" class="m9">
            <caption>{ "Convergence and recurrence (method.md M9)" }</caption>
            <tbody>
                { row("m9-exports", "exports (J)", c.exports.to_string(), c.exports.to_string()) }
                { row("m9-unstable", "unstable exports", c.unstable.to_string(), c.unstable.to_string()) }
                { row("m9-median-bins", "median convergence, active hours", fixed(c.median_bins, 1), exact(c.median_bins)) }
                { row("m9-median-hours", "median convergence, wall-clock hours", fixed(c.median_hours, 1), exact(c.median_hours)) }
                { row("m9-unstable-share", "unstable share", fixed(c.unstable_share, 3), exact(c.unstable_share)) }
                { row("m9-recurring", "recurring exports", r.recurring.to_string(), r.recurring.to_string()) }
                { row("m9-rate", "recurrence rate", fixed(r.rate, 3), exact(r.rate)) }
                { row("m9-behaviours", "distinct behaviours", r.behaviours.to_string(), r.behaviours.to_string()) }
            </tbody>
        </table>
    }
}

/// One export (or the open window: `index` None) as a table row; the services with their
/// weights, the three heaviest in view and all of them behind a disclosure.
fn export_row(index: Option<usize>, e: &ExportRow, behaviour: Option<usize>) -> Html {
    let services = |list: &[(String, f64)]| -> Html {
        html! { <ul class="weights">
            { for list.iter().map(|(s, w)| html! {
                <li data-service={s.clone()} data-weight={w.to_string()}>{ format!("{s} {w:.3}") }</li>
            }) }
        </ul> }
    };
    let (class, what) = match (index, e.stable) {
        (None, _) => ("pending", "open".to_string()),
        (Some(_), true) => ("stable", "stable".to_string()),
        (Some(_), false) => ("unstable", "unstable".to_string()),
    };
    let top: Vec<String> = e
        .services
        .iter()
        .take(3)
        .map(|(s, w)| format!("{s} {w:.2}"))
        .collect();
    html! {
        <tr class={class} data-index={index.map(|i| i.to_string()).unwrap_or_default()}
            data-n={e.n.to_string()} data-hours={e.hours.to_string()} data-stable={e.stable.to_string()}>
            <td class="num">{ index.map_or_else(|| "end".to_string(), |i| (i + 1).to_string()) }</td>
            <td class="first">{ format_rfc3339_ms(e.start_ms) }</td>
            <td class="last">{ format_rfc3339_ms(e.end_ms) }</td>
            <td class="num">{ e.n }</td>
            <td class="num">{ format!("{:.0}", e.hours) }</td>
            <td class="what">{ what }</td>
            <td class="num">{ behaviour.map(|b| format!("#{}", b + 1)).unwrap_or_default() }</td>
            <td class="services">
                <details>
                    <summary>{ format!("{} services: {}", e.services.len(), top.join(", ")) }</summary>
                    { services(&e.services) }
                </details>
            </td>
        </tr>
    }
}

/// The exports table and the M9 figures.
fn exports_section(d: &DeviceDetail) -> Html {
    html! { <>
        <h3>{ "Exports" }</h3>
        <p class="hint">{ "Each exported fingerprint: its window (UTC, the end exclusive), its active hours n, its wall-clock hours, stable or unstable, the behaviour it belongs to (exports at or above tau_recur share one), and its services with their weights. The last row is the window still open at the end of the data." }</p>
        { m9_table(&d.convergence, &d.recurrence) }
        <div class="table-wrap">
            <table id="export-table">
                <thead><tr>
                    <th scope="col" class="num">{ "#" }</th>
                    <th scope="col">{ "first" }</th>
                    <th scope="col">{ "last" }</th>
                    <th scope="col" class="num">{ "n" }</th>
                    <th scope="col" class="num">{ "hours" }</th>
                    <th scope="col">{ "export" }</th>
                    <th scope="col" class="num">{ "behaviour" }</th>
                    <th scope="col">{ "services (weight)" }</th>
                </tr></thead>
                <tbody>
                    { for d.exports.iter().enumerate().map(|(i, e)| export_row(Some(i), e, d.recurrence.behaviour_of.get(i).copied())) }
                    { for d.pending.iter().map(|p| export_row(None, p, None)) }
                </tbody>
            </table>
        </div>
        if d.exports.is_empty() && d.pending.is_none() {
            <p class="notice">{ "No exports." }</p>
        }
    </> }
}

#[function_component(DeviceActivity)]
pub fn device_activity(props: &DeviceActivityProps) -> Html {
    let stem = props.key_text.replace([':', '.'], "-");
    html! {
        <section class="device-activity" id="device-activity">
            if let Some(f) = &props.fingerprints {
                <p id="device-fingerprints">{ fingerprint_summary(f) }</p>
            }
            {
                match &props.detail {
                    None => html! { <p class="notice" id="device-activity-wait">{ "Drawing the activity…" }</p> },
                    Some(d) if d.timeline.steps.is_empty() => html! {
                        <p class="notice" id="device-activity-none">{ "No active hours: nothing to draw, no exports." }</p>
                    },
                    Some(d) => {
                        let r = &d.raster;
                        let unit = if r.bins_per_column == 1 { "hour".to_string() } else { format!("{} hours", r.bins_per_column) };
                        let raster = Rc::new(Chart::Raster {
                            raster: r.clone(),
                            title: format!("Activity: services by {unit}"),
                        });
                        let t = &d.timeline;
                        let timeline = Rc::new(Chart::Timeline {
                            timeline: t.clone(),
                            title: format!("Exporter: {} {} similarity of each step to the previous one", t.representation, t.similarity),
                        });
                        let stable = t.steps.iter().filter(|s| s.export == Some(true)).count();
                        let unstable = t.steps.iter().filter(|s| s.export == Some(false)).count();
                        html! { <>
                            <h3>{ "Activity over time" }</h3>
                            <p class="hint">{ format!("A cell is coloured when the device used the service in that {unit} (lighter: in some of its hours).") }</p>
                            if r.services.len() < r.total_services {
                                <p class="notice" id="raster-note">{ format!("Showing the {} most prevalent of {} services (at most {MAX_RASTER_SERVICES}).", r.services.len(), r.total_services) }</p>
                            }
                            <ChartView chart={raster} id="raster-chart" stem={format!("activity-{stem}")} wide={true}
                                label={format!("Services of {} by time", props.key_text)} />
                            <h3>{ "Exporter timeline" }</h3>
                            <p class="hint" id="timeline-text" data-representation={t.representation.clone()}>{ format!(
                                "Each active hour the window grows and its fingerprint is compared with the previous step's. After {} steps in a row at or above tau = {:.2} (and at least {} hours in the window) it is exported as stable; at {} hours it is exported as unstable. The background of each window is green when it ended stable, red when unstable, grey while still open. Here: {} active hours, {stable} stable and {unstable} unstable exports.",
                                t.stable_bins, t.tau, t.min_bins, t.max_bins, t.steps.len()) }</p>
                            <ChartView chart={timeline} id="timeline-chart" stem={format!("exporter-{stem}")} wide={true}
                                label={format!("Exporter timeline of {}: similarity to the previous step, tau, exports", props.key_text)} />
                            { exports_section(d) }
                        </> }
                    }
                }
            }
        </section>
    }
}
