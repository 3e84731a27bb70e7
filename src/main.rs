//! Entry point of the svcprint page.

#[cfg(target_arch = "wasm32")]
fn main() {
    use svcprint_web::components::app::App;
    match gloo::utils::document().get_element_by_id("app") {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("svcprint-web runs in a browser: see README.md (scripts/serve.sh)");
}
