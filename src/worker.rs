//! The ingest Web Worker: owns the [`Ingest`] of the current run, then the run's
//! aggregates, labels and configuration, so parsing, aggregation and every recomputation
//! run off the page's thread.

use crate::analysis::{analyse_with, Analysis};
use crate::ingest::Ingest;
use crate::labelling::{label_list, Labelling};
use crate::protocol::{DeviceLabel, FromWorker, PackedAnalysis, ToWorker};
use gloo_worker::{Codec, HandlerId, Worker, WorkerScope};
use svcprint_engine::{Aggregates, Config, Labels};
use svcprint_flow::Limits;
use wasm_bindgen::JsValue;

pub struct IngestWorker {
    run: Option<(u32, Ingest)>,
    aggregates: Option<Aggregates>,
    /// Imported and inline labels, and an imported library.
    labelling: Labelling,
    config: Config,
}

impl Worker for IngestWorker {
    type Message = ();
    type Input = ToWorker;
    type Output = FromWorker;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        IngestWorker {
            run: None,
            aggregates: None,
            labelling: Labelling::default(),
            config: Config::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            ToWorker::Start { run, files, config } => {
                let files: Vec<_> = files.into_iter().map(|f| (f.name, f.options)).collect();
                self.aggregates = None;
                match Ingest::with_options(&files, config.clone(), Limits::default()) {
                    Ok(ingest) => {
                        self.config = config;
                        self.run = Some((run, ingest));
                    }
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
                    let (_, aggregates) = ingest.finish_aggregates();
                    let analysis = self.analyse(&aggregates);
                    self.aggregates = Some(aggregates);
                    scope.respond(id, self.finished(run, records, analysis));
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
            ToWorker::Cancel { run } => {
                if self.run.as_ref().is_some_and(|(r, _)| *r == run) {
                    self.run = None;
                }
            }
            ToWorker::Demo { run, config } => {
                self.run = None;
                match crate::ingest::demo(&config) {
                    Ok((summary, aggregates, labels)) => {
                        let records = summary.records;
                        self.config = config;
                        scope.respond(
                            id,
                            FromWorker::LabelsRead {
                                name: crate::labelling::DEMO_LABELS.into(),
                                count: labels.len(),
                                errors: Vec::new(),
                                labels: label_list(&labels),
                            },
                        );
                        self.labelling.set_imported(labels);
                        let analysis = self.analyse(&aggregates);
                        self.aggregates = Some(aggregates);
                        scope.respond(
                            id,
                            FromWorker::FileDone {
                                run,
                                file: 0,
                                summary,
                            },
                        );
                        scope.respond(id, self.finished(run, records, analysis));
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
            ToWorker::Configure { config } => match config.validate() {
                Ok(()) => {
                    self.config = config;
                    self.reanalyse(scope, id);
                }
                Err(e) => scope.respond(
                    id,
                    FromWorker::ConfigRejected {
                        message: e.to_string(),
                    },
                ),
            },
            ToWorker::Export { kind } => {
                let answer = match &self.aggregates {
                    Some(aggregates) => crate::analysis::export(
                        aggregates,
                        self.labelling.labels(),
                        &self.config,
                        &kind,
                    ),
                    None => Err("load files or the demo first".into()),
                };
                scope.respond(
                    id,
                    match answer {
                        Ok(d) => FromWorker::Download(d),
                        Err(message) => FromWorker::ExportFailed { message },
                    },
                );
            }
            ToWorker::Detail { key } => {
                if let Some(aggregates) = &self.aggregates {
                    let act = svcprint_engine::activity(aggregates, &self.config);
                    // A device without active bins gets an empty detail (the view says so).
                    let d = crate::detail::device_detail(&act, &key, &self.config).unwrap_or_else(
                        || crate::detail::DeviceDetail {
                            key,
                            ..Default::default()
                        },
                    );
                    scope.respond(id, FromWorker::Detail(Box::new(d)));
                }
            }
            ToWorker::Labels { name, text } => {
                let (labels, errors) = Labels::parse(&text);
                let count = labels.len();
                let errors = errors.iter().map(ToString::to_string).collect();
                scope.respond(
                    id,
                    FromWorker::LabelsRead {
                        name,
                        count,
                        errors,
                        labels: label_list(&labels),
                    },
                );
                self.labelling.set_imported(labels);
                self.reanalyse(scope, id);
            }
            ToWorker::InlineLabels { labels } => {
                self.labelling.set_inline(labels);
                self.reanalyse(scope, id);
            }
            ToWorker::Library { name, text, adopt } => {
                match self.labelling.import_library(&name, &text) {
                    Ok(lib) => {
                        let read = FromWorker::LibraryRead {
                            name,
                            fingerprints: lib.entries.len(),
                            labels: lib.labels().len(),
                            representation: lib.params.representation.label(lib.params.granularity),
                            config: adopt.then(|| lib.params.clone()),
                        };
                        if adopt {
                            self.config = lib.params.clone();
                        }
                        scope.respond(id, read);
                        self.reanalyse(scope, id);
                    }
                    Err(message) => scope.respond(id, FromWorker::LibraryRefused { message }),
                }
            }
            ToWorker::DropLibrary => {
                self.labelling.drop_library();
                self.reanalyse(scope, id);
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

    fn label_list(&self) -> Vec<DeviceLabel> {
        label_list(self.labelling.labels())
    }

    fn analyse(&self, aggregates: &Aggregates) -> Analysis {
        analyse_with(
            aggregates,
            self.labelling.labels(),
            &self.config,
            self.labelling.library(),
        )
    }

    fn reanalyse(&self, scope: &WorkerScope<Self>, id: HandlerId) {
        let started = js_sys::Date::now();
        let analysis = match &self.aggregates {
            Some(aggregates) => self.analyse(aggregates),
            None => return,
        };
        let packed = PackedAnalysis::pack(analysis);
        let ms = js_sys::Date::now() - started;
        scope.respond(
            id,
            match packed {
                Ok(analysis) => FromWorker::Analysed {
                    analysis,
                    labels: self.label_list(),
                    ms,
                },
                Err(message) => FromWorker::ConfigRejected { message },
            },
        );
    }

    /// The results of run `run`, or why they cannot be sent.
    fn finished(&self, run: u32, records: u64, analysis: Analysis) -> FromWorker {
        match PackedAnalysis::pack(analysis) {
            Ok(analysis) => FromWorker::Finished {
                run,
                records,
                analysis,
                labels: self.label_list(),
            },
            Err(message) => FromWorker::Failed { run, message },
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
