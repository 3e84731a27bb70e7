//! The Identify view (method.md M10): every device against the library of the labelled
//! devices (or an imported library), as `svcprint identify` prints it: the answer (a label, `ambiguous` or
//! `unknown`) and why, the score, the top 3, and for the chosen device the evidence.

use crate::compare::{DeviceIdentity, Identification};
use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use std::rc::Rc;
use svcprint_engine::identify::EvidenceItem;
use svcprint_engine::Answer;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct IdentifyViewProps {
    pub identification: Option<Identification>,
    pub labels: Rc<BTreeMap<String, DeviceLabel>>,
    /// The device whose evidence is shown.
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

/// Why the answer is what it is, in words.
pub fn why(d: &DeviceIdentity, rho: f64) -> String {
    match &d.answer {
        Answer::Label(_) => format!("best score, at least rho {rho:.2}"),
        Answer::Ambiguous(tied) => format!("tied at the best score: {}", tied.join(", ")),
        Answer::Unknown if d.top.is_empty() => "the library is empty".into(),
        Answer::Unknown if d.score <= 0.0 => {
            "shares no service with any fingerprint of the library".into()
        }
        Answer::Unknown => format!(
            "best score {:.3} is below rho {rho:.2} (nearest: {})",
            d.score,
            d.nearest.join(", ")
        ),
    }
}

/// The top labels as `svcprint identify` prints them: `label 0.750, ...`.
pub fn top_text(d: &DeviceIdentity) -> String {
    d.top
        .iter()
        .map(|(l, s)| format!("{l} {s:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn evidence_table(id: &'static str, caption: String, items: &[EvidenceItem<String>]) -> Html {
    html! {
        <table id={id} class="evidence">
            <caption>{ caption }</caption>
            if items.is_empty() {
                <tbody><tr><td class="none">{ "none" }</td></tr></tbody>
            } else {
                <thead><tr>
                    <th scope="col">{ "service" }</th>
                    <th scope="col" class="num" title="weight in this device's fingerprint">{ "device" }</th>
                    <th scope="col" class="num" title="weight in the library fingerprint">{ "match" }</th>
                    <th scope="col" class="num" title="its part of the score">{ "share" }</th>
                </tr></thead>
                <tbody>
                { for items.iter().map(|e| html! {
                    <tr data-service={e.service.clone()}>
                        <td>{ e.service.clone() }</td>
                        <td class="num">{ format!("{:.3}", e.query) }</td>
                        <td class="num">{ format!("{:.3}", e.matched) }</td>
                        <td class="num">{ format!("{:.3}", e.share) }</td>
                    </tr>
                }) }
                </tbody>
            }
        </table>
    }
}

#[function_component(IdentifyView)]
pub fn identify_view(props: &IdentifyViewProps) -> Html {
    let Some(id) = &props.identification else {
        return html! {
            <section class="identify" id="identify">
                <h2>{ "Identify" }</h2>
                <p class="notice" id="identify-empty">{ "Import a label file (or load the demo) to identify devices: the fingerprints of the labelled devices make the library, and every device's latest fingerprint is compared with it." }</p>
            </section>
        };
    };
    let name = |k: &str| {
        props
            .labels
            .get(k)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    };
    let chosen = props
        .selected
        .as_ref()
        .and_then(|k| id.devices.iter().find(|d| &d.key == k))
        .or(id.devices.first());
    html! {
        <section class="identify" id="identify">
            <h2>{ "Identify" }</h2>
            <p class="hint" id="identify-library">{ match &id.imported {
                None => format!(
                    "Library: {} fingerprints of {} labels ({}), built from the labelled devices; rho = {:.2}. Each device's query is its latest fingerprint (or its open window). Labelled devices are in the library, so they find their own fingerprints; the answers for unlabelled devices are the interesting ones.",
                    id.library, id.labels, id.representation, id.rho),
                Some(file) => format!(
                    "Library: {} fingerprints of {} labels ({}), imported from {file}; rho = {:.2}. Each device's query is its latest fingerprint (or its open window). Labels → Use the library built from labels goes back to the labelled devices' own.",
                    id.library, id.labels, id.representation, id.rho),
            } }</p>
            if id.devices.is_empty() {
                <p class="notice">{ "No device has a fingerprint yet." }</p>
            } else {
                <div class="table-wrap">
                <table id="identify-table">
                    <thead><tr>
                        <th scope="col">{ "device" }</th>
                        <th scope="col">{ "name" }</th>
                        <th scope="col" title="the fingerprint identified: stable or unstable export, or the open window">{ "query" }</th>
                        <th scope="col">{ "answer" }</th>
                        <th scope="col" class="num">{ "score" }</th>
                        <th scope="col">{ "top 3" }</th>
                    </tr></thead>
                    <tbody>
                    { for id.devices.iter().map(|d| {
                        let on_click = {
                            let (cb, key) = (props.on_select.clone(), d.key.clone());
                            Callback::from(move |_: MouseEvent| cb.emit(key.clone()))
                        };
                        let selected = chosen.is_some_and(|c| c.key == d.key);
                        let kind = match &d.answer { Answer::Label(_) => "label", Answer::Ambiguous(_) => "ambiguous", Answer::Unknown => "unknown" };
                        html! {
                            <tr data-key={d.key.clone()} class={classes!(selected.then_some("selected"))} aria-selected={selected.to_string()}>
                                <td class="key"><button type="button" class="link" onclick={on_click}>{ d.key.clone() }</button></td>
                                <td class="name">{ name(&d.key) }</td>
                                <td class="query">{ format!("{}, {} h", d.query.kind, d.query.window.n) }</td>
                                <td class={classes!("verdict", kind)}>
                                    <span class="answer">{ d.answer.text().to_string() }</span>
                                    <span class="why">{ why(d, id.rho) }</span>
                                </td>
                                <td class="num score">{ format!("{:.3}", d.score) }</td>
                                <td class="top">{ top_text(d) }</td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                </div>
            }
            if let Some(d) = chosen {
                <div class="evidence-panel" id="evidence" data-key={d.key.clone()}>
                    if let Some(ev) = &d.evidence {
                        <h3>{ format!("Evidence for {}: its fingerprint against the closest one of {} (score {:.3})",
                            if name(&d.key).is_empty() { d.key.clone() } else { name(&d.key) }, ev.label, d.score) }</h3>
                        <p class="hint">{ "Each shared service contributes its share of the score (the shares add up to it); services on one side only lower it." }</p>
                        <div class="evidence-grid">
                            { evidence_table("evidence-shared", format!("Shared services ({})", ev.shared.len()), &ev.shared) }
                            { evidence_table("evidence-extra", format!("Only in this device: extra ({})", ev.only_query.len()), &ev.only_query) }
                            { evidence_table("evidence-missing", format!("Only in {}: missing ({})", ev.label, ev.only_match.len()), &ev.only_match) }
                        </div>
                    } else {
                        <p class="notice">{ "No evidence: the library is empty." }</p>
                    }
                </div>
            }
        </section>
    }
}
