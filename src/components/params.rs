//! The parameters panel: every method.md parameter with its default. Changes recompute
//! from the kept aggregates in the worker; those that shape aggregation (bin,
//! min_packets, ignore_unanswered_inbound) apply to the next files loaded. Granularity k,
//! tau and rho also have a slider that recomputes while it is dragged (the page holds
//! back values while the worker is busy and sends only the latest, see
//! [`crate::coalesce`]); the number field beside it takes exact values.

use svcprint_engine::{Config, Representation, Similarity};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParamsPanelProps {
    pub config: Config,
    pub error: Option<String>,
    pub on_change: Callback<Config>,
    /// How long the last recomputation took in the worker (ms).
    #[prop_or_default]
    pub recompute_ms: Option<f64>,
    /// Forget the column mappings saved in this browser.
    pub on_forget_mappings: Callback<MouseEvent>,
}

/// One field: its method.md name, how it reads and writes the config.
struct Field {
    name: &'static str,
    /// A slider's (min, max), for the parameters worth dragging.
    range: Option<(&'static str, &'static str)>,
    help: &'static str,
    step: &'static str,
    get: fn(&Config) -> String,
    set: fn(&mut Config, &str) -> Option<()>,
}

fn num<T: std::str::FromStr>(v: &str) -> Option<T> {
    v.trim().parse().ok()
}

/// A numeric field whose method.md name is the `Config` field's name.
macro_rules! num_field {
    ($f:ident, $step:literal, $help:literal) => {
        num_field!($f, $step, $help, None)
    };
    ($f:ident, $step:literal, $help:literal, $range:expr) => {
        Field {
            name: stringify!($f),
            range: $range,
            help: $help,
            step: $step,
            get: |c| c.$f.to_string(),
            set: |c, v| {
                c.$f = num(v)?;
                Some(())
            },
        }
    };
}

const FIELDS: &[Field] = &[
    num_field!(
        granularity,
        "1",
        "k of G_k (1 = Service List; large = Service Prevalence)",
        Some(("1", "20"))
    ),
    num_field!(
        tau,
        "0.01",
        "similarity at which a growing fingerprint counts as unchanged",
        Some(("0", "1"))
    ),
    num_field!(
        stable_bins,
        "1",
        "unchanged steps in a row before an export"
    ),
    num_field!(min_bins, "1", "smallest window (active hours)"),
    num_field!(max_bins, "1", "largest window: exported as unstable"),
    Field {
        name: "tau_recur",
        range: None,
        help: "recurrence threshold (empty = tau)",
        step: "0.01",
        get: |c| c.tau_recur.map(|t| t.to_string()).unwrap_or_default(),
        set: |c, v| {
            c.tau_recur = if v.trim().is_empty() {
                None
            } else {
                Some(num(v)?)
            };
            Some(())
        },
    },
    num_field!(
        rho,
        "0.01",
        "below this best score the answer is unknown",
        Some(("0", "1"))
    ),
    num_field!(
        split,
        "0.05",
        "temporal split of each device's span (evaluation)"
    ),
    num_field!(
        fold_rare_bins,
        "1",
        "high ports seen in fewer hours become PROTO/other (0 = off)"
    ),
];

/// Fields that shape the aggregation: they apply to the next files loaded.
const NEXT_LOAD: &[Field] = &[
    Field {
        name: "bin",
        range: None,
        help: "time bin width in hours",
        step: "0.25",
        get: |c| (c.bin_ms as f64 / 3_600_000.0).to_string(),
        set: |c, v| {
            let h: f64 = num(v)?;
            c.bin_ms = (h * 3_600_000.0).round() as i64;
            Some(())
        },
    },
    num_field!(min_packets, "1", "flows with fewer packets are ignored"),
];

/// Why `text` cannot be `f`'s value, and the value that stays in force.
fn unreadable_message(f: &Field, text: &str, config: &Config) -> String {
    let wanted = if f.step == "1" {
        "a whole number, 0 or more"
    } else {
        "a number"
    };
    let text = text.trim();
    let kept = (f.get)(config);
    // A number field reports text that is not a number as empty.
    if text.is_empty() {
        format!("{}: empty or not a number; it stays {kept}", f.name)
    } else {
        format!(
            "{}: \u{201c}{text}\u{201d} is not {wanted}; it stays {kept}",
            f.name
        )
    }
}

fn input_value(e: &Event) -> Option<HtmlInputElement> {
    e.target()?.dyn_into::<HtmlInputElement>().ok()
}

