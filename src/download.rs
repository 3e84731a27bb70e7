//! Saving a file made in the page: a Blob, an object URL and a click on a temporary
//! `<a download>`. Nothing leaves the machine.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offer `text` for download as `name` with MIME type `mime`.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| format!("{e:?}"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let result = click(name, &url);
    let _ = Url::revoke_object_url(&url);
    result
}

/// Offer a `data:` URL (a canvas' PNG) for download as `name`.
pub fn save_url(name: &str, url: &str) -> Result<(), String> {
    click(name, url)
}

fn click(name: &str, url: &str) -> Result<(), String> {
    let doc = gloo::utils::document();
    let a: HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor".to_string())?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}
