//! Entry point of the ingest Web Worker (Trunk `data-type="worker"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    use gloo_worker::Registrable;
    use svcprint_web::worker::{IngestWorker, JsCodec};
    IngestWorker::registrar().encoding::<JsCodec>().register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the svcprint worker runs in a browser; build it with trunk");
}
