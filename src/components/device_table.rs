//! One row per device: key, flows, active hours, first/last seen, number of services.

use super::short_time;
use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use svcprint_engine::DeviceSummary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeviceTableProps {
    pub devices: Vec<DeviceSummary>,
    /// Names and types by device key (columns shown only when there are any).
    pub labels: BTreeMap<String, DeviceLabel>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

#[function_component(DeviceTable)]
pub fn device_table(props: &DeviceTableProps) -> Html {
    let named = !props.labels.is_empty();
    html! {
        <section class="devices">
            <h2>{ format!("Devices ({})", props.devices.len()) }</h2>
            <div class="table-wrap">
            <table id="device-table">
                <thead><tr>
                    <th scope="col">{ "device" }</th>
                    if named {
                        <th scope="col">{ "name" }</th>
                        <th scope="col">{ "type" }</th>
                    }
                    <th scope="col" class="num">{ "flows" }</th>
                    <th scope="col" class="num">{ "active hours" }</th>
                    <th scope="col">{ "first seen (UTC)" }</th>
                    <th scope="col">{ "last seen (UTC)" }</th>
                    <th scope="col" class="num">{ "services" }</th>
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
                    let top: Vec<&str> = d.services.iter().take(3).map(|s| s.service.as_str()).collect();
                    html! {
                        <tr data-key={key.clone()} class={classes!(selected.then_some("selected"))} aria-selected={selected.to_string()}>
                            <td class="key"><button type="button" class="link" onclick={on_click}>{ key.clone() }</button></td>
                            if named {
                                <td class="name">{ label.map(|l| l.name.clone()).unwrap_or_default() }</td>
                                <td class="kind">{ label.map(|l| l.kind.clone()).unwrap_or_default() }</td>
                            }
                            <td class="num flows">{ d.flows }</td>
                            <td class="num active">{ d.active_bins }</td>
                            <td class="first">{ short_time(d.first_ms) }</td>
                            <td class="last">{ short_time(d.last_ms) }</td>
                            <td class="num nservices">{ d.services.len() }</td>
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
