//! Per file: its format, records and what was skipped and why. File contents appear
//! only as text nodes.

use crate::state::FileState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub files: Vec<FileState>,
    /// Open the column mapping of file i (offered when its header was not understood).
    pub on_map: Callback<u32>,
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let done: Vec<(usize, _)> = props
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((i, f.summary.as_ref()?)))
        .collect();
    if done.is_empty() {
        return html! {};
    }
    html! {
        <section class="files" id="files">
            <h2>{ "Files" }</h2>
            <ul>
            { for done.iter().map(|&(i, s)| {
                let problems = s.diagnostics.total();
                let on_map = {
                    let cb = props.on_map.clone();
                    Callback::from(move |_: MouseEvent| cb.emit(i as u32))
                };
                html! {
                    <li class={classes!("file", (problems > 0).then_some("has-problems"))}>
                        <span class="name">{ s.name.clone() }</span>
                        { format!(" — {} · {} records", s.format, s.records) }
                        if crate::mapping::needs_mapping(s) {
                            { " " }
                            <button type="button" class="secondary map-columns" onclick={on_map}>{ "Map columns…" }</button>
                        }
                        if problems > 0 {
                            { format!(" · {}", super::count(problems, "problem", "problems")) }
                            <ul class="diagnostics">
                            { for s.diagnostics.kept.iter().take(50).map(|d| html! { <li>{ d.to_string() }</li> }) }
                            </ul>
                            if problems as usize > s.diagnostics.kept.len().min(50) {
                                <p class="more">{ format!("… and {} more", problems as usize - s.diagnostics.kept.len().min(50)) }</p>
                            }
                            if s.diagnostics.counts.get(&svcprint_flow::DiagKind::MissingTemplate).is_some_and(|&n| n > 0) {
                                <p class="hint missing-template">{ "Data arrived without its template. If the templates are in another file (an exporter's template file), drop both files together: files named with \"tpl\" or \"template\" are read first, and their templates serve the files after them." }</p>
                            }
                        }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}
