//! The selected device's services: a plotters bar chart of their prevalence on a canvas,
//! and the same numbers as a table (readable by screen readers and tests).

use crate::charts::prevalence;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use svcprint_engine::DeviceSummary;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServiceChartProps {
    pub device: DeviceSummary,
}

const WIDTH: u32 = 640;

#[function_component(ServiceChart)]
pub fn service_chart(props: &ServiceChartProps) -> Html {
    let canvas = use_node_ref();
    let height = prevalence::height_for(props.device.services.len());
    {
        let canvas = canvas.clone();
        use_effect_with(props.device.clone(), move |device| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                if let Some(backend) = CanvasBackend::with_canvas_object(el) {
                    let root = backend.into_drawing_area();
                    // A drawing error leaves the table below as the record of the numbers.
                    let _ = prevalence::draw(&root, &device.services, &device.key);
                }
            }
        });
    }
    let d = &props.device;
    html! {
        <section class="device-detail" id="device-detail" data-key={d.key.clone()}>
            <h2>{ format!("Services of {}", d.key) }</h2>
            <canvas ref={canvas} id="service-chart" width={WIDTH.to_string()} height={height.to_string()}
                role="img" aria-label={format!("Prevalence of the services of {}", d.key)}></canvas>
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
        </section>
    }
}
