//! "Save in this browser" and "Clear saved data": the labels, the imported library and
//! the parameters go to the browser's local storage only when the user asks
//! ([`crate::saved`] is what is stored); clearing removes every key svcprint wrote there,
//! the remembered column mappings included. Also the storage calls, which report quota
//! and access errors as text instead of failing.

use crate::saved::{PREFIX, SAVED_KEY};
use crate::state::StorageNote;
use yew::prelude::*;

fn storage() -> Result<web_sys::Storage, String> {
    let w = web_sys::window().ok_or("no window")?;
    match w.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser offers no local storage".into()),
        Err(e) => Err(format!(
            "local storage is not available here ({})",
            js_text(&e)
        )),
    }
}

/// A thrown value as text: a DOMException's name and message (`QuotaExceededError: ...`).
fn js_text(v: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    match v.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => v.as_string().unwrap_or_else(|| format!("{v:?}")),
    }
}

/// The saved state's text, if any.
pub fn load() -> Result<Option<String>, String> {
    storage()?
        .get_item(SAVED_KEY)
        .map_err(|e| format!("it could not be read ({})", js_text(&e)))
}

/// Stores `text`; a full storage (quota) or a refusal comes back as text.
pub fn save(text: &str) -> Result<(), String> {
    storage()?.set_item(SAVED_KEY, text).map_err(|e| {
        let t = js_text(&e);
        if t.contains("Quota") {
            format!("the browser's storage for this page is full ({t})")
        } else {
            t
        }
    })
}

/// Removes every key svcprint stored (saved state, remembered column mappings); returns
/// how many there were.
pub fn clear() -> Result<usize, String> {
    let s = storage()?;
    let n = s.length().map_err(|e| js_text(&e))?;
    let keys: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in &keys {
        s.remove_item(k).map_err(|e| js_text(&e))?;
    }
    Ok(keys.len())
}

#[derive(Properties, PartialEq)]
pub struct SavedPanelProps {
    pub note: Option<StorageNote>,
    pub on_save: Callback<MouseEvent>,
    pub on_clear: Callback<MouseEvent>,
}

#[function_component(SavedPanel)]
pub fn saved_panel(props: &SavedPanelProps) -> Html {
    html! {
        <section class="saved" id="saved">
            <button type="button" class="secondary" id="save-browser" onclick={props.on_save.clone()}>{ "Save in this browser" }</button>
            { " " }
            <button type="button" class="secondary" id="clear-saved" onclick={props.on_clear.clone()}>{ "Clear saved data" }</button>
            <span class="hint">{ " labels (imported and from the table), the imported library and the parameters; nothing is stored unless you press Save" }</span>
            if let Some(n) = &props.note {
                <p id="saved-note" class={if n.ok { "note-ok" } else { "error" }} role={if n.ok { "status" } else { "alert" }}>{ n.text.clone() }</p>
            }
        </section>
    }
}
