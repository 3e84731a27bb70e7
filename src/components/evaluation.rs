//! The evaluation (method.md M11) for SL, SP, G2, G4 and G8 side by side: closed-set
//! accuracy, macro-F1 and device accuracy; open-set AUROC, best rho and balanced accuracy.

use svcprint_engine::Evaluation;
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
        </section>
    }
}
