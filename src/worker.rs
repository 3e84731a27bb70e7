//! The ingest Web Worker: reads the run's files itself (the page posts their `File`
//! objects) and owns the [`Ingest`] of the current run, then the run's
//! aggregates, labels and configuration, so parsing, aggregation and every recomputation
//! run off the page's thread.

use crate::analysis::{analyse_with, Analysis};
use crate::ingest::Ingest;
use crate::labelling::{label_list, Labelling};
use crate::protocol::{DeviceLabel, FromWorker, PackedAnalysis, ToWorker, CHUNK_BYTES};
use gloo_worker::{Codec, HandlerId, Worker, WorkerScope};
use svcprint_engine::{Aggregates, Config, Labels};
use svcprint_flow::Limits;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The files of a run being read in the worker: the file being read and how.
struct Reading {
    run: u32,
    id: HandlerId,
    files: Vec<web_sys::File>,
    file: usize,
    source: Source,
    /// Bytes decoded since the last `Ack` (progress goes out every `CHUNK_BYTES`).
    unacked: u64,
}

/// How the current file is read.
enum Source {
    /// Not opened yet.
    Closed,
    /// Its stream, read into the worker's one reused buffer (a BYOB reader): no new
    /// `ArrayBuffer` per read, so no garbage grows with the input.
    Stream(web_sys::ReadableStreamByobReader),
    /// Where the browser gives no byte stream for files: `CHUNK_BYTES` slices by
    /// `Blob.arrayBuffer` (a new buffer each), the next one starting at `offset`.
    Slices { offset: f64 },
}

/// A read of the browser has ended: `Ok` with the stream's `{ value, done }` or a slice's
/// `ArrayBuffer`, or why it could not be read.
pub struct SliceRead {
    run: u32,
    result: Result<JsValue, JsValue>,
}

pub struct IngestWorker {
    run: Option<(u32, Ingest)>,
    reading: Option<Reading>,
    /// The buffer the stream reads fill, `CHUNK_BYTES` long: handed to each read and given
    /// back by it (transferred, not copied); `None` while a read has it.
    buffer: Option<js_sys::ArrayBuffer>,
    /// The bytes of the last read, copied out of the buffer so that the next read runs
    /// while they are decoded; reused, at most `CHUNK_BYTES` long.
    bytes: Vec<u8>,
    aggregates: Option<Aggregates>,
    /// Imported and inline labels, and an imported library.
    labelling: Labelling,
    config: Config,
}