#[function_component(ParamsPanel)]
pub fn params_panel(props: &ParamsPanelProps) -> Html {
    // A value that does not even parse (`-3` or `2.5` for a count, an empty field) never
    // reaches the engine's validation: it is refused here, with the value that stays.
    let unreadable = use_state(|| None::<String>);
    // Every value that is sent clears the refusal of an earlier unreadable one.
    let emit = {
        let (cb, unreadable) = (props.on_change.clone(), unreadable.clone());
        Callback::from(move |c: Config| {
            unreadable.set(None);
            cb.emit(c)
        })
    };
    let field = |f: &'static Field| {
        let on_change = {
            let (config, cb) = (props.config.clone(), emit.clone());
            let unreadable = unreadable.clone();
            Callback::from(move |e: Event| {
                if let Some(input) = input_value(&e) {
                    let mut next = config.clone();
                    let text = input.value();
                    if (f.set)(&mut next, &text).is_some() {
                        cb.emit(next);
                    } else {
                        unreadable.set(Some(unreadable_message(f, &text, &config)));
                    }
                }
            })
        };
        let id = format!("param-{}", f.name);
        let value = (f.get)(&props.config);
        let slider = f.range.map(|(min, max)| {
            // Every position while dragging (`input`), not only where it is let go.
            let on_input = {
                let (config, cb) = (props.config.clone(), emit.clone());
                Callback::from(move |e: InputEvent| {
                    if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                        let mut next = config.clone();
                        if (f.set)(&mut next, &input.value()).is_some() {
                            cb.emit(next);
                        }
                    }
                })
            };
            html! {
                <span class="slider">
                    <input id={format!("{id}-range")} type="range" min={min} max={max} step={f.step}
                        value={value.clone()} oninput={on_input} aria-label={format!("{} slider", f.name)}
                        aria-valuetext={value.clone()} />
                    <output for={format!("{id}-range")} id={format!("{id}-shown")}>{ value.clone() }</output>
                </span>
            }
        });
        html! {
            <label class={classes!("param", f.range.is_some().then_some("wide"))} for={id.clone()} title={f.help}>
                <span class="pname">{ f.name }</span>
                { for slider }
                <input id={id} type="number" step={f.step} value={value} onchange={on_change} />
            </label>
        }
    };
    let check = |name: &'static str, get: fn(&Config) -> bool, set: fn(&mut Config, bool)| {
        let on_change = {
            let (config, cb) = (props.config.clone(), emit.clone());
            Callback::from(move |e: Event| {
                if let Some(input) = input_value(&e) {
                    let mut next = config.clone();
                    set(&mut next, input.checked());
                    cb.emit(next);
                }
            })
        };
        let id = format!("param-{name}");
        html! {
            <label class="param check" for={id.clone()}>
                <input id={id} type="checkbox" checked={get(&props.config)} onchange={on_change} />
                <span class="pname">{ name }</span>
            </label>
        }
    };
    let on_representation = {
        let (config, cb) = (props.config.clone(), emit.clone());
        Callback::from(move |e: Event| {
            let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            let mut next = config.clone();
            next.representation = match select.value().as_str() {
                "SL" => Representation::Sl,
                "SP" => Representation::Sp,
                _ => Representation::G,
            };
            cb.emit(next);
        })
    };
    let on_similarity = {
        let (config, cb) = (props.config.clone(), emit.clone());
        Callback::from(move |e: Event| {
            let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            let mut next = config.clone();
            next.similarity = if select.value() == "cosine" {
                Similarity::Cosine
            } else {
                Similarity::Jaccard
            };
            cb.emit(next);
        })
    };
    let rep = props.config.representation;
    let cosine = props.config.similarity == Similarity::Cosine;
    html! {
        <details class="params" id="params">
            <summary>{ "Parameters" }</summary>
            <div class="param-grid">
                <label class="param" for="param-representation">
                    <span class="pname">{ "representation" }</span>
                    <select id="param-representation" onchange={on_representation}>
                        <option value="G" selected={rep == Representation::G}>{ "G (generalized)" }</option>
                        <option value="SL" selected={rep == Representation::Sl}>{ "SL (service list)" }</option>
                        <option value="SP" selected={rep == Representation::Sp}>{ "SP (service prevalence)" }</option>
                    </select>
                </label>
                <label class="param" for="param-similarity">
                    <span class="pname">{ "similarity" }</span>
                    <select id="param-similarity" onchange={on_similarity}>
                        <option value="jaccard" selected={!cosine}>{ "jaccard" }</option>
                        <option value="cosine" selected={cosine}>{ "cosine" }</option>
                    </select>
                </label>
                { for FIELDS.iter().map(field) }
                { check("direction_aware", |c| c.direction_aware, |c, v| c.direction_aware = v) }
            </div>
            <p class="hint">{ "Applied to the next files loaded:" }</p>
            <div class="param-grid">
                { for NEXT_LOAD.iter().map(field) }
                { check("ignore_unanswered_inbound", |c| c.ignore_unanswered_inbound, |c, v| c.ignore_unanswered_inbound = v) }
            </div>
            <button type="button" id="param-reset" class="secondary" onclick={{
                let cb = emit.clone();
                Callback::from(move |_| cb.emit(Config::default()))
            }}>{ "Reset to defaults" }</button>
            { " " }
            <button type="button" id="forget-mappings" class="secondary" onclick={props.on_forget_mappings.clone()}>
                { "Forget column mappings saved in this browser" }
            </button>
            if let Some(ms) = props.recompute_ms {
                <p class="hint" id="recompute-time" role="status">{ format!("Last recomputation in the worker: {ms:.0} ms") }</p>
            }
            if let Some(error) = (*unreadable).as_ref().or(props.error.as_ref()) {
                <p class="error" role="alert" id="param-error">{ error.clone() }</p>
            }
        </details>
    }
}
