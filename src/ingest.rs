//! What the worker does with the bytes of a run: one [`svcprint_flow::FileDecoder`] per
//! file (all of one [`Session`]), every record straight into one [`svcprint_engine::Aggregator`]. Plain Rust, so it
//! is tested natively on the corpus and gives the same numbers as the CLI.

use crate::protocol::DeviceLabel;
use svcprint_engine::{
    device_summaries, Aggregates, Aggregator, Config, ConfigError, DeviceSummary, Labels,
};
use svcprint_flow::{DecodeOptions, FileDecoder, FileSummary, FlowRecord, Limits, Session};

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
        let files: Vec<(String, DecodeOptions)> = names
            .iter()
            .map(|n| (n.clone(), DecodeOptions::default()))
            .collect();
        Self::with_options(&files, config, limits)
    }

    /// Like [`Ingest::new`], with decode options (column mapping, time zone) per file.
    pub fn with_options(
        files: &[(String, DecodeOptions)],
        config: Config,
        limits: Limits,
    ) -> Result<Self, ConfigError> {
        // One session: the files (fed one after another, in this order) share IPFIX and
        // NetFlow templates, so a template file serves the data files after it.
        let mut session = Session::new(limits);
        let decoders = files
            .iter()
            .map(|(n, o)| Some(session.file(n).options(o.clone())))
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

    /// The aggregates of everything fed (files not ended are ended first, and their
    /// summaries returned).
    pub fn finish_aggregates(mut self) -> (Vec<FileSummary>, Aggregates) {
        let mut summaries = Vec::new();
        for i in 0..self.decoders.len() {
            if let Some(s) = self.end_file(i as u32) {
                summaries.push(s);
            }
        }
        (summaries, self.aggregator.finish())
    }

    /// The per-device summary over everything fed.
    pub fn finish(self) -> (Vec<FileSummary>, Vec<DeviceSummary>) {
        let config = self.config.clone();
        let (summaries, aggregates) = self.finish_aggregates();
        (summaries, device_summaries(&aggregates, &config))
    }
}

/// The name under which the demo appears in the file list.
pub const DEMO_NAME: &str = "demo: simulated home fleet (28 days)";

/// The built-in demo: the simulated fleet aggregated exactly like a file, and its labels
/// (read from the label file the simulator writes, as an imported one would be).
pub fn demo(config: &Config) -> Result<(FileSummary, Aggregates, Labels), ConfigError> {
    use svcprint_sim::{labels_csv, SimConfig, Simulator};
    let mut aggregator = Aggregator::new(config)?;
    let sim = Simulator::new(SimConfig::default());
    let (labels, _) = Labels::parse(&labels_csv(&sim.devices(), 1));
    let mut records = 0u64;
    for r in sim {
        aggregator.add(&r);
        records += 1;
    }
    let summary = FileSummary {
        name: DEMO_NAME.into(),
        format: "simulated".into(),
        bytes_in: 0,
        records,
        diagnostics: Default::default(),
    };
    Ok((summary, aggregator.finish(), labels))
}

/// Labels as the page shows them (type empty when the label file gives none).
pub fn label_list(labels: &Labels) -> Vec<DeviceLabel> {
    labels
        .iter()
        .map(|(key, l)| DeviceLabel {
            key: key.to_string(),
            name: l.name.clone(),
            kind: l.kind.clone().unwrap_or_default(),
        })
        .collect()
}