impl Worker for IngestWorker {
    type Message = SliceRead;
    type Input = ToWorker;
    type Output = FromWorker;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        IngestWorker {
            run: None,
            reading: None,
            buffer: None,
            bytes: Vec::new(),
            aggregates: None,
            labelling: Labelling::default(),
            config: Config::default(),
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, msg: Self::Message) {
        self.slice_read(scope, msg);
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            ToWorker::Start { run, files, config } => {
                let files: Vec<_> = files.into_iter().map(|f| (f.name, f.options)).collect();
                self.aggregates = None;
                self.stop_reading();
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
            ToWorker::Read { run, files } => {
                if self.current(run).is_some() {
                    let files = files
                        .iter()
                        .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
                        .collect();
                    self.stop_reading();
                    self.reading = Some(Reading {
                        run,
                        id,
                        files,
                        file: 0,
                        source: Source::Closed,
                        unacked: 0,
                    });
                    self.advance(scope);
                }
            }
            ToWorker::Cancel { run } => {
                if self.run.as_ref().is_some_and(|(r, _)| *r == run) {
                    self.run = None;
                    self.stop_reading();
                }
            }
            ToWorker::Demo { run, config } => {
                self.run = None;
                self.stop_reading();
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

/// Progress: `bytes` more of file `file` decoded (nothing to say when 0), and the run's
/// records so far.
fn ack(
    scope: &WorkerScope<IngestWorker>,
    id: HandlerId,
    ingest: &Ingest,
    run: u32,
    file: u32,
    bytes: u64,
) {
    if bytes > 0 {
        let records = ingest.records();
        scope.respond(
            id,
            FromWorker::Ack {
                run,
                file,
                bytes,
                records,
            },
        );
    }
}

impl IngestWorker {
    /// Drops the reading of the run (a read in flight lands later and is ignored).
    fn stop_reading(&mut self) {
        if let Some(Reading {
            source: Source::Stream(reader),
            ..
        }) = self.reading.take()
        {
            let _ = reader.cancel();
        }
    }

    /// Starts the next read of the current file (one at a time: the browser reads while
    /// this thread decodes the bytes before).
    fn start_read(&mut self, scope: &WorkerScope<Self>) {
        let Some(r) = &mut self.reading else { return };
        let read = match &mut r.source {
            Source::Closed => return,
            Source::Stream(reader) => {
                let buffer = self
                    .buffer
                    .take()
                    .unwrap_or_else(|| js_sys::ArrayBuffer::new(CHUNK_BYTES as u32));
                let view = js_sys::Uint8Array::new(&buffer);
                Ok(JsFuture::from(reader.read_with_array_buffer_view(&view)))
            }
            Source::Slices { offset } => {
                let file = &r.files[r.file];
                let end = (*offset + CHUNK_BYTES as f64).min(file.size());
                let read = file
                    .slice_with_f64_and_f64(*offset, end)
                    .map(|blob| JsFuture::from(blob.array_buffer()));
                *offset = end;
                read
            }
        };
        let (run, scope) = (r.run, scope.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = match read {
                Ok(read) => read.await,
                Err(e) => Err(e),
            };
            scope.send_message(SliceRead { run, result });
        });
    }

    /// At the start and after the current file's last bytes: opens the next file with
    /// bytes and starts reading it (ending the empty ones and the one just read), or
    /// finishes the run.
    fn advance(&mut self, scope: &WorkerScope<Self>) {
        while let Some(r) = &mut self.reading {
            let (run, id) = (r.run, r.id);
            let Some(f) = r.files.get(r.file) else {
                self.reading = None;
                // The read buffers' memory goes back to the allocator for the aggregates
                // that finishing builds (wasm memory never shrinks: this lowers its peak).
                self.bytes = Vec::new();
                self.buffer = None;
                return self.finish_run(scope, id, run);
            };
            match &r.source {
                Source::Closed if f.size() > 0.0 => {
                    r.source = match web_sys::ReadableStreamByobReader::new(&f.stream()) {
                        Ok(reader) => Source::Stream(reader),
                        Err(_) => Source::Slices { offset: 0.0 },
                    };
                    return self.start_read(scope);
                }
                Source::Slices { offset } if *offset < f.size() => {
                    return self.start_read(scope);
                }
                _ => {
                    let file = r.file as u32;
                    r.file += 1;
                    r.source = Source::Closed;
                    let unacked = std::mem::take(&mut r.unacked);
                    if let Some(ingest) = self.current(run) {
                        ack(scope, id, ingest, run, file, unacked);
                        if let Some(summary) = ingest.end_file(file) {
                            scope.respond(id, FromWorker::FileDone { run, file, summary });
                        }
                    }
                }
            }
        }
    }

    /// A read has ended: copy its bytes out, start the next read, decode them.
    fn slice_read(&mut self, scope: &WorkerScope<Self>, msg: SliceRead) {
        // A stream read gives the buffer back, whichever run it was for.
        let view = msg.result.as_ref().ok().and_then(|v| {
            js_sys::Reflect::get(v, &JsValue::from_str("value"))
                .ok()?
                .dyn_into::<js_sys::Uint8Array>()
                .ok()
        });
        if let Some(view) = &view {
            let buffer = view.buffer();
            if buffer.byte_length() as usize == CHUNK_BYTES {
                self.buffer = Some(buffer);
            }
        }
        if self.current(msg.run).is_none() {
            return; // cancelled or replaced
        }
        let Some(r) = self.reading.as_mut().filter(|r| r.run == msg.run) else {
            return;
        };
        let (run, id, file) = (r.run, r.id, r.file);
        let value = match msg.result {
            Ok(value) => value,
            Err(e) => {
                let message = format!("reading {}: {e:?}", r.files[file].name());
                self.stop_reading();
                self.run = None;
                return scope.respond(id, FromWorker::Failed { run, message });
            }
        };
        // The bytes read (none at the end of a stream) and whether more follow.
        let (bytes, more) = match &r.source {
            Source::Stream(_) => {
                let done = js_sys::Reflect::get(&value, &JsValue::from_str("done"))
                    .map_or(true, |d| d.is_truthy());
                (view.filter(|_| !done), !done)
            }
            Source::Slices { offset } => (
                Some(js_sys::Uint8Array::new(&value)),
                *offset < r.files[file].size(),
            ),
            Source::Closed => (None, false),
        };
        let n = bytes.as_ref().map_or(0, |b| b.length() as usize);
        if let Some(bytes) = &bytes {
            if self.bytes.len() < n {
                self.bytes.resize(n.max(CHUNK_BYTES), 0);
            }
            bytes.copy_to(&mut self.bytes[..n]);
        }
        if more {
            self.start_read(scope);
        }
        let mut unacked = 0;
        if let Some(r) = &mut self.reading {
            r.unacked += n as u64;
            if r.unacked >= CHUNK_BYTES as u64 && more {
                unacked = std::mem::take(&mut r.unacked);
            }
        }
        let bytes = std::mem::take(&mut self.bytes);
        if let Some(ingest) = self.current(run) {
            ingest.feed(file as u32, &bytes[..n]);
            ack(scope, id, ingest, run, file as u32, unacked);
        }
        self.bytes = bytes;
        if !more {
            self.advance(scope);
        }
    }

    /// Every file of run `run` has ended: compute and send the results.
    fn finish_run(&mut self, scope: &WorkerScope<Self>, id: HandlerId, run: u32) {
        match self.run.take() {
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
        }
    }

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
