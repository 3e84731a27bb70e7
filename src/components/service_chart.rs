//! The selected device's services: a plotters bar chart of their prevalence on a canvas,
//! and the same numbers as a table (readable by screen readers and tests).

use crate::analysis::ExportKind;
use crate::charts::prevalence;
use crate::download::{save_text, save_url};
use plotters::prelude::IntoDrawingArea;
use plotters::prelude::SVGBackend;
use plotters_canvas::CanvasBackend;
use svcprint_engine::DeviceSummary;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServiceChartProps {
    pub device: DeviceSummary,
    /// Ask the worker for this device's MUD draft.
    pub on_export: Callback<ExportKind>,
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
    let file_stem = format!("services-{}", props.device.key.replace([':', '.'], "-"));
    let on_svg = {
        let (device, stem) = (props.device.clone(), file_stem.clone());
        Callback::from(move |_: MouseEvent| {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(
                    &mut svg,
                    (WIDTH, prevalence::height_for(device.services.len())),
                )
                .into_drawing_area();
                let _ = prevalence::draw(&root, &device.services, &device.key);
            }
            let _ = save_text(&format!("{stem}.svg"), "image/svg+xml", &svg);
        })
    };
    let on_png = {
        let (canvas, stem) = (canvas.clone(), file_stem);
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url().ok())
            {
                let _ = save_url(&format!("{stem}.png"), &url);
            }
        })
    };
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
            <canvas ref={canvas} id="service-chart" width={WIDTH.to_string()} height={height.to_string()}
                role="img" aria-label={format!("Prevalence of the services of {}", d.key)}></canvas>
            <div class="mapper-buttons">
                <button type="button" class="secondary" id="export-svg" onclick={on_svg}>{ "Chart as SVG" }</button>
                <button type="button" class="secondary" id="export-png" onclick={on_png}>{ "Chart as PNG" }</button>
                <button type="button" class="secondary" id="export-mud" onclick={on_mud}>{ "MUD draft (JSON)" }</button>
            </div>
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
