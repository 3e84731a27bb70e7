//! One row per device: key, flows, active hours, first/last seen, number of services.

use super::short_time;
use crate::analysis::DeviceFingerprints;
use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use svcprint_engine::DeviceSummary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeviceTableProps {
    pub devices: Vec<DeviceSummary>,
    /// Names and types by device key (columns shown only when there are any).
    pub labels: BTreeMap<String, DeviceLabel>,
    /// Exports, convergence and recurrence by device key.
    pub fingerprints: BTreeMap<String, DeviceFingerprints>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

#[function_component(DeviceTable)]
pub fn device_table(props: &DeviceTableProps) -> Html {
    let named = !props.labels.is_empty();
    let typed = props.labels.values().any(|l| !l.kind.is_empty());
    html! {
        <section class="devices">
            <h2>{ format!("Devices ({})", props.devices.len()) }</h2>
            <div class="table-wrap">
            <table id="device-table">
                <thead><tr>
                    <th scope="col">{ "device" }</th>
                    if named {
                        <th scope="col">{ "name" }</th>
                        if typed { <th scope="col">{ "type" }</th> }
                    }
                    <th scope="col" class="num">{ "flows" }</th>
                    <th scope="col" class="num">{ "active hours" }</th>
                    <th scope="col">{ "first seen (UTC)" }</th>
                    <th scope="col">{ "last seen (UTC)" }</th>
                    <th scope="col" class="num">{ "services" }</th>
                    <th scope="col" class="num" title="fingerprints exported (M8); unstable ones in brackets">{ "exports" }</th>
                    <th scope="col" class="num" title="median hours an export needed to converge (M9)">{ "convergence (h)" }</th>
                    <th scope="col" class="num" title="share of exports similar to an earlier one (M9)">{ "recurrence" }</th>
                    <th scope="col">{ "top services" }</th>
                </tr></thead>
                <tbody>
                { for props.devices.iter().map(|d| {
                    let key = d.key.clone();
                    let on_click = {
                        let on_select = props.on_select.clone();
                        let key = key.clone();
                        Callback::from(move |_: MouseEvent| on_select.emit(key.clone()))
                    };
                    let selected = props.selected.as_deref() == Some(d.key.as_str());
                    let label = props.labels.get(&d.key);
                    let fp = props.fingerprints.get(&d.key);
                    let top: Vec<&str> = d.services.iter().take(3).map(|s| s.service.as_str()).collect();
                    html! {
                        <tr data-key={key.clone()} class={classes!(selected.then_some("selected"))} aria-selected={selected.to_string()}>
                            <td class="key"><button type="button" class="link" onclick={on_click}>{ key.clone() }</button></td>
                            if named {
                                <td class="name">{ label.map(|l| l.name.clone()).unwrap_or_default() }</td>
                                if typed { <td class="kind">{ label.map(|l| l.kind.clone()).unwrap_or_default() }</td> }
                            }
                            <td class="num flows">{ d.flows }</td>
                            <td class="num active">{ d.active_bins }</td>
                            <td class="first">{ short_time(d.first_ms) }</td>
                            <td class="last">{ short_time(d.last_ms) }</td>
                            <td class="num nservices">{ d.services.len() }</td>
                            <td class="num exports">{ fp.map(|f| if f.unstable > 0 { format!("{} ({})", f.exports, f.unstable) } else { f.exports.to_string() }).unwrap_or_default() }</td>
                            <td class="num convergence">{ fp.and_then(|f| f.median_hours).map(|h| format!("{h:.0}")).unwrap_or_else(|| "–".into()) }</td>
                            <td class="num recurrence">{ fp.and_then(|f| f.recurrence).map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_else(|| "–".into()) }</td>
                            <td class="top">{ top.join(", ") }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
