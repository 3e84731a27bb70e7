//! What the worker does with the bytes of a run: one [`svcprint_flow::FileDecoder`] per
//! file, every record straight into one [`svcprint_engine::Aggregator`]. Plain Rust, so it
//! is tested natively on the corpus and gives the same numbers as the CLI.

use svcprint_engine::{device_summaries, Aggregator, Config, ConfigError, DeviceSummary};
use svcprint_flow::{FileDecoder, FileSummary, FlowRecord, Limits};

/// One run over a list of files, fed slice by slice.
pub struct Ingest {
    config: Config,
    aggregator: Aggregator,
    decoders: Vec<Option<FileDecoder>>,
    batch: Vec<FlowRecord>,
    records: u64,
}

impl Ingest {
    /// A run over files named `names` (file index = position). Fails only on an invalid config.
    pub fn new(names: &[String], config: Config, limits: Limits) -> Result<Self, ConfigError> {
        let decoders = names
            .iter()
            .enumerate()
            .map(|(i, n)| Some(FileDecoder::new(i as u32, n, limits.clone())))
            .collect();
        Ok(Ingest {
            aggregator: Aggregator::new(&config)?,
            config,
            decoders,
            batch: Vec::with_capacity(4096),
            records: 0,
        })
    }

    /// Decode a slice of file `file` and aggregate its records. Unknown or finished
    /// files are ignored (returns false).
    pub fn feed(&mut self, file: u32, bytes: &[u8]) -> bool {
        let Some(Some(dec)) = self.decoders.get_mut(file as usize) else {
            return false;
        };
        dec.feed(bytes, &mut self.batch);
        self.flush();
        true
    }

    /// End of file `file`: its summary (None when unknown or already finished).
    pub fn end_file(&mut self, file: u32) -> Option<FileSummary> {
        let mut dec = self.decoders.get_mut(file as usize)?.take()?;
        let summary = dec.finish(&mut self.batch);
        self.flush();
        Some(summary)
    }

    fn flush(&mut self) {
        self.records += self.batch.len() as u64;
        self.aggregator.add_all(&self.batch);
        self.batch.clear();
    }

    /// Records decoded so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The per-device summary over everything fed (files not ended are ended first).
    pub fn finish(mut self) -> (Vec<FileSummary>, Vec<DeviceSummary>) {
        let mut summaries = Vec::new();
        for i in 0..self.decoders.len() {
            if let Some(s) = self.end_file(i as u32) {
                summaries.push(s);
            }
        }
        let aggregates = self.aggregator.finish();
        (summaries, device_summaries(&aggregates, &self.config))
    }
}
