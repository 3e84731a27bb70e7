//! Label file import: MAC or IP -> name (and type). Read as text in the page, parsed in
//! the worker by `svcprint-engine`'s label reader; bad lines are listed by number.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::LabelFile;

#[derive(Properties, PartialEq)]
pub struct LabelImportProps {
    pub label_file: Option<LabelFile>,
    /// (file name, its text)
    pub on_labels: Callback<(String, String)>,
}

#[function_component(LabelImport)]
pub fn label_import(props: &LabelImportProps) -> Html {
    let on_change = {
        let cb = props.on_labels.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let cb = cb.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                cb.emit((file.name(), text));
            });
        })
    };
    html! {
        <section class="labels" id="labels">
            <input id="label-input" type="file" accept=".csv,.txt,.tsv,text/plain" onchange={on_change} />
            <label class="button secondary" for="label-input">{ "Import labels…" }</label>
            <span class="hint">{ " a file of MAC (or IP) and name, optionally type: CSV with a header, \"MAC name\" lines, or the UNSW device list" }</span>
            if let Some(l) = &props.label_file {
                <p id="label-status">{ format!("{}: {} devices labelled", l.name, l.count) }
                    if !l.errors.is_empty() { { format!(", {} lines skipped", l.errors.len()) } }
                </p>
                if !l.errors.is_empty() {
                    <ul class="diagnostics">{ for l.errors.iter().take(20).map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                }
            }
        </section>
    }
}
