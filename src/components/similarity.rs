//! The Similarity view: pairwise similarity of the devices' whole-capture fingerprints as
//! a clustered heatmap, and the most similar pairs as a table.

use super::chart::ChartView;
use super::overview::names;
use crate::charts::heatmap::similarity_grid;
use crate::charts::Chart;
use crate::compare::{SimilarityView, MAX_SIMILARITY_DEVICES};
use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Pairs listed under the heatmap.
const PAIRS: usize = 10;

#[derive(Properties, PartialEq)]
pub struct SimilarityPanelProps {
    pub similarity: SimilarityView,
    pub labels: Rc<BTreeMap<String, DeviceLabel>>,
}

#[function_component(SimilarityPanel)]
pub fn similarity_panel(props: &SimilarityPanelProps) -> Html {
    let v = &props.similarity;
    let intro = html! {
        <p class="hint">{ format!(
            "Each device's fingerprint over all of its active hours ({}, as set in Parameters) compared with every other one by {} similarity: 100% = the same services at the same weights. Rows and columns follow an average-linkage clustering, so devices that look alike sit together.",
            if v.representation.is_empty() { "the chosen representation" } else { v.representation.as_str() },
            if v.similarity.is_empty() { "the chosen" } else { v.similarity.as_str() }) }</p>
    };
    if v.devices.len() < 2 {
        return html! {
            <section class="similarity" id="similarity">
                <h2>{ "Similarity" }</h2>
                { intro }
                <p class="notice" id="similarity-empty">{ "Similarity needs at least two devices with services." }</p>
            </section>
        };
    }
    let names = names(&props.labels);
    let chart = Rc::new(Chart::Heatmap(similarity_grid(v, &names)));
    let name = |k: &str| {
        names
            .get(k)
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| k.to_string())
    };
    let mut pairs: Vec<(usize, usize, f64)> = (0..v.devices.len())
        .flat_map(|i| (i + 1..v.devices.len()).map(move |j| (i, j)))
        .map(|(i, j)| (i, j, v.matrix.get(i, j)))
        .collect();
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    pairs.truncate(PAIRS);
    html! {
        <section class="similarity" id="similarity">
            <h2>{ "Similarity" }</h2>
            { intro }
            if v.devices.len() < v.total {
                <p class="notice" id="similarity-note">{ format!(
                    "Showing the {} devices with the most active hours of {} (at most {MAX_SIMILARITY_DEVICES}).",
                    v.devices.len(), v.total) }</p>
            }
            <ChartView chart={chart} id="similarity-chart" stem="device-similarity" wide={true}
                label={format!("Heatmap of the pairwise similarity of {} devices, clustered", v.devices.len())} />
            <div class="table-wrap">
            <table id="similar-pairs">
                <caption>{ "The most similar pairs" }</caption>
                <thead><tr>
                    <th scope="col">{ "device" }</th>
                    <th scope="col">{ "device" }</th>
                    <th scope="col" class="num">{ "similarity" }</th>
                </tr></thead>
                <tbody>
                { for pairs.iter().filter_map(|&(i, j, s)| {
                    let (a, b) = (v.devices.get(i)?, v.devices.get(j)?);
                    Some(html! {
                        <tr data-a={a.clone()} data-b={b.clone()}>
                            <td>{ name(a) }</td>
                            <td>{ name(b) }</td>
                            <td class="num">{ format!("{:.3}", s) }</td>
                        </tr>
                    })
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
