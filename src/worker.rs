//! The ingest Web Worker: owns the [`Ingest`] of the current run, so parsing and
//! aggregation never run on the page's thread.

use crate::ingest::Ingest;
use crate::protocol::{FromWorker, ToWorker};
use gloo_worker::{Codec, HandlerId, Worker, WorkerScope};
use svcprint_engine::Config;
use svcprint_flow::Limits;
use wasm_bindgen::JsValue;

pub struct IngestWorker {
    run: Option<(u32, Ingest)>,
}

impl Worker for IngestWorker {
    type Message = ();
    type Input = ToWorker;
    type Output = FromWorker;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        IngestWorker { run: None }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            ToWorker::Start { run, files } => {
                let names: Vec<String> = files.into_iter().map(|f| f.name).collect();
                match Ingest::new(&names, Config::default(), Limits::default()) {
                    Ok(ingest) => self.run = Some((run, ingest)),
                    Err(e) => {
                        self.run = None;
                        scope.respond(
                            id,
                            FromWorker::Failed {
                                run,
                                message: e.to_string(),
                            },
                        );
                    }
                }
            }
            ToWorker::Chunk { run, file, bytes } => {
                if let Some(ingest) = self.current(run) {
                    ingest.feed(file, &bytes);
                    let records = ingest.records();
                    scope.respond(
                        id,
                        FromWorker::Ack {
                            run,
                            file,
                            bytes: bytes.len() as u64,
                            records,
                        },
                    );
                }
            }
            ToWorker::EndFile { run, file } => {
                if let Some(ingest) = self.current(run) {
                    if let Some(summary) = ingest.end_file(file) {
                        scope.respond(id, FromWorker::FileDone { run, file, summary });
                    }
                }
            }
            ToWorker::Finish { run } => match self.run.take() {
                Some((r, ingest)) if r == run => {
                    let records = ingest.records();
                    let (_, devices) = ingest.finish();
                    scope.respond(
                        id,
                        FromWorker::Finished {
                            run,
                            records,
                            devices,
                            labels: Vec::new(),
                        },
                    );
                }
                other => {
                    self.run = other;
                    scope.respond(
                        id,
                        FromWorker::Failed {
                            run,
                            message: "the worker has no such run".into(),
                        },
                    );
                }
            },
            ToWorker::Demo { run } => {
                self.run = None;
                match crate::ingest::demo(&Config::default()) {
                    Ok((summary, devices, labels)) => {
                        let records = summary.records;
                        scope.respond(
                            id,
                            FromWorker::FileDone {
                                run,
                                file: 0,
                                summary,
                            },
                        );
                        scope.respond(
                            id,
                            FromWorker::Finished {
                                run,
                                records,
                                devices,
                                labels,
                            },
                        );
                    }
                    Err(e) => scope.respond(
                        id,
                        FromWorker::Failed {
                            run,
                            message: e.to_string(),
                        },
                    ),
                }
            }
            ToWorker::Cancel { run } => {
                if self.run.as_ref().is_some_and(|(r, _)| *r == run) {
                    self.run = None;
                }
            }
        }
    }
}

impl IngestWorker {
    fn current(&mut self, run: u32) -> Option<&mut Ingest> {
        match &mut self.run {
            Some((r, ingest)) if *r == run => Some(ingest),
            _ => None,
        }
    }
}

/// The message codec of both ends: serde-wasm-bindgen (self-describing JS values; byte
/// buffers travel as `Uint8Array`). gloo-worker's default, bincode, cannot carry the
/// optional fields our diagnostics skip when empty.
pub struct JsCodec;

impl Codec for JsCodec {
    fn encode<I: serde::Serialize>(input: I) -> JsValue {
        // Our message types contain only plain data; failure here is a bug, not bad input.
        serde_wasm_bindgen::to_value(&input)
            .unwrap_or_else(|e| JsValue::from_str(&format!("encode error: {e}")))
    }

    fn decode<O: for<'de> serde::Deserialize<'de>>(input: JsValue) -> O {
        match serde_wasm_bindgen::from_value(input) {
            Ok(v) => v,
            Err(e) => panic!("svcprint worker message could not be decoded: {e}"),
        }
    }
}
