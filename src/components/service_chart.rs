//! The selected device's services: a plotters bar chart of their prevalence on a canvas,
//! and the same numbers as a table (readable by screen readers and tests).

use super::chart::ChartView;
use crate::analysis::ExportKind;
use crate::charts::Chart;
use std::rc::Rc;
use svcprint_engine::DeviceSummary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServiceChartProps {
    pub device: DeviceSummary,
    /// Ask the worker for this device's MUD draft.
    pub on_export: Callback<ExportKind>,
    /// Shown after the service table (the device's time charts and exports).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(ServiceChart)]
pub fn service_chart(props: &ServiceChartProps) -> Html {
    let chart = Rc::new(Chart::Prevalence {
        services: props.device.services.clone(),
        title: props.device.key.clone(),
    });
    let file_stem = format!("services-{}", props.device.key.replace([':', '.'], "-"));
    let on_mud = {
        let (cb, key) = (props.on_export.clone(), props.device.key.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(ExportKind::Mud {
                device: key.clone(),
            })
        })
    };
    let d = &props.device;
    html! {
        <section class="device-detail" id="device-detail" data-key={d.key.clone()}>
            <h2>{ format!("Services of {}", d.key) }</h2>
            <ChartView chart={chart} id="service-chart" stem={file_stem} wide={true}
                label={format!("Prevalence of the services of {}", d.key)} />
            <div class="mapper-buttons">
                <button type="button" class="secondary" id="export-mud" onclick={on_mud}>{ "MUD draft (JSON)" }</button>
            </div>
            <h3>{ "Services" }</h3>
            <table id="service-table">
                <thead><tr>
                    <th scope="col">{ "service" }</th>
                    <th scope="col" class="num">{ "prevalence" }</th>
                    <th scope="col" class="num">{ "flows" }</th>
                </tr></thead>
                <tbody>
                { for d.services.iter().map(|s| html! {
                    <tr data-service={s.service.clone()}>
                        <td>{ s.service.clone() }</td>
                        <td class="num">{ format!("{:.3}", s.prevalence) }</td>
                        <td class="num">{ s.flows }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            { props.children.clone() }
        </section>
    }
}