/// The order in which the page reads files dropped or picked together (indexes into
/// `names`). Binary exports share templates in the order read (a template file, then
/// its data files), but a picker or a drop gives no order of the user's, usually the
/// alphabetical one (`x_data.dat` before `x_tpl.dat`); so files whose names say they
/// hold templates (`tpl`, `template`, in any case) come first, the rest keep their order.
pub fn read_order(names: &[String]) -> Vec<usize> {
    let templates = |n: &String| {
        let n = n.to_ascii_lowercase();
        n.contains("tpl") || n.contains("template")
    };
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| !templates(&names[i]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_sim::{CsvWriter, SimConfig, Simulator};

    #[test]
    fn the_demo_equals_its_csv_read_back_in_slices() {
        let config = Config::default();
        let (summary, aggregates, labels) = demo(&config).expect("default config");
        let devices = device_summaries(&aggregates, &config);
        let labels = label_list(&labels);
        assert_eq!(summary.format, "simulated");
        assert_eq!(devices.len(), 15);
        assert_eq!(
            labels.len(),
            14,
            "12 labelled types, the phone and the router; not the newcomer"
        );
        assert!(labels.iter().any(|l| l.key == "02:10:00:00:00:02"
            && l.name == "plug-kitchen"
            && l.kind == "smart_plug"));
        assert!(!labels.iter().any(|l| l.key == "02:10:00:00:00:0d"));

        // What `svcprint simulate` writes, fed to the worker's ingest in 64 KiB slices.
        let mut text = String::new();
        let mut writer = CsvWriter::new();
        for r in Simulator::new(SimConfig::default()) {
            writer.write(&r, &mut text);
        }
        let mut ingest = Ingest::new(&["demo.csv".to_string()], config, Limits::default())
            .expect("default config");
        for slice in text.as_bytes().chunks(64 << 10) {
            assert!(ingest.feed(0, slice));
        }
        let file = ingest.end_file(0).expect("file 0 is open");
        assert_eq!(file.records, summary.records);
        assert!(file.diagnostics.is_empty());
        assert!(
            !ingest.feed(0, b"late"),
            "an ended file takes no more bytes"
        );
        let (rest, from_csv) = ingest.finish();
        assert!(rest.is_empty());
        assert_eq!(from_csv, devices);
    }

    fn corpus() -> std::path::PathBuf {
        let dir = std::env::var_os("SVCPRINT_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
            });
        assert!(
            dir.join("README.md").is_file(),
            "corpus not found at {} (set SVCPRINT_CORPUS)",
            dir.display()
        );
        dir
    }

    fn run(names: &[&str]) -> (Vec<FileSummary>, u64) {
        let dir = corpus().join("logstash-codec-netflow");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut ingest =
            Ingest::new(&names, Config::default(), Limits::default()).expect("default config");
        let mut files = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let bytes = std::fs::read(dir.join(n)).expect("corpus file");
            for slice in bytes.chunks(100) {
                ingest.feed(i as u32, slice);
            }
            files.push(ingest.end_file(i as u32).expect("open file"));
        }
        (files, ingest.records())
    }

    #[test]
    fn a_template_file_serves_the_data_files_dropped_after_it() {
        let (files, records) = run(&[
            "ipfix_test_mikrotik_tpl.dat",
            "ipfix_test_mikrotik_data258.dat",
            "ipfix_test_mikrotik_data259.dat",
        ]);
        assert_eq!(records, 46);
        assert_eq!(
            files.iter().map(|f| f.records).collect::<Vec<_>>(),
            vec![0, 28, 18]
        );
        assert!(files.iter().all(|f| f.diagnostics.is_empty()), "{files:?}");

        // Data before its template (in another file) cannot be decoded, and says so.
        let (files, records) = run(&[
            "ipfix_test_mikrotik_data258.dat",
            "ipfix_test_mikrotik_tpl.dat",
        ]);
        assert_eq!(records, 0);
        assert_eq!(
            files[0]
                .diagnostics
                .counts
                .keys()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
            vec!["missing_template"]
        );
    }

    #[test]
    fn template_files_are_read_first_the_rest_in_the_order_given() {
        let names: Vec<String> = [
            "ipfix_test_mikrotik_data258.dat",
            "ipfix_test_mikrotik_data259.dat",
            "ipfix_test_mikrotik_tpl.dat",
            "flows.csv",
            "Templates-router.pcap",
            "a.zip",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(read_order(&names), vec![2, 4, 0, 1, 3, 5]);
        assert_eq!(read_order(&[]), Vec::<usize>::new());
        let plain: Vec<String> = ["b.csv", "a.csv"].map(String::from).to_vec();
        assert_eq!(read_order(&plain), vec![0, 1], "no template file: as given");
    }
}
