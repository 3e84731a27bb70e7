//! Reads the user's files slice by slice on the page's thread (the browser does the
//! actual reading off-thread) and streams them to the worker, at most
//! [`IN_FLIGHT`](crate::protocol::IN_FLIGHT) slices ahead of its acknowledgements.

use crate::protocol::{ToWorker, CHUNK_BYTES, IN_FLIGHT};
use crate::worker::IngestWorker;
use futures::channel::mpsc::UnboundedReceiver;
use futures::StreamExt;
use gloo_worker::WorkerBridge;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Send every file of run `run` to the worker, then ask for the results. Stops early when
/// `current` no longer equals `run` (cancelled or replaced). The next slice is read while
/// the worker decodes the ones before it, so neither waits for the other.
pub async fn stream_files(
    run: u32,
    files: Vec<web_sys::File>,
    bridge: Rc<WorkerBridge<IngestWorker>>,
    mut acks: UnboundedReceiver<()>,
    current: Rc<Cell<u32>>,
) -> Result<(), String> {
    let mut in_flight = 0usize;
    for (index, file) in files.iter().enumerate() {
        let size = file.size();
        let reading = |start: f64| start_read(file, start, (start + CHUNK_BYTES as f64).min(size));
        let mut next = (0f64 < size).then(|| reading(0.0));
        while let Some((end, read)) = next.take() {
            if current.get() != run {
                return Ok(());
            }
            let buffer = read
                .map_err(|e| format!("reading {}: {e:?}", file.name()))?
                .await
                .map_err(|e| format!("reading {}: {e:?}", file.name()))?;
            next = (end < size).then(|| reading(end));
            bridge.send(ToWorker::Chunk {
                run,
                file: index as u32,
                bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
            });
            in_flight += 1;
            while in_flight >= IN_FLIGHT {
                if acks.next().await.is_none() {
                    return Err("the worker stopped answering".into());
                }
                in_flight -= 1;
            }
        }
        bridge.send(ToWorker::EndFile {
            run,
            file: index as u32,
        });
    }
    if current.get() == run {
        bridge.send(ToWorker::Finish { run });
    }
    Ok(())
}

/// Starts reading bytes `start..end` of `file` (the browser reads off this thread);
/// returns `end` and the read to await.
fn start_read(file: &web_sys::File, start: f64, end: f64) -> (f64, Result<JsFuture, JsValue>) {
    let read = file
        .slice_with_f64_and_f64(start, end)
        .map(|blob| JsFuture::from(blob.array_buffer()));
    (end, read)
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
