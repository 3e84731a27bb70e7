//! Per file: its format, records and what was skipped and why. File contents appear
//! only as text nodes.

use crate::state::FileState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub files: Vec<FileState>,
}

#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let done: Vec<_> = props
        .files
        .iter()
        .filter_map(|f| f.summary.as_ref())
        .collect();
    if done.is_empty() {
        return html! {};
    }
    html! {
        <section class="files" id="files">
            <h2>{ "Files" }</h2>
            <ul>
            { for done.iter().map(|s| {
                let problems = s.diagnostics.total();
                html! {
                    <li class={classes!("file", (problems > 0).then_some("has-problems"))}>
                        <span class="name">{ s.name.clone() }</span>
                        { format!(" — {} · {} records", s.format, s.records) }
                        if problems > 0 {
                            { format!(" · {problems} problems") }
                            <ul class="diagnostics">
                            { for s.diagnostics.kept.iter().take(50).map(|d| html! { <li>{ d.to_string() }</li> }) }
                            </ul>
                            if problems as usize > s.diagnostics.kept.len().min(50) {
                                <p class="more">{ format!("… and {} more", problems as usize - s.diagnostics.kept.len().min(50)) }</p>
                            }
                        }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}
