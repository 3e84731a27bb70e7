//! Any [`Chart`] on a canvas, with its SVG and PNG downloads: the SVG is the same drawing
//! rendered by plotters' SVG backend, the PNG the canvas itself. Wide charts scroll
//! sideways inside their frame (keyboard: focus the frame, then the arrow keys).

use crate::charts::Chart;
use crate::download::{save_text, save_url};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartViewProps {
    pub chart: Rc<Chart>,
    /// The canvas' id; the buttons are `{id}-svg` and `{id}-png`.
    pub id: AttrValue,
    /// File name without extension.
    pub stem: String,
    /// What the chart shows, for screen readers.
    pub label: String,
    /// Keep the natural size and scroll sideways instead of shrinking to the page width.
    #[prop_or_default]
    pub wide: bool,
}

#[function_component(ChartView)]
pub fn chart_view(props: &ChartViewProps) -> Html {
    let canvas = use_node_ref();
    let (width, height) = props.chart.size();
    {
        let canvas = canvas.clone();
        use_effect_with(props.chart.clone(), move |chart| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                if let Some(backend) = CanvasBackend::with_canvas_object(el) {
                    // A drawing error leaves the tables beside the chart as the record.
                    let _ = chart.draw(&backend.into_drawing_area());
                }
            }
        });
    }
    let on_svg = {
        let (chart, stem) = (props.chart.clone(), props.stem.clone());
        Callback::from(move |_: MouseEvent| {
            let _ = save_text(&format!("{stem}.svg"), "image/svg+xml", &chart.svg());
        })
    };
    let on_png = {
        let (canvas, stem) = (canvas.clone(), props.stem.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url().ok())
            {
                let _ = save_url(&format!("{stem}.png"), &url);
            }
        })
    };
    let canvas_html = html! {
        <canvas ref={canvas} id={props.id.clone()} width={width.to_string()} height={height.to_string()}
            role="img" aria-label={props.label.clone()}></canvas>
    };
    html! {
        <figure class={classes!("chart", props.wide.then_some("wide"))}>
            if props.wide {
                <div class="chart-scroll" tabindex="0" aria-label={format!("{} (scrolls sideways)", props.label)}>{ canvas_html }</div>
            } else {
                { canvas_html }
            }
            <figcaption class="chart-buttons">
                <button type="button" class="secondary" id={format!("{}-svg", props.id)} onclick={on_svg}>{ "Chart as SVG" }</button>
                <button type="button" class="secondary" id={format!("{}-png", props.id)} onclick={on_png}>{ "Chart as PNG" }</button>
            </figcaption>
        </figure>
    }
}
