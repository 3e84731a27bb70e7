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
pub fn load_with(
    paths: &[PathBuf],
    config: &Config,
    limits: &Limits,
    text: &DecodeOptions,
) -> Result<Loaded, String> {
    let mut aggregator = Aggregator::new(config).map_err(|e| e.to_string())?;
    let mut files = Vec::with_capacity(paths.len());
    let mut records = 0u64;
    let mut unreadable = 0;
    let mut buf = vec![0u8; CHUNK];
    let mut batch = Vec::with_capacity(8192);
    // One session: files share IPFIX/NetFlow templates in the order given.
    let mut session = Session::new(limits.clone());
    for path in paths {
        let name = path.display().to_string();
        let mut decoder = session.file(&name).options(text.clone());
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
        batch.clear();
        if let Some(e) = io_error {
            unreadable += 1;
            summary.diagnostics.push(Diagnostic {
                file: name,
                line: None,
                column: None,
                offset: None,
                kind: DiagKind::Truncated,
                message: format!("cannot read the file: {e}"),
            });
        }
        files.push(summary);
    }
    Ok(Loaded {
        aggregates: aggregator.finish(),
        files,
        records,
        unreadable,
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
