//! Downloads made in the page from the current results: the fingerprint library, the
//! evaluation, the device table, the labels (imported and inline, as a label file). (A
//! device's MUD draft and its chart are offered with the
//! device.)

use crate::analysis::ExportKind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub on_export: Callback<ExportKind>,
    pub error: Option<String>,
    /// Library and evaluation need labels.
    pub labelled: bool,
}

/// Why the library, evaluation and labels exports are not offered yet.
const NEEDS_LABELS: &str = "The library, evaluation and labels exports need labelled devices: import a label file or name devices in the table.";

#[function_component(Exports)]
pub fn exports(props: &ExportsProps) -> Html {
    let button = |id: &'static str, text: &'static str, kind: ExportKind, enabled: bool| {
        let cb = props.on_export.clone();
        let why = (!enabled).then_some(NEEDS_LABELS);
        html! {
            <button type="button" class="secondary" id={id} disabled={!enabled} title={why}
                onclick={Callback::from(move |_| cb.emit(kind.clone()))}>{ text }</button>
        }
    };
    html! {
        <section class="exports" id="exports">
            <h2>{ "Export" }</h2>
            <p class="hint">{ "Files are made in this page and saved by your browser; nothing is uploaded." }</p>
            <div class="mapper-buttons">
                { button("export-library", "Fingerprint library (JSON)", ExportKind::Library, props.labelled) }
                { button("export-evaluation", "Evaluation (JSON)", ExportKind::Evaluation, props.labelled) }
                { button("export-devices", "Devices (CSV)", ExportKind::Devices, true) }
                { button("export-labels", "Labels (CSV)", ExportKind::Labels, props.labelled) }
            </div>
            if !props.labelled {
                <p class="hint" id="export-needs-labels">{ NEEDS_LABELS }</p>
            }
            if let Some(e) = &props.error {
                <p class="error" role="alert" id="export-error">{ e.clone() }</p>
            }
        </section>
    }
}
