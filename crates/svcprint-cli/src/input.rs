//! Reading flow files from disk into the engine: each file streamed in fixed-size chunks
//! through its `FileDecoder` (one `Session`, so a template file serves the data files
//! after it), records straight into one `Aggregator` (bounded memory).

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use svcprint_engine::{Aggregates, Aggregator, Config};
use svcprint_flow::{
    ColumnMap, DecodeOptions, DiagKind, Diagnostic, FileSummary, Limits, Session, UtcOffset,
};

/// Options for text flow files, shared by every subcommand that reads flows.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct TextArgs {
    /// Column mapping for text files whose header is not recognised:
    /// `src_ip=ColA,dst_ip=ColB,proto=ColC,start=ColD,...` (keys: start, end, duration,
    /// duration_ms, duration_us, proto, src_ip, dst_ip, src_port, dst_port, src_mac,
    /// dst_mac, packets, bytes, rev_packets, rev_bytes, tcp_flags, initial_tcp_flags,
    /// rev_initial_tcp_flags, icmp_type_code).
    #[arg(long, value_name = "FIELD=COLUMN,...", value_parser = |s: &str| ColumnMap::parse(s).map_err(|e| e.to_string()))]
    pub map: Option<ColumnMap>,
    /// UTC offset of times written without a zone (nfdump, CICFlowMeter write local
    /// time), e.g. `+02:00`; default UTC.
    #[arg(long, value_name = "+HH:MM", value_parser = |s: &str| UtcOffset::parse(s).ok_or_else(|| format!("not a UTC offset: {s:?} (want +HH:MM)")))]
    pub time_zone: Option<UtcOffset>,
}

impl TextArgs {
    pub fn options(&self) -> DecodeOptions {
        DecodeOptions {
            column_map: self.map.clone().unwrap_or_default(),
            time_zone: self.time_zone,
        }
    }
}

const CHUNK: usize = 1 << 20;

/// What reading a set of files produced.
pub struct Loaded {
    pub aggregates: Aggregates,
    pub files: Vec<FileSummary>,
    pub records: u64,
    /// Files that could not be opened or read (named in a diagnostic).
    pub unreadable: usize,
}

/// Reads `paths` into one `Aggregates`, with text decoding options (column mapping, time
/// zone).
///
/// Text files are independent of each other, so several files are decoded on parallel
/// threads (one `Aggregator` each, merged at the end: aggregation is order-independent).
/// Binary exports may need templates from an earlier file, so when any file turns out not
/// to be text, everything is read again in order in one `Session`. Either way the result
/// is the same as one sequential pass.
pub fn load_with(
    paths: &[PathBuf],
    config: &Config,
    limits: &Limits,
    text: &DecodeOptions,
) -> Result<Loaded, String> {
    // Validate once, with a clear error, before any thread starts.
    Aggregator::new(config).map_err(|e| e.to_string())?;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len());
    if threads > 1 {
        let loaded = load_parallel(paths, config, limits, text, threads)?;
        if loaded.files.iter().all(|f| is_text_format(&f.format)) {
            return Ok(loaded);
        }
    }
    load_sequential(paths, config, limits, text)
}

/// Formats that carry no state between files (text, in any container; or nothing decoded).
fn is_text_format(format: &str) -> bool {
    let inner = format.rsplit('/').next().unwrap_or(format);
    inner.starts_with("csv")
        || inner.starts_with("tsv")
        || inner.starts_with("json")
        || matches!(inner, "unknown" | "empty")
}

/// One file through its decoder into `aggregator`; the file's summary and record count.
fn read_one(
    path: &PathBuf,
    mut decoder: svcprint_flow::FileDecoder,
    aggregator: &mut Aggregator,
) -> (FileSummary, u64, bool) {
    let name = path.display().to_string();
    let mut buf = vec![0u8; CHUNK];
    let mut batch = Vec::with_capacity(8192);
    let mut records = 0u64;
    let mut io_error = None;
    match File::open(path) {
        Ok(mut file) => loop {
            match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    decoder.feed(&buf[..n], &mut batch);
                    records += batch.len() as u64;
                    aggregator.add_all(&batch);
                    batch.clear();
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    io_error = Some(e);
                    break;
                }
            }
        },
        Err(e) => io_error = Some(e),
    }
    let mut summary = decoder.finish(&mut batch);
    records += batch.len() as u64;
    aggregator.add_all(&batch);
    let unreadable = io_error.is_some();
    if let Some(e) = io_error {
        summary.diagnostics.push(Diagnostic {
            file: name,
            line: None,
            column: None,
            offset: None,
            kind: DiagKind::Truncated,
            message: format!("cannot read the file: {e}"),
        });
    }
    (summary, records, unreadable)
}

fn load_sequential(
    paths: &[PathBuf],
    config: &Config,
    limits: &Limits,
    text: &DecodeOptions,
) -> Result<Loaded, String> {
    let mut aggregator = Aggregator::new(config).map_err(|e| e.to_string())?;
    let (mut files, mut records, mut unreadable) = (Vec::with_capacity(paths.len()), 0, 0);
    // One session: files share IPFIX/NetFlow templates in the order given.
    let mut session = Session::new(limits.clone());
    for path in paths {
        let decoder = session
            .file(&path.display().to_string())
            .options(text.clone());
        let (summary, n, bad) = read_one(path, decoder, &mut aggregator);
        records += n;
        unreadable += usize::from(bad);
        files.push(summary);
    }
    Ok(Loaded {
        aggregates: aggregator.finish(),
        files,
        records,
        unreadable,
    })
}

