//! The tab bar of the result views (WAI-ARIA tabs: one tab stop, the arrow keys, Home
//! and End move between tabs).

use crate::state::View;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ViewTabsProps {
    pub current: View,
    pub on_select: Callback<View>,
}

/// Moves the keyboard focus to `view`'s tab.
pub fn focus_tab(view: View) {
    if let Some(el) = gloo::utils::document()
        .get_element_by_id(&format!("tab-{}", view.slug()))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

#[function_component(ViewTabs)]
pub fn view_tabs(props: &ViewTabsProps) -> Html {
    let on_key = {
        let (current, on_select) = (props.current, props.on_select.clone());
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" => current.step(1),
                "ArrowLeft" => current.step(-1),
                "Home" => View::ALL[0],
                "End" => View::ALL[View::ALL.len() - 1],
                _ => return,
            };
            e.prevent_default();
            on_select.emit(next);
            focus_tab(next);
        })
    };
    html! {
        <div class="tabs" role="tablist" aria-label="Views" onkeydown={on_key}>
            { for View::ALL.iter().map(|&v| {
                let on_select = props.on_select.clone();
                let active = v == props.current;
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", v.slug())}
                        aria-selected={active.to_string()} aria-controls={format!("view-{}", v.slug())}
                        tabindex={if active { "0" } else { "-1" }}
                        class={classes!("tab", active.then_some("active"))}
                        onclick={Callback::from(move |_| on_select.emit(v))}>{ v.title() }</button>
                }
            }) }
        </div>
    }
}
