//! Drop zone and file picker; several files at once.

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub on_files: Callback<Vec<web_sys::File>>,
    /// Load the built-in demo (a simulated, labelled IoT home).
    pub on_demo: Callback<MouseEvent>,
    pub disabled: bool,
}

fn files_of(list: Option<FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let hover = use_state(|| false);
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                let files = files_of(input.files());
                // Let the same file be chosen again later.
                input.set_value("");
                on_files.emit(files);
            }
        })
    };
    let on_drop = {
        let on_files = props.on_files.clone();
        let hover = hover.clone();
        let disabled = props.disabled;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hover.set(false);
            if !disabled {
                on_files.emit(files_of(e.data_transfer().and_then(|d| d.files())));
            }
        })
    };
    let on_drag_over = {
        let hover = hover.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            hover.set(true);
        })
    };
    let on_drag_leave = {
        let hover = hover.clone();
        Callback::from(move |_: DragEvent| hover.set(false))
    };
    html! {
        <section id="drop-zone" class={classes!("drop-zone", hover.then_some("hover"))}
            ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <p>{ "Drop flow files here: IPFIX, NetFlow v5/v9, pcap/pcapng captures of export packets, or text exports (IPFIX-named CSV, Zeek conn.log, nfdump, Joy, nProbe, CICFlowMeter, or any CSV with its columns mapped by hand); plain, .gz or .zip. Files dropped together are analysed together; a new drop replaces them." }</p>
            <input id="file-input" type="file" multiple=true disabled={props.disabled} onchange={on_change} />
            <label class="button" for="file-input">{ "Choose files…" }</label>
            <span class="or">{ " or " }</span>
            <button type="button" id="demo" class="secondary" disabled={props.disabled} onclick={props.on_demo.clone()}>
                { "Try the demo" }
            </button>
            <p class="hint">{ "The demo is a simulated home of a dozen IoT devices over four weeks, generated in your browser." }</p>
        </section>
    }
}
