//! Messages between the page and the ingest worker. Every run-scoped message carries the
//! `run` it belongs to, so answers of a cancelled run are ignored. The engine never sees
//! these.

use crate::analysis::{Analysis, DeviceFingerprints, Download, ExportKind};
use crate::detail::DeviceDetail;
use serde::{Deserialize, Serialize};
use svcprint_engine::{Config, DeviceSummary};
use svcprint_flow::{DecodeOptions, FileSummary};

/// Bytes per file slice sent to the worker (messages are copied, not transferred). Each
/// slice costs a round trip through the browser's file reader and the worker's queue
/// (tens of ms on a busy machine), so slices are not small (1 MiB left the worker idle);
/// 8 MiB made main-thread tasks of over 100 ms (the copies and their garbage) at 10 M flows.
pub const CHUNK_BYTES: usize = 4 << 20;
/// Slices sent ahead of the worker's acknowledgements.
pub const IN_FLIGHT: usize = 3;

/// An [`Analysis`] as it travels from worker to page: its per-device lists (summaries and
/// fingerprints, the part that grows with the devices) as one bincode buffer, which
/// crosses as a single `Uint8Array` and decodes in a few milliseconds, where thousands of
/// devices as JS objects read field by field took tens. The rest travels as usual
/// (bincode is not self-describing: it cannot carry tagged enums or skipped fields, so
/// only these plain lists go this way; the analysis test round-trips a labelled demo).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackedAnalysis {
    /// Everything but `devices` and `fingerprints` (left empty).
    rest: Analysis,
    #[serde(with = "serde_bytes")]
    lists: Vec<u8>,
}

type DeviceLists = (Vec<DeviceSummary>, Vec<DeviceFingerprints>);

impl PackedAnalysis {
    pub fn pack(mut analysis: Analysis) -> Result<PackedAnalysis, String> {
        let lists: DeviceLists = (
            std::mem::take(&mut analysis.devices),
            std::mem::take(&mut analysis.fingerprints),
        );
        Ok(PackedAnalysis {
            lists: bincode::serialize(&lists).map_err(|e| e.to_string())?,
            rest: analysis,
        })
    }

    pub fn unpack(self) -> Result<Analysis, String> {
        let (devices, fingerprints): DeviceLists =
            bincode::deserialize(&self.lists).map_err(|e| e.to_string())?;
        Ok(Analysis {
            devices,
            fingerprints,
            ..self.rest
        })
    }
}

/// A device's name and type (from a label file, or the demo's own labels).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DeviceLabel {
    pub key: String,
    pub name: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileMeta {
    pub name: String,
    pub size: u64,
    /// Column mapping and time zone for text files (empty: detect the dialect).
    #[serde(default)]
    pub options: DecodeOptions,
}

/// Page -> worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// A new run over these files (in this order) with this configuration; drops any
    /// previous run and its results.
    Start {
        run: u32,
        files: Vec<FileMeta>,
        config: Config,
    },
    /// Read these files (the page's `File` objects, in the run's order) in the worker,
    /// slice by slice, then send the results: the page's thread stays out of the data
    /// path. Progress comes back as [`FromWorker::Ack`] per slice.
    #[cfg(target_arch = "wasm32")]
    Read {
        run: u32,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        files: js_sys::Array,
    },
    /// Stop and forget the run.
    Cancel { run: u32 },
    /// A run over the built-in demo: the simulated fleet (svcprint-sim), labelled.
    Demo { run: u32, config: Config },
    /// New parameters for the kept results (those that shape aggregation, such as the bin
    /// width, apply from the next run).
    Configure { config: Config },
    /// A label file's text (replaces the imported labels; inline labels stay on top).
    Labels { name: String, text: String },
    /// The labels given in the device table (replaces them all; inline wins over imported).
    InlineLabels { labels: Vec<DeviceLabel> },
    /// A library JSON (as `svcprint library` writes it) to identify against. With
    /// `adopt`, its parameters become those in force, as `svcprint identify --library` uses
    /// them (a restored library keeps the restored parameters).
    Library {
        name: String,
        text: String,
        adopt: bool,
    },
    /// Identify against the library built from the labelled devices again.
    DropLibrary,
    /// Make a download from the kept results.
    Export { kind: ExportKind },
    /// The Device view's activity raster and exporter timeline of one device.
    Detail { key: String },
}

/// Worker -> page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// A slice was processed: `bytes` of it, `records` decoded so far in the run.
    Ack {
        run: u32,
        file: u32,
        bytes: u64,
        records: u64,
    },
    /// A file is finished.
    FileDone {
        run: u32,
        file: u32,
        summary: FileSummary,
    },
    /// Every file is finished: the results and the known device names.
    Finished {
        run: u32,
        records: u64,
        analysis: PackedAnalysis,
        labels: Vec<DeviceLabel>,
    },
    /// The kept results recomputed (new parameters or labels), and how long it took.
    Analysed {
        analysis: PackedAnalysis,
        labels: Vec<DeviceLabel>,
        ms: f64,
    },
    /// A label file was read (or the demo's labels): how many devices it names, its bad
    /// lines, and its labels.
    LabelsRead {
        name: String,
        count: usize,
        errors: Vec<String>,
        labels: Vec<DeviceLabel>,
    },
    /// A library was imported: its fingerprints and labels, and the parameters now in
    /// force when it was adopted.
    LibraryRead {
        name: String,
        fingerprints: usize,
        labels: usize,
        representation: String,
        config: Option<Config>,
    },
    /// A library could not be read (the library in use stays).
    LibraryRefused { message: String },
    /// A download made in the worker (the page saves it; nothing is uploaded).
    Download(Download),
    /// The detail of one device, for the current parameters.
    Detail(Box<DeviceDetail>),
    /// Why an export could not be made.
    ExportFailed { message: String },
    /// Parameters that do not validate (the previous ones stay in force).
    ConfigRejected { message: String },
    /// The run could not go on (a protocol error, never bad input: bad input gives diagnostics).
    Failed { run: u32, message: String },
}
