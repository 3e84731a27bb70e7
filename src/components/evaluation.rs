//! The evaluation (method.md M11) for SL, SP, G2, G4 and G8 side by side: closed-set
//! accuracy, macro-F1 and device accuracy; open-set AUROC, best rho and balanced accuracy.

use super::chart::ChartView;
use crate::charts::Chart;
use std::rc::Rc;
use svcprint_engine::Evaluation;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EvaluationProps {
    pub evaluation: Option<Evaluation>,
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

#[function_component(EvaluationView)]
pub fn evaluation_view(props: &EvaluationProps) -> Html {
    let chosen = use_state(|| "G2".to_string());
    let on_rep = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                chosen.set(s.value());
            }
        })
    };
    let Some(eval) = &props.evaluation else {
        return html! {
            <section class="evaluation" id="evaluation">
                <h2>{ "Evaluation" }</h2>
                <p class="notice">{ "Import a label file (or load the demo) to evaluate identification: the fingerprints before each device's split point build the library, the later ones are identified against it." }</p>
            </section>
        };
    };
    // Representations in the order of method.md M11.
    let order = ["SL", "SP", "G2", "G4", "G8"];
    html! {
        <section class="evaluation" id="evaluation">
            <h2>{ "Evaluation" }</h2>
            <div class="table-wrap">
            <table id="evaluation-table">
                <thead><tr>
                    <th scope="col">{ "representation" }</th>
                    <th scope="col" class="num">{ "library" }</th>
                    <th scope="col" class="num">{ "queries" }</th>
                    <th scope="col" class="num">{ "closed-set accuracy" }</th>
                    <th scope="col" class="num">{ "macro-F1" }</th>
                    <th scope="col" class="num">{ "device accuracy" }</th>
                    <th scope="col" class="num">{ "open-set AUROC" }</th>
                    <th scope="col" class="num">{ "best rho" }</th>
                    <th scope="col" class="num">{ "balanced accuracy" }</th>
                </tr></thead>
                <tbody>
                { for order.iter().filter_map(|name| eval.representations.get(*name).map(|r| (name, r))).map(|(name, r)| html! {
                    <tr data-representation={name.to_string()}>
                        <th scope="row">{ *name }</th>
                        <td class="num library">{ r.closed.library }</td>
                        <td class="num queries">{ r.closed.queries }</td>
                        <td class="num accuracy">{ pct(r.closed.accuracy) }</td>
                        <td class="num macro-f1">{ format!("{:.3}", r.closed.macro_f1) }</td>
                        <td class="num device-accuracy">{ format!("{} ({}/{})", pct(r.closed.device_accuracy), r.closed.devices_correct, r.closed.devices) }</td>
                        <td class="num auroc">{ r.open.auroc.map(|a| format!("{a:.3}")).unwrap_or_else(|| "–".into()) }</td>
                        <td class="num best-rho">{ format!("{:.2}", r.open.best_rho) }</td>
                        <td class="num balanced">{ pct(r.open.best_balanced_accuracy) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
            <label class="param" for="eval-rep">
                <span class="pname">{ "details of" }</span>
                <select id="eval-rep" onchange={on_rep}>
                    { for order.iter().map(|r| html! { <option value={r.to_string()} selected={*r == chosen.as_str()}>{ *r }</option> }) }
                </select>
            </label>
            if let Some(r) = eval.representations.get(chosen.as_str()) {
                <div class="eval-details">
                    <ChartView chart={Rc::new(Chart::OpenSet { open: r.open.clone(), title: format!("{}: open set against rho", *chosen) })}
                        id="open-set-chart" stem={format!("open-set-{}", *chosen)} wide={true}
                        label={format!("Open-set known accuracy, unknown rejection and balanced accuracy against rho for {}", *chosen)} />
                    <div class="table-wrap">
                    <table id="confusion">
                        <caption>{ format!("Closed-set confusion ({}): true label by row, prediction by column", *chosen) }</caption>
                        <thead><tr>
                            <th scope="col">{ "true \\ predicted" }</th>
                            { for predicted(r).iter().map(|p| html! { <th scope="col">{ p.clone() }</th> }) }
                        </tr></thead>
                        <tbody>
                        { for r.closed.confusion.iter().map(|(t, row)| html! {
                            <tr data-label={t.clone()}>
                                <th scope="row">{ t.clone() }</th>
                                { for predicted(r).iter().map(|p| {
                                    let n = row.get(p).copied().unwrap_or(0);
                                    html! { <td class={classes!("num", (p == t && n > 0).then_some("hit"))}>{ if n == 0 { String::new() } else { n.to_string() } }</td> }
                                }) }
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    </div>
                </div>
            }
        </section>
    }
}

/// Every predicted label of the confusion matrix (columns), sorted.
fn predicted(r: &svcprint_engine::evaluate::RepresentationResult) -> Vec<String> {
    let mut v: Vec<String> = r
        .closed
        .confusion
        .values()
        .flat_map(|row| row.keys().cloned())
        .collect();
    v.sort();
    v.dedup();
    v
}