fn load_parallel(
    paths: &[PathBuf],
    config: &Config,
    limits: &Limits,
    text: &DecodeOptions,
    threads: usize,
) -> Result<Loaded, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Biggest files first, so the threads finish close together (file indexes and the
    // order of the summaries stay those of `paths`).
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(std::fs::metadata(&paths[i]).map_or(0, |m| m.len())));
    let next = AtomicUsize::new(0);
    type Done = Vec<(usize, FileSummary, u64, bool)>;
    let parts: Vec<(Option<Aggregates>, Done)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    // Validated above; a worker without an aggregator does nothing.
                    let Ok(mut aggregator) = Aggregator::new(config) else {
                        return (None, Vec::new());
                    };
                    let mut done = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let path = &paths[i];
                        // File indexes as in the sequential pass (position in `paths`).
                        let decoder = svcprint_flow::FileDecoder::with_options(
                            i as u32,
                            &path.display().to_string(),
                            limits.clone(),
                            text.clone(),
                        );
                        let (summary, records, unreadable) =
                            read_one(path, decoder, &mut aggregator);
                        done.push((i, summary, records, unreadable));
                    }
                    (Some(aggregator.finish()), done)
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let mut all: Done = Vec::with_capacity(paths.len());
    let mut aggregates: Option<Aggregates> = None;
    for (agg, done) in parts {
        all.extend(done);
        let agg = agg.ok_or("a reader thread had no aggregator")?;
        match &mut aggregates {
            None => aggregates = Some(agg),
            Some(a) => a.merge(agg).map_err(|e| e.to_string())?,
        }
    }
    if all.len() != paths.len() {
        return Err("a reader thread failed".into());
    }
    all.sort_by_key(|d| d.0);
    let aggregates = match aggregates {
        Some(a) => a,
        None => Aggregator::new(config).map_err(|e| e.to_string())?.finish(),
    };
    Ok(Loaded {
        aggregates,
        records: all.iter().map(|d| d.2).sum(),
        unreadable: all.iter().filter(|d| d.3).count(),
        files: all.into_iter().map(|d| d.1).collect(),
    })
}

/// Prints each file's problems to stderr (a count per file, then the kept diagnostics).
pub fn report_diagnostics(loaded: &Loaded) {
    for f in &loaded.files {
        let total = f.diagnostics.total();
        if total > 0 {
            eprintln!(
                "{}: {} problems ({} shown)",
                f.name,
                total,
                f.diagnostics.kept.len()
            );
            for d in &f.diagnostics.kept {
                eprintln!("{d}");
            }
        }
    }
}

/// Runs `write` on stdout (or on the file `path`); a closed pipe is not an error.
pub fn emit(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let result = match path {
        Some(p) => File::create(p)
            .map(std::io::BufWriter::new)
            .and_then(|mut f| {
                write(&mut f)?;
                std::io::Write::flush(&mut f)
            })
            .map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match write(&mut out) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(e.to_string()),
            }
        }
    };
    result
}

/// JSON, pretty, with a final newline.
pub fn write_json<T: serde::Serialize>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)
}

/// Exit code 1 when a file could not be read, else success.
pub fn exit_code(loaded: &Loaded) -> std::process::ExitCode {
    if loaded.unreadable > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

/// One CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn corpus() -> PathBuf {
        let dir = std::env::var_os("SVCPRINT_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
            });
        assert!(
            dir.join("README.md").is_file(),
            "corpus not found at {} (set SVCPRINT_CORPUS)",
            dir.display()
        );
        dir
    }

    fn both(paths: &[PathBuf]) -> (Loaded, Loaded) {
        let (cfg, limits, opts) = (
            Config::default(),
            Limits::default(),
            DecodeOptions::default(),
        );
        let par = load_parallel(paths, &cfg, &limits, &opts, 2).expect("parallel");
        let seq = load_sequential(paths, &cfg, &limits, &opts).expect("sequential");
        (par, seq)
    }

    #[test]
    fn text_files_in_parallel_equal_one_sequential_pass() {
        let dir = corpus().join("unsw-ipfix-iot-2019");
        let paths = vec![
            dir.join("mouse_computer_room_hub.zip"),
            dir.join("nature_remo.zip"),
            dir.join("xiaomi_mijia_led.zip"),
        ];
        let (par, seq) = both(&paths);
        assert_eq!(par.records, 10_763 + 125_025 + 128_801);
        assert_eq!(par.records, seq.records);
        assert_eq!(par.files, seq.files);
        assert_eq!(par.aggregates, seq.aggregates);
        let auto = load_with(
            &paths,
            &Config::default(),
            &Limits::default(),
            &DecodeOptions::default(),
        )
        .expect("load");
        assert_eq!(auto.aggregates, seq.aggregates);
    }

    #[test]
    fn binary_exports_fall_back_to_one_session_in_order() {
        let dir = corpus().join("logstash-codec-netflow");
        let paths = vec![
            dir.join("ipfix_test_mikrotik_tpl.dat"),
            dir.join("ipfix_test_mikrotik_data258.dat"),
        ];
        let (par, seq) = both(&paths);
        // Alone, the data file lacks its template; in one session it has it.
        assert_eq!(par.records, 0);
        assert_eq!(seq.records, 28);
        assert!(
            !is_text_format(&par.files[0].format),
            "{}",
            par.files[0].format
        );
        let auto = load_with(
            &paths,
            &Config::default(),
            &Limits::default(),
            &DecodeOptions::default(),
        )
        .expect("load");
        assert_eq!(auto.records, 28);
        assert_eq!(auto.aggregates, seq.aggregates);
        assert!(
            is_text_format("zip/csv-ipfix")
                && is_text_format("gzip/tsv-zeek")
                && is_text_format("json-joy")
        );
        assert!(
            !is_text_format("ipfix")
                && !is_text_format("pcap")
                && !is_text_format("gzip/netflow-v9")
        );
    }
}
