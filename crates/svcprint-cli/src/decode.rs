//! `svcprint decode`: what each file is and what decoding it gave (format, messages,
//! records, templates, diagnostics by kind). Files are one session: NetFlow v9 / IPFIX
//! templates carry over from file to file in the order given.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use svcprint_flow::{DiagKind, Diagnostic, Limits, Session};

const CHUNK: usize = 1 << 20;

#[derive(Serialize)]
struct FileOut {
    path: String,
    format: String,
    messages: u64,
    records: u64,
    templates: u64,
    diagnostics: BTreeMap<&'static str, u64>,
    #[serde(skip)]
    kept: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct Output {
    files: Vec<FileOut>,
    records: u64,
}

pub fn run(paths: &[PathBuf], json: bool) -> Result<ExitCode, String> {
    let mut session = Session::new(Limits::default());
    let mut files = Vec::with_capacity(paths.len());
    let (mut total, mut unreadable) = (0u64, 0usize);
    let mut buf = vec![0u8; CHUNK];
    let mut out = Vec::with_capacity(8192);
    for path in paths {
        let name = path.display().to_string();
        let mut d = session.file(&name);
        let mut records = 0u64;
        let mut io_error = None;
        match File::open(path) {
            Ok(mut f) => loop {
                match f.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        d.feed(&buf[..n], &mut out);
                        records += out.len() as u64;
                        out.clear();
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        io_error = Some(e);
                        break;
                    }
                }
            },
            Err(e) => io_error = Some(e),
        }
        let mut summary = d.finish(&mut out);
        records += out.len() as u64;
        out.clear();
        if let Some(e) = io_error {
            unreadable += 1;
            summary.diagnostics.push(Diagnostic {
                file: name.clone(),
                line: None,
                column: None,
                offset: None,
                kind: DiagKind::Truncated,
                message: format!("cannot read the file: {e}"),
            });
        }
        let stats = d.export_stats().cloned().unwrap_or_default();
        total += records;
        files.push(FileOut {
            path: name,
            format: summary.format,
            messages: stats.messages,
            records,
            templates: stats.templates,
            diagnostics: summary
                .diagnostics
                .counts
                .iter()
                .map(|(k, n)| (k.as_str(), *n))
                .collect(),
            kept: summary.diagnostics.kept,
        });
    }
    let mut w = std::io::stdout().lock();
    let doc = Output {
        files,
        records: total,
    };
    let written = if json {
        serde_json::to_writer_pretty(&mut w, &doc)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(w))
    } else {
        write_table(&mut w, &doc)
    };
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(if unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_table(w: &mut impl Write, doc: &Output) -> std::io::Result<()> {
    writeln!(w, "format\tmessages\trecords\ttemplates\tdiagnostics\tpath")?;
    for f in &doc.files {
        let diags: Vec<String> = f
            .diagnostics
            .iter()
            .map(|(k, n)| format!("{k}={n}"))
            .collect();
        let diags = if diags.is_empty() {
            "-".to_string()
        } else {
            diags.join(",")
        };
        writeln!(
            w,
            "{}\t{}\t{}\t{}\t{}\t{}",
            f.format, f.messages, f.records, f.templates, diags, f.path
        )?;
    }
    writeln!(w, "total records: {}", doc.records)?;
    for f in &doc.files {
        for d in &f.kept {
            eprintln!("{d}");
        }
    }
    Ok(())
}
