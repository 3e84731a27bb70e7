//! One row per device: key, name, type, flows, active hours, first/last seen, services,
//! exports, convergence, recurrence, top services. Sortable by every column (a button in
//! each header; `aria-sort` tells the order), filterable by text and by label, and only
//! a window of rows is rendered (thousands of devices stay fast): "Show more" adds a page.
//! The sorting and filtering are [`crate::table`]'s, kept in a memo.

use super::short_time;
use crate::analysis::DeviceFingerprints;
use crate::protocol::DeviceLabel;
use crate::table::{self, Column, Filter, Show, Sort, PAGE_ROWS};
use std::collections::BTreeMap;
use std::rc::Rc;
use svcprint_engine::DeviceSummary;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeviceTableProps {
    pub devices: Rc<Vec<DeviceSummary>>,
    /// Names and types by device key.
    pub labels: Rc<BTreeMap<String, DeviceLabel>>,
    /// Exports, convergence and recurrence by device key.
    pub fingerprints: Rc<BTreeMap<String, DeviceFingerprints>>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

#[function_component(DeviceTable)]
pub fn device_table(props: &DeviceTableProps) -> Html {
    let sort = use_state(Sort::default);
    let filter = use_state(Filter::default);
    let shown = use_state(|| PAGE_ROWS);
    let rows = use_memo(
        (
            props.devices.clone(),
            props.labels.clone(),
            props.fingerprints.clone(),
            (*filter).clone(),
            *sort,
        ),
        |(devices, labels, fps, filter, sort)| table::rows(devices, labels, fps, filter, *sort),
    );
    let total = props.devices.len();
    let window = table::window(rows.len(), *shown);

    let on_text = {
        let (filter, shown) = (filter.clone(), shown.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(Filter {
                    text: input.value(),
                    ..(*filter).clone()
                });
                shown.set(PAGE_ROWS);
            }
        })
    };
    let on_show = {
        let (filter, shown) = (filter.clone(), shown.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                filter.set(Filter {
                    show: Show::from_value(&select.value()),
                    ..(*filter).clone()
                });
                shown.set(PAGE_ROWS);
            }
        })
    };
    let on_more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(window + PAGE_ROWS))
    };
    let on_all = {
        let shown = shown.clone();
        let n = rows.len();
        Callback::from(move |_: MouseEvent| shown.set(n))
    };

    let header = |column: Column| {
        let on_click = {
            let sort = sort.clone();
            Callback::from(move |_: MouseEvent| sort.set(sort.toggled(column)))
        };
        let aria = sort.aria(column);
        let arrow = match aria {
            "ascending" => " ▲",
            "descending" => " ▼",
            _ => "",
        };
        html! {
            <th scope="col" class={classes!(column.numeric().then_some("num"))} aria-sort={aria}
                data-column={column.class()} title={column.help()}>
                <button type="button" class="sort" onclick={on_click}>{ column.title() }<span aria-hidden="true">{ arrow }</span></button>
            </th>
        }
    };

    let row = |d: &DeviceSummary| {
        let on_click = {
            let on_select = props.on_select.clone();
            let key = d.key.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(key.clone()))
        };
        let selected = props.selected.as_deref() == Some(d.key.as_str());
        let label = props.labels.get(&d.key);
        let fp = props.fingerprints.get(&d.key);
        let top: Vec<&str> = d
            .services
            .iter()
            .take(3)
            .map(|s| s.service.as_str())
            .collect();
        html! {
            <tr key={d.key.clone()} data-key={d.key.clone()} class={classes!(selected.then_some("selected"))} aria-selected={selected.to_string()}>
                <td class="key"><button type="button" class="link" onclick={on_click}>{ d.key.clone() }</button></td>
                <td class="name">{ label.map(|l| l.name.clone()).unwrap_or_default() }</td>
                <td class="kind">{ label.map(|l| l.kind.clone()).unwrap_or_default() }</td>
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
    };

    let status = if rows.len() == total {
        format!("Showing {window} of {total} devices")
    } else {
        format!(
            "Showing {window} of {} matching devices ({total} in all)",
            rows.len()
        )
    };
    html! {
        <section class="devices">
            <h2 id="devices-heading">{ format!("Devices ({total})") }</h2>
            <div class="table-tools">
                <label for="device-filter">{ "Filter " }
                    <input id="device-filter" type="search" value={filter.text.clone()} oninput={on_text}
                        placeholder="address, name, type or service" autocomplete="off" />
                </label>
                <label for="device-show">{ "Show " }
                    <select id="device-show" onchange={on_show}>
                        { for Show::ALL.iter().map(|s| html! {
                            <option value={s.value()} selected={filter.show == *s}>{ s.title() }</option>
                        }) }
                    </select>
                </label>
                <span id="device-count" role="status">{ status }</span>
            </div>
            <div class="table-wrap">
            <table id="device-table" aria-describedby="device-count">
                <thead><tr>{ for Column::ALL.into_iter().map(header) }</tr></thead>
                <tbody>
                { for rows.iter().take(window).filter_map(|&i| props.devices.get(i)).map(row) }
                </tbody>
            </table>
            </div>
            if rows.is_empty() {
                <p class="notice" id="no-match">{ "No device matches this filter." }</p>
            }
            if window < rows.len() {
                <div class="mapper-buttons">
                    <button type="button" class="secondary" id="show-more" onclick={on_more}>
                        { format!("Show {} more", PAGE_ROWS.min(rows.len() - window)) }
                    </button>
                    <button type="button" class="secondary" id="show-all" onclick={on_all}>
                        { format!("Show all {}", rows.len()) }
                    </button>
                </div>
            }
        </section>
    }
}
