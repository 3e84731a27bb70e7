//! Progress of the current run: bytes read of the total.

use super::human_bytes;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub done: u64,
    pub total: u64,
    pub records: u64,
    pub busy: bool,
    pub on_cancel: Callback<MouseEvent>,
}

#[function_component(Progress)]
pub fn progress(props: &ProgressProps) -> Html {
    let pct = if props.total == 0 {
        100.0
    } else {
        props.done as f64 * 100.0 / props.total as f64
    };
    html! {
        <section class="progress" id="progress" aria-live="polite">
            <progress id="progress-bar" max={props.total.max(1).to_string()} value={if props.total == 0 { "1".to_string() } else { props.done.to_string() }}></progress>
            <span id="progress-text">
                { format!("{:.0}% · {} of {} · {} flows", pct, human_bytes(props.done), human_bytes(props.total), props.records) }
            </span>
            if props.busy {
                <button type="button" id="cancel" onclick={props.on_cancel.clone()}>{ "Cancel" }</button>
            }
        </section>
    }
}
