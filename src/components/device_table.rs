//! One row per device: key, name, type, flows, active hours, first/last seen, services,
//! exports, convergence, recurrence, top services. Sortable by every column (a button in
//! each header; `aria-sort` tells the order), filterable by text and by label, and only
//! a window of rows is rendered (thousands of devices stay fast): "Show more" adds a page.
//! The sorting and filtering are [`crate::table`]'s, kept in a memo.
//!
//! Each row has a "Label" button that turns its name and type cells into text fields:
//! Enter (or Save) keeps them as the device's inline label, Escape (or Cancel) leaves
//! them as they were; both fields emptied removes the inline label. Inline labels win over
//! imported ones ([`crate::labelling`]); the page recomputes as after a label import.

use super::short_time;
use crate::analysis::DeviceFingerprints;
use crate::labelling::inline_label;
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
    /// Labels given in this table (marked as such).
    #[prop_or_default]
    pub inline: Rc<BTreeMap<String, DeviceLabel>>,
    /// An inline edit: the device key and its new label (None: remove the inline label).
    #[prop_or_default]
    pub on_label: Callback<(String, Option<DeviceLabel>)>,
}

/// The row being labelled: its key, the two fields as typed, and why they were refused.
#[derive(Clone, Debug, PartialEq)]
struct Editing {
    key: String,
    name: String,
    kind: String,
    error: Option<String>,
}

#[function_component(DeviceTable)]
pub fn device_table(props: &DeviceTableProps) -> Html {
    let sort = use_state(Sort::default);
    let filter = use_state(Filter::default);
    let shown = use_state(|| PAGE_ROWS);
    let editing = use_state(|| None::<Editing>);
    let name_ref = use_node_ref();
    // The name field takes the focus when a row opens for editing; when it closes, the
    // focus goes back to the row's Label button.
    let last_edited = use_mut_ref(|| None::<String>);
    {
        let name_ref = name_ref.clone();
        let key = editing.as_ref().map(|e| e.key.clone());
        let last_edited = last_edited.clone();
        use_effect_with(key, move |key| {
            if key.is_some() {
                *last_edited.borrow_mut() = key.clone();
                if let Some(input) = name_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                    input.select();
                }
            } else if let Some(done) = last_edited.borrow_mut().take() {
                let button = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| {
                        d.query_selector(&format!(
                            "#device-table tr[data-key=\"{done}\"] .label-open"
                        ))
                        .ok()
                        .flatten()
                    })
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(b) = button {
                    let _ = b.focus();
                }
            }
        });
    }
    let save = {
        let (editing, on_label) = (editing.clone(), props.on_label.clone());
        Callback::from(move |()| {
            let Some(e) = (*editing).clone() else { return };
            match inline_label(&e.key, &e.name, &e.kind) {
                Ok(label) => {
                    on_label.emit((e.key.clone(), label));
                    editing.set(None);
                }
                Err(why) => editing.set(Some(Editing {
                    error: Some(why),
                    ..e
                })),
            }
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    let on_field = |is_name: bool| {
        let editing = editing.clone();
        Callback::from(move |e: InputEvent| {
            let (Some(input), Some(cur)) =
                (e.target_dyn_into::<HtmlInputElement>(), (*editing).clone())
            else {
                return;
            };
            editing.set(Some(if is_name {
                Editing {
                    name: input.value(),
                    ..cur
                }
            } else {
                Editing {
                    kind: input.value(),
                    ..cur
                }
            }));
        })
    };
    let on_key = {
        let (save, cancel) = (save.clone(), cancel.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                save.emit(());
            }
            "Escape" => {
                e.prevent_default();
                cancel.emit(());
            }
            _ => {}
        })
    };
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
        // An inline label shows at once (the worker's merged labels follow).
        let label = props
            .inline
            .get(&d.key)
            .or_else(|| props.labels.get(&d.key));
        let inline = props.inline.contains_key(&d.key);
        let edit = editing.as_ref().filter(|e| e.key == d.key);
        let (name_cell, kind_cell, edit_cell) = match edit {
            Some(e) => (
                html! { <td class="name editing">
                    <input type="text" class="label-name" ref={name_ref.clone()} value={e.name.clone()}
                        aria-label={format!("Name of device {}", d.key)} oninput={on_field(true)} onkeydown={on_key.clone()}
                        aria-invalid={e.error.is_some().to_string()} aria-describedby={e.error.as_ref().map(|_| "label-error")} />
                    if let Some(why) = &e.error {
                        <span class="error" id="label-error" role="alert">{ why.clone() }</span>
                    }
                </td> },
                html! { <td class="kind editing">
                    <input type="text" class="label-type" value={e.kind.clone()}
                        aria-label={format!("Type of device {}", d.key)} oninput={on_field(false)} onkeydown={on_key.clone()} />
                </td> },
                html! { <td class="label-edit">
                    <button type="button" class="label-save" onclick={{ let s = save.clone(); Callback::from(move |_: MouseEvent| s.emit(())) }}>{ "Save" }</button>
                    <button type="button" class="label-cancel secondary" onclick={{ let c = cancel.clone(); Callback::from(move |_: MouseEvent| c.emit(())) }}>{ "Cancel" }</button>
                </td> },
            ),
            None => {
                let on_edit = {
                    let editing = editing.clone();
                    let (key, name, kind) = (
                        d.key.clone(),
                        label.map(|l| l.name.clone()).unwrap_or_default(),
                        label.map(|l| l.kind.clone()).unwrap_or_default(),
                    );
                    Callback::from(move |_: MouseEvent| {
                        editing.set(Some(Editing {
                            key: key.clone(),
                            name: name.clone(),
                            kind: kind.clone(),
                            error: None,
                        }))
                    })
                };
                let title = inline.then_some("labelled in this table");
                (
                    html! { <td class={classes!("name", inline.then_some("inline"))} title={title}>{ label.map(|l| l.name.clone()).unwrap_or_default() }</td> },
                    html! { <td class={classes!("kind", inline.then_some("inline"))} title={title}>{ label.map(|l| l.kind.clone()).unwrap_or_default() }</td> },
                    html! { <td class="label-edit">
                        <button type="button" class="label-open secondary" onclick={on_edit}
                            aria-label={format!("Name or type device {}", d.key)}>{ "Label" }</button>
                    </td> },
                )
            }
        };
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
                { name_cell }
                { kind_cell }
                { edit_cell }
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
                <thead><tr>
                    { for Column::ALL.into_iter().take(3).map(header) }
                    <th scope="col" class="label-edit"><span class="visually-hidden">{ "label" }</span></th>
                    { for Column::ALL.into_iter().skip(3).map(header) }
                </tr></thead>
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
