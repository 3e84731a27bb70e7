//! Hands the user's files to the worker, which reads them itself (see
//! [`ToWorker::Read`]): the page's thread never copies file bytes; it only reads the
//! small preview of a text file for column mapping.

use crate::protocol::ToWorker;
use crate::worker::IngestWorker;
use futures::channel::mpsc::UnboundedReceiver;
use gloo_worker::WorkerBridge;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Post the `File` objects of run `run` to the worker (they are structured-cloned as
/// handles, not copied), which reads, decodes and answers with progress, per-file
/// summaries and the results. Does nothing when `current` no longer equals `run`.
/// The worker no longer waits for acknowledgements, so `_acks` is only drained by dropping.
pub async fn stream_files(
    run: u32,
    files: Vec<web_sys::File>,
    bridge: Rc<WorkerBridge<IngestWorker>>,
    _acks: UnboundedReceiver<()>,
    current: Rc<Cell<u32>>,
) -> Result<(), String> {
    if current.get() == run {
        let list = js_sys::Array::new();
        for f in &files {
            list.push(f);
        }
        bridge.send(ToWorker::Read { run, files: list });
    }
    Ok(())
}

pub async fn read_slice(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, JsValue> {
    let blob = file.slice_with_f64_and_f64(start, end)?;
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Bytes of a file read for its preview (the header and first rows).
pub const PREVIEW_BYTES: f64 = 256.0 * 1024.0;

/// The header and first rows of a file (text, or text inside .gz/.zip).
pub async fn preview_file(file: &web_sys::File) -> svcprint_flow::Preview {
    match read_slice(file, 0.0, file.size().min(PREVIEW_BYTES)).await {
        Ok(bytes) => svcprint_flow::preview(&bytes),
        Err(e) => svcprint_flow::Preview {
            problem: Some(format!("cannot read the file: {e:?}")),
            ..Default::default()
        },
    }
}

/// Remembered column mappings, in this browser's local storage (written only when the
/// user asks; [`forget_mappings`] clears them).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn remembered_mapping(preview: &svcprint_flow::Preview) -> Option<svcprint_flow::ColumnMap> {
    if preview.columns.is_empty() {
        return None;
    }
    let text = storage()?
        .get_item(&crate::mapping::storage_key(&preview.columns))
        .ok()??;
    crate::mapping::from_text(&text, preview)
}

pub fn remember_mapping(preview: &svcprint_flow::Preview, map: &svcprint_flow::ColumnMap) {
    if let Some(s) = storage() {
        let _ = s.set_item(
            &crate::mapping::storage_key(&preview.columns),
            &crate::mapping::to_text(map),
        );
    }
}

/// Removes every remembered mapping; returns how many there were.
pub fn forget_mappings() -> usize {
    let Some(s) = storage() else { return 0 };
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(crate::mapping::STORAGE_PREFIX))
        .collect();
    for k in &keys {
        let _ = s.remove_item(k);
    }
    keys.len()
}
