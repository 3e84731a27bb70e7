//! The Overview's device x service prevalence heatmap (below the device table).

use super::chart::ChartView;
use crate::charts::heatmap::{prevalence_grid, MAX_DEVICES, MAX_SERVICES};
use crate::charts::Chart;
use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use std::rc::Rc;
use svcprint_engine::DeviceSummary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PrevalenceMapProps {
    pub devices: Rc<Vec<DeviceSummary>>,
    pub labels: Rc<BTreeMap<String, DeviceLabel>>,
}

/// Names of labelled devices by key.
pub fn names(labels: &BTreeMap<String, DeviceLabel>) -> BTreeMap<String, String> {
    labels
        .iter()
        .map(|(k, l)| (k.clone(), l.name.clone()))
        .collect()
}

#[function_component(PrevalenceMap)]
pub fn prevalence_map(props: &PrevalenceMapProps) -> Html {
    let (chart, shown) = {
        let (heatmap, shown) = prevalence_grid(&props.devices, &names(&props.labels));
        (Rc::new(Chart::Heatmap(heatmap)), shown)
    };
    let mut cut = Vec::new();
    if shown.services < shown.of_services {
        cut.push(format!(
            "{} of {} services (those used by the most devices)",
            shown.services, shown.of_services
        ));
    }
    if shown.devices < shown.of_devices {
        cut.push(format!(
            "{} of {} devices (those with the most flows)",
            shown.devices, shown.of_devices
        ));
    }
    html! {
        <section class="prevalence-map" id="prevalence-map">
            <h2>{ "Devices by service" }</h2>
            <p class="hint">{ "Each cell is the share of a device's active hours in which it used the service (its prevalence). Services used by the most devices come first (left); devices are ordered by flows." }</p>
            if !cut.is_empty() {
                <p class="notice" id="prevalence-map-note">{ format!(
                    "Showing {} (at most {MAX_SERVICES} services and {MAX_DEVICES} devices are drawn; the table above lists them all).",
                    cut.join(" and ")) }</p>
            }
            <ChartView chart={chart} id="prevalence-chart" stem="devices-by-service" wide={true}
                label={format!("Heatmap of the prevalence of {} services across {} devices", shown.services, shown.devices)} />
        </section>
    }
}
