//! Progress of the current run: bytes read of the total, flows decoded, and while it
//! runs the flows per second and the time left, worked out here from the byte and flow
//! counts over time ([`crate::rate`]); once done, the run's average. Self-contained: it
//! keeps its own samples and needs nothing from the state but the counts.

use super::human_bytes;
use crate::rate::{human_count, human_seconds, Rate, Sample};
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
    let rate = use_mut_ref(Rate::default);
    if props.busy {
        rate.borrow_mut().push(Sample {
            ms: js_sys::Date::now(),
            bytes: props.done,
            flows: props.records,
        });
    }
    let pct = if props.total == 0 {
        100.0
    } else {
        props.done as f64 * 100.0 / props.total as f64
    };
    let speed = if props.busy {
        match rate.borrow().estimate(props.total) {
            Some(e) => format!(
                " · {} flows/s · {}",
                human_count(e.flows_per_s),
                e.seconds_left
                    .map(|s| format!("{} left", human_seconds(s)))
                    .unwrap_or_else(|| "time left unknown".into())
            ),
            None => " · measuring speed…".into(),
        }
    } else {
        rate.borrow()
            .average()
            .filter(|_| props.done >= props.total)
            .map(|e| format!(" · {} flows/s on average", human_count(e.flows_per_s)))
            .unwrap_or_default()
    };
    html! {
        <section class="progress" id="progress" aria-live="polite">
            <progress id="progress-bar" max={props.total.max(1).to_string()} value={if props.total == 0 { "1".to_string() } else { props.done.to_string() }}></progress>
            <span id="progress-text">
                { format!("{:.0}% · {} of {} · {} flows", pct, human_bytes(props.done), human_bytes(props.total), props.records) }
            </span>
            <span id="progress-speed">{ speed }</span>
            if props.busy {
                <button type="button" id="cancel" onclick={props.on_cancel.clone()}>{ "Cancel" }</button>
            }
        </section>
    }
}
