//! Label file import: MAC or IP -> name (and type). Read as text in the page, parsed in
//! the worker by `svcprint-engine`'s label reader; bad lines are listed by number. Also
//! the library identification uses: the one built from the labelled devices, or an
//! imported library JSON (as `svcprint library` writes it), and the way back.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::{LabelFile, LibraryInfo};

/// Calls `cb` with the name and text of the file chosen in the input of event `e`.
fn read_chosen(e: Event, cb: Callback<(String, String)>) {
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
    wasm_bindgen_futures::spawn_local(async move {
        let text = JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        cb.emit((file.name(), text));
    });
}

#[derive(Properties, PartialEq)]
pub struct LabelImportProps {
    pub label_file: Option<LabelFile>,
    /// (file name, its text)
    pub on_labels: Callback<(String, String)>,
    /// Devices labelled in the table.
    #[prop_or_default]
    pub inline: usize,
    /// The imported library in use, and why the last one was refused.
    #[prop_or_default]
    pub library: Option<LibraryInfo>,
    #[prop_or_default]
    pub library_error: Option<String>,
    /// (file name, its text) of a library JSON.
    #[prop_or_default]
    pub on_library: Callback<(String, String)>,
    /// Back to the library built from the labelled devices.
    #[prop_or_default]
    pub on_built_library: Callback<MouseEvent>,
}

#[function_component(LabelImport)]
pub fn label_import(props: &LabelImportProps) -> Html {
    let on_change = {
        let cb = props.on_labels.clone();
        Callback::from(move |e: Event| read_chosen(e, cb.clone()))
    };
    let on_library = {
        let cb = props.on_library.clone();
        Callback::from(move |e: Event| read_chosen(e, cb.clone()))
    };
    html! {
        <section class="labels" id="labels">
            <input id="label-input" type="file" accept=".csv,.txt,.tsv,text/plain" onchange={on_change} />
            <label class="button secondary" for="label-input">{ "Import labels…" }</label>
            <span class="hint">{ " a file of MAC (or IP) and name, optionally type: CSV with a header, \"MAC name\" lines, or the UNSW device list" }</span>
            if let Some(l) = &props.label_file {
                <p id="label-status">{ format!("{}: {} labelled", l.name, super::count(l.count as u64, "device", "devices")) }
                    if !l.errors.is_empty() { { format!(", {} skipped", super::count(l.errors.len() as u64, "line", "lines")) } }
                </p>
                if !l.errors.is_empty() {
                    <ul class="diagnostics">{ for l.errors.iter().take(20).map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                }
            }
            if props.inline > 0 {
                <p id="inline-status">{ format!("{} labelled in the table (they win over imported labels)", super::count(props.inline as u64, "device", "devices")) }</p>
            }
            <div class="library-tools">
                <input id="library-input" type="file" accept=".json,application/json" onchange={on_library} />
                <label class="button secondary" for="library-input">{ "Import library…" }</label>
                <span id="library-status" role="status">{ match &props.library {
                    None => "Library in use: built from the labelled devices.".to_string(),
                    Some(l) => format!("Library in use: {} ({} fingerprints of {} labels, {}), imported (its parameters apply, as in svcprint identify --library).",
                        l.name, l.fingerprints, l.labels, l.representation),
                } }</span>
                if props.library.is_some() {
                    { " " }
                    <button type="button" class="secondary" id="library-built" onclick={props.on_built_library.clone()}>
                        { "Use the library built from labels" }
                    </button>
                }
                if let Some(e) = &props.library_error {
                    <p class="error" role="alert" id="library-error">{ format!("The library was not imported: {e}") }</p>
                }
            </div>
        </section>
    }
}
