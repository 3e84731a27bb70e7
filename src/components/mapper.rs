//! Column mapping for a text file whose header no dialect knows: its header and first
//! rows, one choice per flow-record field, an optional time zone for zone-less times, and
//! "remember" (saved in this browser only when ticked).

use crate::mapping::build;
use crate::state::Mapper;
use svcprint_flow::{ColumnMap, UtcOffset};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the user applies: the mapping, the time zone, and whether to remember it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapChoice {
    pub map: ColumnMap,
    pub time_zone: Option<UtcOffset>,
    pub remember: bool,
}

#[derive(Properties, PartialEq)]
pub struct MapperProps {
    pub mapper: Mapper,
    pub on_apply: Callback<MapChoice>,
    pub on_close: Callback<MouseEvent>,
}

const REQUIRED: [&str; 4] = ["start", "proto", "src_ip", "dst_ip"];

#[function_component(MapperDialog)]
pub fn mapper_dialog(props: &MapperProps) -> Html {
    let error = use_state(|| None::<String>);
    let p = &props.mapper.preview;
    let on_apply = {
        let (cb, error) = (props.on_apply.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let doc = gloo::utils::document();
            let choices: Vec<(String, String)> = ColumnMap::KEYS
                .iter()
                .map(|k| {
                    let v = doc
                        .get_element_by_id(&format!("map-{k}"))
                        .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
                        // The first option is "not mapped".
                        .filter(|s| s.selected_index() > 0)
                        .map(|s| s.value())
                        .unwrap_or_default();
                    (k.to_string(), v)
                })
                .collect();
            let input = |id: &str| {
                doc.get_element_by_id(id)
                    .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            };
            let tz_text = input("map-time-zone")
                .map(|i| i.value())
                .unwrap_or_default();
            let time_zone = if tz_text.trim().is_empty() {
                None
            } else {
                match UtcOffset::parse(&tz_text) {
                    Some(z) => Some(z),
                    None => {
                        error.set(Some(format!(
                            "time zone {tz_text:?}: write an offset such as +02:00 or -05:30"
                        )));
                        return;
                    }
                }
            };
            let remember = input("map-remember").is_some_and(|i| i.checked());
            match build(&choices) {
                Ok(map) => {
                    error.set(None);
                    cb.emit(MapChoice {
                        map,
                        time_zone,
                        remember,
                    });
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    html! {
        <section class="mapper" id="mapper" aria-label="Map columns">
            <h2>{ format!("Map the columns of {}", props.mapper.name) }</h2>
            if let Some(problem) = &p.problem {
                <p class="error">{ problem.clone() }</p>
            }
            <div class="table-wrap">
            <table id="mapper-preview">
                <thead><tr>{ for p.columns.iter().map(|c| html! { <th scope="col">{ c.clone() }</th> }) }</tr></thead>
                <tbody>
                { for p.rows.iter().take(5).map(|r| html! { <tr>{ for r.iter().map(|v| html! { <td>{ v.clone() }</td> }) }</tr> }) }
                </tbody>
            </table>
            </div>
            <div class="param-grid">
            { for ColumnMap::KEYS.iter().map(|k| {
                let required = REQUIRED.contains(k);
                html! {
                    <label class="param" for={format!("map-{k}")}>
                        <span class="pname">{ if required { format!("{k} *") } else { k.to_string() } }</span>
                        <select id={format!("map-{k}")}>
                            <option value="" selected=true>{ "—" }</option>
                            { for p.columns.iter().map(|c| html! { <option value={c.clone()} selected=false>{ c.clone() }</option> }) }
                        </select>
                    </label>
                }
            }) }
                <label class="param" for="map-time-zone">
                    <span class="pname">{ "time zone of zone-less times" }</span>
                    <input id="map-time-zone" type="text" placeholder="+00:00" />
                </label>
            </div>
            <label class="param check" for="map-remember">
                <input id="map-remember" type="checkbox" />
                <span>{ "Remember this mapping in this browser for files with the same header" }</span>
            </label>
            if let Some(e) = &*error {
                <p class="error" role="alert" id="mapper-error">{ e.clone() }</p>
            }
            <div class="mapper-buttons">
                <button type="button" id="map-apply" onclick={on_apply}>{ "Apply and reload" }</button>
                <button type="button" class="secondary" onclick={props.on_close.clone()}>{ "Close" }</button>
            </div>
        </section>
    }
}
