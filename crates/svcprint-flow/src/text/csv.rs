//! Streaming decoder for delimited flow text: CSV with any of `,` `;` `\t` `|` as
//! separator (quoted fields, doubled quotes, newlines inside quotes), whitespace-aligned
//! columns, and Zeek TSV logs.
//!
//! Framing first, then parsing inside the frame: a small state machine cuts the byte
//! stream into rows (a `\n` outside a quoted field ends a row), tracks each row's first
//! line and byte offset, and refuses to buffer a row past [`Limits::max_line_bytes`].
//! Each complete row is then split into fields (by `csv-core` for quoting separators).
//! The first non-blank row that is not a `#` comment is the header: its separator is
//! detected ([`super::sniff::separator`]), its dialect recognised and compiled once into
//! a [`Plan`], and every data row is decoded through it. A Zeek log (`#separator` /
//! `#fields` lines) takes its header from `#fields`. Buffers are reused from row to row.

use super::columns::{DecodeOptions, Plan, Values};
use super::dialect::{self, Dialect};
use super::sniff::{separator, Separator};
use super::zeek::{self, Directive, ZeekHeader};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::record::{FlowRecord, Position};
use crate::value::excerpt;

/// The fields of one row: `fields[ends[i-1]..ends[i]]` is field `i` (csv-core's packed
/// output), or `fields[starts[i]..ends[i]]` when `starts` is given (fields left in place in
/// the row); trimmed.
pub(crate) struct Row<'a> {
    pub fields: &'a [u8],
    pub ends: &'a [usize],
    pub starts: Option<&'a [usize]>,
}

impl Values for Row<'_> {
    #[inline]
    fn get(&self, i: usize) -> &[u8] {
        let start = match self.starts {
            Some(starts) => starts.get(i).copied().unwrap_or(0),
            None if i == 0 => 0,
            None => self.ends.get(i - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.fields.get(start..end).unwrap_or(&[]).trim_ascii()
    }
}

/// Where the row framer is inside the current row (mirrors csv-core's quoting rules:
/// a quote opens a quoted field only at the start of a field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

#[derive(Debug)]
enum Header {
    /// No header row seen yet.
    Pending,
    /// Header compiled; data rows are decoded.
    Ready(Box<Plan>),
    /// Header unusable (diagnostic given); the rest of the text is ignored.
    Rejected,
}

/// How data rows are split into fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Split {
    /// csv-core with this delimiter and quoting.
    Quoted,
    /// Zeek: the separator, no quoting.
    Zeek,
    /// Runs of spaces and tabs.
    Whitespace,
}

/// Push-style decoder for one delimited text stream.
///
/// Feed the decoded (decompressed) text in chunks of any size; chunk borders never
/// change the records or diagnostics. Records carry
/// `Position { file: file_index, line: first line of the row (1-based), byte: offset
/// of the row's first byte in this text (a leading UTF-8 BOM counts) }`.
pub struct CsvDecoder {
    file_index: u32,
    name: String,
    limits: Limits,
    opts: DecodeOptions,
    reader: csv_core::Reader,
    /// Separator for framing and splitting; quoting applies only to `Split::Quoted`.
    delim: u8,
    split_mode: Split,
    zeek: Option<ZeekHeader>,
    /// The current row, without its terminator; at most `max_line_bytes + 1` bytes.
    row: Vec<u8>,
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// Field starts when the last split left the fields in place in the row.
    starts: Vec<usize>,
    in_place: bool,
    header_raw: Vec<u8>,
    scan: Scan,
    in_row: bool,
    /// The current row is over the limit: its bytes are counted, not kept.
    skipping: bool,
    row_len: u64,
    row_start: u64,
    row_line: u64,
    /// Bytes of text seen so far; line of the next byte (1-based).
    pos: u64,
    line: u64,
    header: Header,
    /// super_mediator text: rows that do not fit the header and carry a record label
    /// (`stats`, DPI tables, …) or a payload hexdump are other record kinds, skipped.
    super_mediator: bool,
    /// nfdump's trailing `Summary` block was reached: the rest is not flows.
    done: bool,
    records: u64,
    finished: bool,
}

fn csv_reader(delim: u8) -> csv_core::Reader {
    csv_core::ReaderBuilder::new()
        .delimiter(delim)
        .terminator(csv_core::Terminator::Any(b'\n'))
        .build()
}

impl CsvDecoder {
    /// `name` is the file name used in diagnostics (for archive members
    /// `outer.zip:member.csv`).
    pub fn new(file_index: u32, name: &str, limits: Limits) -> Self {
        CsvDecoder::with_options(file_index, name, limits, DecodeOptions::default())
    }

    /// With a column mapping and a time zone for zone-less times.
    pub fn with_options(file_index: u32, name: &str, limits: Limits, opts: DecodeOptions) -> Self {
        CsvDecoder {
            file_index,
            name: name.to_string(),
            limits,
            opts,
            reader: csv_reader(b','),
            delim: b',',
            split_mode: Split::Quoted,
            zeek: None,
            row: Vec::new(),
            fields: Vec::new(),
            ends: Vec::new(),
            starts: Vec::new(),
            in_place: false,
            header_raw: Vec::new(),
            scan: Scan::FieldStart,
            in_row: false,
            skipping: false,
            row_len: 0,
            row_start: 0,
            row_line: 1,
            pos: 0,
            line: 1,
            header: Header::Pending,
            super_mediator: false,
            done: false,
            records: 0,
            finished: false,
        }
    }

    /// Records emitted so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Bytes of text consumed so far.
    pub fn bytes(&self) -> u64 {
        self.pos
    }

    /// The dialect of the header, once one was recognised.
    pub fn dialect(&self) -> Option<Dialect> {
        match &self.header {
            Header::Ready(p) => p.dialect,
            _ => None,
        }
    }

    /// `Some("csv-ipfix")`, `Some("tsv-zeek")`, `Some("csv-mapped")`, … once a usable
    /// header was read; `Some("csv")` / `Some("tsv")` when the header was rejected;
    /// `None` before any header row.
    pub fn format(&self) -> Option<&'static str> {
        let zeek = self.zeek.is_some();
        match &self.header {
            Header::Pending => None,
            Header::Rejected => Some(if zeek { "tsv" } else { "csv" }),
            Header::Ready(p) => Some(match (zeek, p.label()) {
                (true, "zeek") => "tsv-zeek",
                (true, _) => "tsv-mapped",
                (false, label) => super::format_name("csv", label),
            }),
        }
    }

    /// Feed the next chunk of text.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if self.finished {
            return;
        }
        let mut i = 0;
        while i < chunk.len() {
            if !self.in_row {
                if let Some(n) = self.fast_row(&chunk[i..], i, out, diags) {
                    i += n;
                    continue;
                }
            }
            if !self.in_row {
                self.in_row = true;
                self.row_start = self.pos + i as u64;
                self.row_line = self.line;
            }
            let rest = &chunk[i..];
            let (n, ended) = self.scan_row(rest);
            self.append(&rest[..n]);
            if ended {
                i += n + 1;
                self.line += 1;
                self.end_row(out, diags);
            } else {
                i += n;
            }
        }
        self.pos += chunk.len() as u64;
    }

    /// The common case, without copying the row: a data row that lies whole in `rest` (its
    /// newline is there) and splits by [`CsvDecoder::tokenize`] (so that newline is outside
    /// quotes) is decoded straight from the chunk (`rest` starts at byte `at` of it). Returns the bytes used (row and newline),
    /// or `None` to leave the row to the framer.
    fn fast_row(
        &mut self,
        rest: &[u8],
        at: usize,
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        let Header::Ready(plan) = &self.header else {
            return None;
        };
        if self.split_mode != Split::Quoted || self.done {
            return None;
        }
        let max_ends = plan.ncols + 1;
        let j = memchr::memchr(b'\n', rest)?;
        let row = &rest[..j];
        let row = row.strip_suffix(b"\r").unwrap_or(row);
        if row.len() > self.limits.max_line_bytes || row.first().is_none_or(|&c| c == b'#') {
            return None;
        }
        let split @ Ok(_) = self.tokenize(row, max_ends)? else {
            return None; // too many fields: the framer checks the quoting of the rest
        };
        self.row_start = self.pos + at as u64;
        self.row_line = self.line;
        self.line += 1;
        if !row.trim_ascii().is_empty() {
            self.process_row(row, Some(split), out, diags);
        }
        Some(j + 1)
    }

    /// End of the text (later calls to `feed` and `finish` do nothing). With
    /// `complete == false` (the container was truncated or damaged) a last row without
    /// its newline is dropped instead of decoded, since it may be cut short; the
    /// container reports the damage.
    pub fn finish(&mut self, complete: bool, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        if self.in_row {
            if !complete {
                self.reset_row();
            } else if self.scan == Scan::Quoted {
                self.diag(
                    diags,
                    DiagKind::Truncated,
                    None,
                    format!("the text ends inside a quoted field that starts in this row (line {}); row dropped", self.row_line),
                );
                self.reset_row();
            } else {
                self.end_row(out, diags);
            }
        }
        if complete && matches!(self.header, Header::Pending) {
            self.row_line = self.line;
            self.row_start = self.pos;
            self.diag(
                diags,
                DiagKind::UnknownFormat,
                None,
                "no header row: the text is empty".to_string(),
            );
        }
    }

    /// Find the end of the current row in `rest`: `(bytes of row content, found '\n')`.
    /// Inner loops look only for the bytes that can change the state.
    fn scan_row(&mut self, rest: &[u8]) -> (usize, bool) {
        let n = rest.len();
        if self.split_mode != Split::Quoted {
            return match rest.iter().position(|&c| c == b'\n') {
                Some(j) => (j, true),
                None => (n, false),
            };
        }
        let delim = self.delim;
        if matches!(self.scan, Scan::FieldStart | Scan::Unquoted) {
            // Fast path: up to the newline there is no quote, so no field is quoted (a quote
            // could open one), and the row ends at the first newline.
            match memchr::memchr2(b'\n', b'"', rest) {
                Some(j) if rest[j] == b'\n' => {
                    self.scan = Scan::FieldStart;
                    return (j, true);
                }
                None => {
                    if let Some(&last) = rest.last() {
                        self.scan = if last == delim {
                            Scan::FieldStart
                        } else {
                            Scan::Unquoted
                        };
                    }
                    return (n, false);
                }
                Some(_) => {} // a quote: the state machine decides
            }
        }
        let mut j = 0;
        let mut st = self.scan;
        while j < n {
            match st {
                Scan::Quoted => {
                    while j < n && rest[j] != b'"' {
                        self.line += u64::from(rest[j] == b'\n');
                        j += 1;
                    }
                    if j < n {
                        st = Scan::QuoteInQuoted;
                        j += 1;
                    }
                }
                Scan::FieldStart if rest[j] == b'"' => {
                    st = Scan::Quoted;
                    j += 1;
                }
                Scan::QuoteInQuoted if rest[j] == b'"' => {
                    st = Scan::Quoted;
                    j += 1;
                }
                Scan::FieldStart | Scan::Unquoted | Scan::QuoteInQuoted => {
                    let from = j;
                    while j < n && rest[j] != delim && rest[j] != b'\n' {
                        j += 1;
                    }
                    if j == n {
                        if j > from {
                            st = Scan::Unquoted;
                        }
                    } else if rest[j] == b'\n' {
                        self.scan = Scan::FieldStart;
                        return (j, true);
                    } else {
                        st = Scan::FieldStart;
                        j += 1;
                    }
                }
            }
        }
        self.scan = st;
        (n, false)
    }

    fn append(&mut self, bytes: &[u8]) {
        self.row_len += bytes.len() as u64;
        if self.skipping {
            return;
        }
        // One byte of slack for the '\r' of a CRLF terminator.
        if self.row.len() + bytes.len() > self.limits.max_line_bytes.saturating_add(1) {
            self.skipping = true;
            self.row.clear();
        } else {
            self.row.extend_from_slice(bytes);
        }
    }

    fn reset_row(&mut self) {
        self.in_row = false;
        self.skipping = false;
        self.row_len = 0;
        self.row.clear();
        self.scan = Scan::FieldStart;
    }

    fn diag(
        &self,
        diags: &mut Diagnostics,
        kind: DiagKind,
        column: Option<String>,
        message: String,
    ) {
        diags.push(Diagnostic {
            file: self.name.clone(),
            line: Some(self.row_line),
            column,
            offset: Some(self.row_start),
            kind,
            message,
        });
    }

    fn end_row(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let mut row = std::mem::take(&mut self.row);
        if row.last() == Some(&b'\r') {
            row.pop();
        }
        let too_long = self.skipping || row.len() > self.limits.max_line_bytes;
        if self.done {
        } else if too_long {
            self.diag(
                diags,
                DiagKind::TooLong,
                None,
                format!(
                    "row of {} bytes is longer than max_line_bytes ({}); skipped",
                    self.row_len, self.limits.max_line_bytes
                ),
            );
        } else if !row.trim_ascii().is_empty() {
            self.process_row(&row, None, out, diags);
        }
        self.row = row;
        self.reset_row();
    }

    /// Split `row` into fields. `Ok(n)` fields, or `Err(())` when there are more than
    /// `max_ends` fields.
    fn split(&mut self, row: &[u8], max_ends: usize) -> Result<usize, ()> {
        match self.split_mode {
            Split::Quoted => self.split_quoted(row, max_ends),
            Split::Zeek | Split::Whitespace => {
                self.in_place = false;
                self.fields.clear();
                self.fields.extend_from_slice(row);
                match (self.split_mode, &self.zeek) {
                    (Split::Zeek, Some(z)) => {
                        zeek::split(row, self.delim, z.spaces3, &mut self.ends, max_ends)
                    }
                    _ => zeek::split_whitespace(row, &mut self.ends, max_ends),
                }
            }
        }
    }

    fn split_quoted(&mut self, row: &[u8], max_ends: usize) -> Result<usize, ()> {
        match self.tokenize(row, max_ends) {
            Some(n) => n,
            None => self.split_csv_core(row, max_ends),
        }
    }

    /// `split_quoted` by csv-core: every quoting shape.
    fn split_csv_core(&mut self, row: &[u8], max_ends: usize) -> Result<usize, ()> {
        self.in_place = false;
        if self.fields.len() < row.len() + 1 {
            self.fields.resize(row.len() + 1, 0);
        }
        if self.ends.len() < max_ends {
            self.ends.resize(max_ends, 0);
        }
        let ends = &mut self.ends[..max_ends];
        let (mut nout, mut nend) = (0, 0);
        let mut input = row;
        let mut stage = 0;
        let result = loop {
            // On InputEmpty all input was used; any other result ends the row.
            let (res, _, o, e) =
                self.reader
                    .read_record(input, &mut self.fields[nout..], &mut ends[nend..]);
            nout += o;
            nend += e;
            match res {
                csv_core::ReadRecordResult::InputEmpty if stage < 2 => {
                    // The row's bytes are in; end it with a newline, then with EOF in case
                    // the newline was swallowed by an unterminated quote.
                    stage += 1;
                    input = if stage == 1 { b"\n" } else { &[] };
                }
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => {
                    break Ok(nend)
                }
                csv_core::ReadRecordResult::OutputEndsFull => break Err(()),
                // OutputFull cannot happen (fields holds the whole row); treat any other
                // state as the end of the row so the loop always ends.
                _ => break Ok(nend),
            }
        };
        self.reader.reset();
        result
    }

    /// `split_quoted` without csv-core for the common shapes: every field either has no
    /// quote at its start (a quote later in it is a plain byte, as in csv-core) or is
    /// `"..."` with no quote inside, followed by the delimiter or the row's end. Gives what
    /// csv-core gives for such a row (the bytes between delimiters, quotes removed), in one
    /// `memchr` per field. `None` when a field has another shape (doubled quotes, bytes after
    /// the closing quote, or no closing quote in `row`): the caller takes csv-core.
    fn tokenize(&mut self, row: &[u8], max_ends: usize) -> Option<Result<usize, ()>> {
        if row.is_empty() {
            return None; // csv-core's own rules for blank lines
        }
        self.starts.clear();
        self.ends.clear();
        self.in_place = true;
        if let Some(split) = self.split_unquoted(row, max_ends) {
            return Some(split);
        }
        self.starts.clear();
        self.ends.clear();
        let delim = self.delim;
        let len = row.len();
        // Fields are short and delimiters dense: a plain scan beats `memchr` here.
        let mut start = 0;
        loop {
            if self.ends.len() == max_ends {
                return Some(Err(()));
            }
            if row.get(start) == Some(&b'"') {
                // Quoted: the next quote closes it; a delimiter must follow, or the end.
                let mut p = start + 1;
                while p < len && row[p] != b'"' {
                    p += 1;
                }
                if p == len {
                    return None;
                }
                self.starts.push(start + 1);
                self.ends.push(p);
                match row.get(p + 1) {
                    None => return Some(Ok(self.ends.len())),
                    Some(&c) if c == delim => start = p + 2,
                    Some(_) => return None,
                }
            } else {
                // Unquoted: up to the next delimiter (a quote inside is a plain byte).
                let mut p = start;
                while p < len && row[p] != delim {
                    p += 1;
                }
                self.starts.push(start);
                self.ends.push(p);
                if p == len {
                    return Some(Ok(self.ends.len()));
                }
                start = p + 1;
            }
        }
    }

    /// [`CsvDecoder::tokenize`] for a row without any quote (nearly every row): every
    /// delimiter ends a field. Eight bytes at a time (SWAR: a word's delimiter bytes as a
    /// bit mask, no branch per byte), which is what makes tokenizing cheap in wasm too.
    /// `None` when the row holds a quote: the caller splits it byte by byte.
    fn split_unquoted(&mut self, row: &[u8], max_ends: usize) -> Option<Result<usize, ()>> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        /// 0x80 in each zero byte of `w`, 0 elsewhere (exact: no carries between bytes).
        fn zero_bytes(w: u64) -> u64 {
            !(((w & LOW7) + LOW7) | w | LOW7)
        }
        if max_ends == 0 {
            return Some(Err(()));
        }
        let delim = self.delim;
        let (d, q) = (ONES * u64::from(delim), ONES * u64::from(b'"'));
        let mut start = 0;
        let mut words = row.chunks_exact(8);
        let mut at = 0;
        for word in &mut words {
            let w = u64::from_le_bytes(word.try_into().ok()?);
            if zero_bytes(w ^ q) != 0 {
                return None;
            }
            let mut m = zero_bytes(w ^ d);
            while m != 0 {
                let p = at + (m.trailing_zeros() / 8) as usize;
                m &= m - 1;
                self.starts.push(start);
                self.ends.push(p);
                start = p + 1;
                // A delimiter: another field follows.
                if self.ends.len() == max_ends {
                    return Some(Err(()));
                }
            }
            at += 8;
        }
        for (i, &c) in words.remainder().iter().enumerate() {
            if c == b'"' {
                return None;
            }
            if c == delim {
                self.starts.push(start);
                self.ends.push(at + i);
                start = at + i + 1;
                if self.ends.len() == max_ends {
                    return Some(Err(()));
                }
            }
        }
        self.starts.push(start);
        self.ends.push(row.len());
        Some(Ok(self.ends.len()))
    }

    /// The fields of the row just split (`row` is that row).
    fn view<'a>(&'a self, row: &'a [u8], n: usize) -> Row<'a> {
        if self.in_place {
            Row {
                fields: row,
                ends: &self.ends[..n],
                starts: Some(&self.starts[..n]),
            }
        } else {
            Row {
                fields: &self.fields,
                ends: &self.ends[..n],
                starts: None,
            }
        }
    }

    /// A `#` line: a Zeek directive, else a comment.
    fn process_directive(&mut self, row: &[u8], diags: &mut Diagnostics) {
        let sep = self.zeek.as_ref().map_or(b'\t', |z| z.separator);
        match zeek::directive(row, sep) {
            Directive::Separator(b) if matches!(self.header, Header::Pending) => {
                self.zeek = Some(ZeekHeader {
                    separator: b,
                    ..ZeekHeader::default()
                });
            }
            Directive::Unset(v) => {
                if let Some(z) = &mut self.zeek {
                    z.unset = v.to_vec();
                }
            }
            Directive::Empty(v) => {
                if let Some(z) = &mut self.zeek {
                    z.empty = v.to_vec();
                }
            }
            Directive::Fields(names) => {
                if matches!(self.header, Header::Ready(_)) && self.header_raw == row {
                    return; // the same log header again (concatenated logs)
                }
                let z = self.zeek.get_or_insert_with(ZeekHeader::default);
                z.spaces3 = names.windows(3).any(|w| w == b"   ");
                self.delim = z.separator;
                self.split_mode = Split::Zeek;
                self.header = Header::Pending;
                self.header_raw.clear();
                self.header_raw.extend_from_slice(row);
                let names = names.to_vec();
                self.compile_header(&names, diags);
            }
            _ => {}
        }
    }

    /// Decode one row (without its terminator). `split`: the row is already split into
    /// `fields`/`ends` with this result (the fast path of [`CsvDecoder::feed`]).
    fn process_row(
        &mut self,
        row: &[u8],
        split: Option<Result<usize, ()>>,
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if row.first() == Some(&b'#') {
            self.process_directive(row, diags);
            return;
        }
        match &self.header {
            Header::Rejected => {}
            Header::Pending if self.zeek.is_some() => {} // data before `#fields`
            Header::Pending => {
                self.header_raw.clear();
                self.header_raw.extend_from_slice(row);
                match separator(row) {
                    Separator::Byte(b) => {
                        self.delim = b;
                        self.reader = csv_reader(b);
                        self.split_mode = Split::Quoted;
                    }
                    Separator::Whitespace => self.split_mode = Split::Whitespace,
                }
                if self.headerless_super_mediator(row) {
                    self.header_raw.clear();
                    self.process_row(row, None, out, diags); // the first flow
                    return;
                }
                self.compile_header(row, diags);
            }
            Header::Ready(plan) => {
                let ncols = plan.ncols;
                if row == self.header_raw.as_slice() {
                    return; // a repeated header (concatenated files)
                }
                if plan.dialect == Some(Dialect::Nfdump) && row.trim_ascii() == b"Summary" {
                    self.done = true; // nfdump's statistics block follows the flows
                    return;
                }
                let split = match split {
                    Some(done) => done,
                    None => self.split(row, ncols + 1),
                };
                let n = match split {
                    Ok(n) if n == ncols => n,
                    // A delimiter after the last field (super_mediator 2 ends every value
                    // with one): the extra field is empty, nothing is lost.
                    Ok(n) if n == ncols + 1 && self.last_field_empty(row, n) => ncols,
                    Ok(_)
                        if self.super_mediator
                            && dialect::super_mediator_other_record(row, self.delim) =>
                    {
                        return;
                    }
                    Ok(n) => {
                        self.diag(
                            diags,
                            DiagKind::FieldCount,
                            None,
                            format!("row has {n} fields, the header has {ncols}; skipped"),
                        );
                        return;
                    }
                    Err(())
                        if self.super_mediator
                            && dialect::super_mediator_other_record(row, self.delim) =>
                    {
                        return;
                    }
                    Err(()) => {
                        self.diag(
                            diags,
                            DiagKind::FieldCount,
                            None,
                            format!(
                                "row has more than {} fields, the header has {ncols}; skipped",
                                ncols + 1
                            ),
                        );
                        return;
                    }
                };
                let Header::Ready(plan) = &self.header else {
                    return;
                };
                let position = Position {
                    file: self.file_index,
                    line: self.row_line,
                    byte: self.row_start,
                };
                let r = self.view(row, n);
                match plan.decode(&r, position) {
                    Ok(rec) => {
                        out.push(rec);
                        self.records += 1;
                    }
                    Err((col, problem)) => {
                        let name = plan
                            .names
                            .get(col)
                            .cloned()
                            .unwrap_or_else(|| format!("#{}", col + 1));
                        let value = excerpt(r.get(col));
                        let msg = if value.is_empty() {
                            format!("{name}: {problem}; row skipped")
                        } else {
                            format!("{name}: \"{value}\" is {problem}; row skipped")
                        };
                        self.diag(diags, DiagKind::BadValue, Some(name), msg);
                    }
                }
            }
        }
    }

    /// Field `n - 1` of the row just split is empty.
    fn last_field_empty(&self, row: &[u8], n: usize) -> bool {
        let r = self.view(row, n);
        r.get(n - 1).is_empty()
    }

    /// super_mediator's TEXT exporter writes no header unless `PRINT_HEADER` is set: a first
    /// row laid out as its default flow line gets that layout's header
    /// ([`dialect::SUPER_MEDIATOR_BASIC`]). True when the header was set so.
    fn headerless_super_mediator(&mut self, row: &[u8]) -> bool {
        const N: usize = dialect::SUPER_MEDIATOR_BASIC.len();
        if self.split_mode != Split::Quoted || self.split(row, N + 1) != Ok(N) {
            return false;
        }
        let r = self.view(row, N);
        if !dialect::super_mediator_flow_row(|i| r.get(i)) {
            return false;
        }
        let names = dialect::SUPER_MEDIATOR_BASIC.map(String::from).to_vec();
        match Plan::compile(names, &self.opts, Some(Dialect::SuperMediator)) {
            Ok(plan) => {
                self.super_mediator = true;
                self.header = Header::Ready(Box::new(plan));
                true
            }
            Err(_) => false, // a mapping naming other columns: read the row as a header
        }
    }

    fn compile_header(&mut self, row: &[u8], diags: &mut Diagnostics) {
        let max = self.limits.max_fields;
        let Ok(n) = self.split(row, max) else {
            self.diag(
                diags,
                DiagKind::Limit,
                None,
                format!("header has more than max_fields ({max}) fields; no records read from this text"),
            );
            self.header = Header::Rejected;
            return;
        };
        let r = self.view(row, n);
        let names: Vec<String> = (0..n)
            .map(|i| String::from_utf8_lossy(r.get(i)).into_owned())
            .collect();
        match Plan::compile(names, &self.opts, None) {
            Ok(mut plan) => {
                if let Some(z) = &self.zeek {
                    plan.set_nulls(vec![z.unset.clone(), z.empty.clone()]);
                }
                // `|`-separated IPFIX names is what super_mediator 2 writes
                // (`PRINT_HEADER` prints the `FIELDS` element names).
                self.super_mediator = match plan.dialect {
                    Some(Dialect::SuperMediator) => true,
                    Some(Dialect::Ipfix) => self.zeek.is_none() && self.delim == b'|',
                    _ => false,
                };
                self.header = Header::Ready(Box::new(plan));
            }
            Err(message) => {
                self.diag(diags, DiagKind::MissingColumn, None, message);
                self.header = Header::Rejected;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::Mac;
    use std::net::IpAddr;

    fn run(text: &[u8], limits: Limits) -> (Vec<FlowRecord>, Diagnostics) {
        let mut d = CsvDecoder::new(3, "t.csv", limits.clone());
        let mut out = Vec::new();
        let mut diags = Diagnostics::with_cap(limits.diagnostics_kept);
        d.feed(text, &mut out, &mut diags);
        d.finish(true, &mut out, &mut diags);
        (out, diags)
    }

    fn decode(text: &str) -> (Vec<FlowRecord>, Diagnostics) {
        run(text.as_bytes(), Limits::default())
    }

    /// Whenever the fast splitter answers for `row`, it gives csv-core's answer and fields;
    /// `Ok(false)` when it declines (the caller takes csv-core).
    fn tokenize_as_csv_core(
        row: &[u8],
        delim: u8,
        max_ends: usize,
    ) -> Result<bool, proptest::test_runner::TestCaseError> {
        let mut d = CsvDecoder::new(0, "t", Limits::default());
        d.delim = delim;
        d.reader = csv_reader(delim);
        let Some(fast) = d.tokenize(row, max_ends) else {
            return Ok(false);
        };
        let got: Vec<Vec<u8>> = (0..d.ends.len())
            .map(|i| row[d.starts[i]..d.ends[i]].to_vec())
            .collect();
        let slow = d.split_csv_core(row, max_ends);
        proptest::prop_assert_eq!(fast, slow);
        if let Ok(n) = slow {
            let want: Vec<Vec<u8>> = (0..n)
                .map(|i| d.fields[if i == 0 { 0 } else { d.ends[i - 1] }..d.ends[i]].to_vec())
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
        Ok(true)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast splitter gives csv-core's fields whenever it answers (rows never hold a
        /// newline outside quotes: the framer ends them there).
        #[test]
        fn tokenize_equals_csv_core(
            row in proptest::collection::vec(proptest::sample::select(b"a,\" ;\r".to_vec()), 0..40),
            delim in proptest::sample::select(b",;".to_vec()),
            max_ends in 1usize..12,
        ) {
            tokenize_as_csv_core(&row, delim, max_ends)?;
        }

        /// Long rows, mostly without quotes (the word-at-a-time splitter's case, with a
        /// quote now and then and fields across word borders): the same fields, or the same
        /// refusal, as csv-core.
        #[test]
        fn split_unquoted_equals_csv_core(
            row in proptest::collection::vec(proptest::sample::select(b"ab,;\t|  \r0123456789".to_vec()), 0..300),
            quote in proptest::option::weighted(0.2, 0usize..300),
            delim in proptest::sample::select(b",;\t|".to_vec()),
            max_ends in 0usize..40,
        ) {
            let mut row = row;
            if let Some(at) = quote {
                row.insert(at.min(row.len()), b'"');
            }
            if !tokenize_as_csv_core(&row, delim, max_ends)? {
                proptest::prop_assert!(row.is_empty() || row.contains(&b'"'));
            }
        }

        /// Rows in every quoting shape decode the same through the fast path (whole text
        /// in one chunk) as through the framer alone (one byte per chunk).
        #[test]
        fn fast_path_equals_framer(
            rows in proptest::collection::vec(
                (0u8..6, proptest::sample::select(vec!["1", "\"1\"", "\"1\"\"\"", "\"1\n\"", " \"1\"", "1\"", "\"1\"x", ""]), 0u16..1000),
                0..12,
            ),
        ) {
            let mut text = String::from("protocolIdentifier,sourceIPv4Address,destinationIPv4Address,destinationTransportPort,flowStartMilliseconds,note\n");
            for (proto, note, port) in &rows {
                let line = match proto {
                    0 => format!("6,10.0.0.1,\"10.0.0.2\",{port},1561451807096,{note}\n"),
                    1 => format!("\"17\",10.0.0.1,10.0.0.2,\"{port}\",1561451807096,{note}\r\n"),
                    2 => format!("6,10.0.0.1,10.0.0.2,{port},1561451807096\n"),
                    3 => format!("6,10.0.0.1,10.0.0.2,{port},1561451807096,{note},extra\n"),
                    4 => "\n".to_string(),
                    _ => format!("#6,10.0.0.1,10.0.0.2,{port},1561451807096,{note}\n"),
                };
                text.push_str(&line);
            }
            let (whole, wd) = run(text.as_bytes(), Limits::default());
            let mut d = CsvDecoder::new(3, "t.csv", Limits::default());
            let (mut bytes, mut bd) = (Vec::new(), Diagnostics::with_cap(Limits::default().diagnostics_kept));
            for b in text.as_bytes() {
                d.feed(std::slice::from_ref(b), &mut bytes, &mut bd);
            }
            d.finish(true, &mut bytes, &mut bd);
            proptest::prop_assert_eq!(whole, bytes);
            proptest::prop_assert_eq!(format!("{wd:?}"), format!("{bd:?}"));
        }
    }

    const HDR: &str = "flowStartMilliseconds,flowEndMilliseconds,protocolIdentifier,sourceIPv4Address,sourceTransportPort,destinationIPv4Address,destinationTransportPort,packetTotalCount,octetTotalCount\n";

    #[test]
    fn minimal_rows_decode_with_positions() {
        let text = format!("{HDR}2019-06-25 08:36:47.096,2019-06-25 08:36:47.675,17,192.168.1.1,39396,192.168.1.225,137,2,156\n1561451807096,1561451807100,6,10.0.0.1,5,10.0.0.2,443,3,180\n");
        let (recs, diags) = decode(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(recs.len(), 2);
        let r = &recs[0];
        assert_eq!(r.start_ms, 1_561_451_807_096);
        assert_eq!(r.end_ms, 1_561_451_807_675);
        assert_eq!(r.protocol, 17);
        assert_eq!(r.src_addr, "192.168.1.1".parse::<IpAddr>().unwrap());
        assert_eq!((r.src_port, r.dst_port), (39396, 137));
        assert_eq!((r.packets, r.octets), (2, 156));
        assert_eq!(r.reverse_packets, None);
        assert!(!r.source_initiated);
        assert_eq!(
            r.position,
            Position {
                file: 3,
                line: 2,
                byte: HDR.len() as u64
            }
        );
        assert_eq!(recs[1].position.line, 3);
        assert_eq!(recs[1].start_ms, 1_561_451_807_096);
        assert_eq!(recs[1].protocol, 6);
    }

    #[test]
    fn yaf_biflow_columns_flags_macs_and_icmp() {
        let text = "\"flowStartMilliseconds\",\"protocolIdentifier\",\"sourceIPv6Address\",\"destinationIPv6Address\",\"sourceTransportPort\",\"destinationTransportPort\",\"sourceMacAddress\",\"postDestinationMacAddress\",\"packetDeltaCount\",\"reversePacketTotalCount\",\"reverseOctetDeltaCount\",\"initialTCPFlags\",\"unionTCPFlags\",\"reverseInitialTCPFlags\",\"icmpTypeCodeIPv6\"\n\
            \"2019-06-25T08:36:47Z\",6,\"fe80::1\",\"2001:db8::2\",50000,443,\"AA:1E:84:06:1C:B4\",\"38-d5-47-0c-25-d4\",4,0,,\"S\",\"0x1b\",\"18\",\"\"\n\
            \"2019-06-25T08:36:48Z\",58,\"fe80::1\",\"ff02::1\",0,0,\"\",\"\",1,,,\"0\",\"\",\"\",\"0x8000\"\n";
        let (recs, diags) = decode(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(recs.len(), 2);
        let r = &recs[0];
        assert!(r.source_initiated);
        assert_eq!(r.src_mac, Mac::parse("aa:1e:84:06:1c:b4"));
        assert_eq!(r.dst_mac, Mac::parse("38:d5:47:0c:25:d4"));
        assert_eq!(r.packets, 4);
        assert_eq!(r.reverse_packets, Some(0));
        assert_eq!(
            r.reverse_octets,
            Some(0),
            "empty reverse counter in a biflow file is 0"
        );
        assert_eq!(r.initial_tcp_flags, Some(0x02));
        assert_eq!(r.union_tcp_flags, Some(0x1b));
        assert_eq!(r.reverse_initial_tcp_flags, Some(0x12));
        assert_eq!(r.icmp_type_code, None, "not ICMP");
        assert_eq!(r.end_ms, r.start_ms, "no end column: end = start");
        let r = &recs[1];
        assert_eq!(r.protocol, 58);
        assert_eq!((r.src_mac, r.dst_mac), (None, None));
        assert_eq!(r.reverse_packets, Some(0));
        assert_eq!(r.initial_tcp_flags, Some(0));
        assert_eq!(r.union_tcp_flags, None);
        assert_eq!(r.icmp_type_code, Some(0x8000));
    }

    #[test]
    fn icmp_type_code_in_ports_is_left_alone_and_v4_field_read() {
        let text = "flowStartSeconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address,sourceTransportPort,destinationTransportPort,icmpTypeCodeIPv4,tcpControlBits\n\
            1561451807,1,192.168.1.5,8.8.8.8,3,3,771,\n\
            1561451807.5,6,192.168.1.5,8.8.8.8,1,2,771,0x0112\n";
        let (recs, diags) = decode(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!((recs[0].src_port, recs[0].dst_port), (3, 3));
        assert_eq!(recs[0].icmp_type_code, Some(771));
        assert_eq!(recs[0].packets, 1, "no packet column: one packet");
        assert_eq!(recs[1].start_ms, 1_561_451_807_500);
        assert_eq!(recs[1].icmp_type_code, None);
        assert_eq!(
            recs[1].union_tcp_flags,
            Some(0x12),
            "tcpControlBits low byte"
        );
        assert!(!recs[1].source_initiated);
    }

    #[test]
    fn quoted_fields_crlf_and_blank_lines() {
        let text = "\"flowStartMilliseconds\",\"note\",protocolIdentifier,sourceIPv4Address,destinationIPv4Address\r\n\
            \r\n\
            1,\"a, \"\"quoted\"\"\r\nvalue\",17,10.0.0.1,10.0.0.2\r\n\
            \r\n   \r\n\
            2,plain,17,10.0.0.1,10.0.0.2\r\n\
            3,\"\",17,10.0.0.1,10.0.0.2";
        let (recs, diags) = decode(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            recs.iter().map(|r| r.start_ms).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(
            recs.iter().map(|r| r.position.line).collect::<Vec<_>>(),
            vec![3, 7, 8]
        );
        let second_row = text.find("1,\"a").unwrap() as u64;
        assert_eq!(recs[0].position.byte, second_row);
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_column_and_neighbours_kept() {
        let text = format!(
            "{HDR}1,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n\
             1,2,17,10.0.0.1,1,10.0.0.2,70000,1,60\n\
             1,2,17,10.0.0.1,1,10.0.0.2,53,1\n\
             1,2,17,10.0.0.999,1,10.0.0.2,53,1,60\n\
             1,2,17,10.0.0.1,1,10.0.0.2,53,1,60,extra\n\
             1,2,17,10.0.0.1,1,10.0.0.2,53,x,60\n\
             ,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n\
             1,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n"
        );
        let (recs, diags) = decode(&text);
        assert_eq!(
            recs.iter().map(|r| r.position.line).collect::<Vec<_>>(),
            vec![2, 9]
        );
        let got: Vec<(Option<u64>, Option<&str>, DiagKind)> = diags
            .kept
            .iter()
            .map(|d| (d.line, d.column.as_deref(), d.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some(3),
                    Some("destinationTransportPort"),
                    DiagKind::BadValue
                ),
                (Some(4), None, DiagKind::FieldCount),
                (Some(5), Some("sourceIPv4Address"), DiagKind::BadValue),
                (Some(6), None, DiagKind::FieldCount),
                (Some(7), Some("packetTotalCount"), DiagKind::BadValue),
                (Some(8), Some("flowStartMilliseconds"), DiagKind::BadValue),
            ]
        );
        let d = &diags.kept[0];
        assert_eq!(d.file, "t.csv");
        assert_eq!(
            d.message,
            "destinationTransportPort: \"70000\" is not a port number (0-65535); row skipped"
        );
        assert_eq!(
            diags.kept[1].message,
            "row has 8 fields, the header has 9; skipped"
        );
        assert_eq!(
            diags.kept[3].message,
            "row has 10 fields, the header has 9; skipped"
        );
        assert_eq!(
            diags.kept[5].message,
            "flowStartMilliseconds: required value is empty; row skipped"
        );
        let row3 = text.match_indices('\n').nth(1).unwrap().0 as u64 + 1;
        assert_eq!(d.offset, Some(row3));
    }

    #[test]
    fn missing_required_columns_give_one_diagnostic_and_no_records() {
        let (recs, diags) =
            decode("flowEndMilliseconds,sourceIPv4Address,foo\n1,10.0.0.1,2\n3,10.0.0.1,4\n");
        assert!(recs.is_empty());
        assert_eq!(diags.total(), 1);
        let d = &diags.kept[0];
        assert_eq!(d.kind, DiagKind::MissingColumn);
        assert_eq!(d.line, Some(1));
        assert_eq!(
            d.message,
            "header lacks required column(s): a start time (flowStartMilliseconds, flowStartSeconds, \
             flowStartMicroseconds or flowStartNanoseconds); protocolIdentifier; a destination address \
             (destinationIPv4Address or destinationIPv6Address); no records read from this text"
        );
    }

    #[test]
    fn empty_text_has_no_header() {
        let (recs, diags) = decode("\n\r\n  \n");
        assert!(recs.is_empty());
        assert_eq!(diags.kept.len(), 1);
        assert_eq!(diags.kept[0].kind, DiagKind::UnknownFormat);
        assert_eq!(diags.kept[0].line, Some(4));
    }

    #[test]
    fn repeated_header_is_skipped_silently() {
        let text = format!(
            "{HDR}1,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n{HDR}5,6,17,10.0.0.1,1,10.0.0.2,53,1,60\n"
        );
        let (recs, diags) = decode(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(recs.len(), 2);
    }

    #[test]
    fn unterminated_quote_at_the_end_is_reported() {
        let text = format!(
            "{HDR}1,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n1,2,17,\"10.0.0.1,1,10.0.0.2,53,1,60\n"
        );
        let (recs, diags) = decode(&text);
        assert_eq!(recs.len(), 1);
        assert_eq!(diags.kept.len(), 1);
        assert_eq!(diags.kept[0].kind, DiagKind::Truncated);
        assert_eq!(diags.kept[0].line, Some(3));
    }

    #[test]
    fn incomplete_text_drops_the_partial_last_row() {
        let mut d = CsvDecoder::new(0, "t.csv", Limits::default());
        let (mut out, mut diags) = (Vec::new(), Diagnostics::with_cap(10));
        d.feed(
            format!("{HDR}1,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n1,2,17,10.0.0.1,1,10.0.0.2,53,1,6")
                .as_bytes(),
            &mut out,
            &mut diags,
        );
        d.finish(false, &mut out, &mut diags);
        assert_eq!(out.len(), 1);
        assert!(diags.is_empty());
    }

    #[test]
    fn limit_max_line_bytes() {
        let limits = Limits {
            max_line_bytes: 40,
            ..Limits::default()
        };
        let hdr = "flowStartSeconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address\n";
        // the header itself is longer than 40: it is skipped, so use a short header
        let short = "flowStartSeconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address";
        assert!(short.len() > 40);
        let (recs, diags) = run(hdr.as_bytes(), limits.clone());
        assert!(recs.is_empty());
        assert_eq!(diags.kept[0].kind, DiagKind::TooLong);

        let limits = Limits {
            max_line_bytes: 100,
            ..Limits::default()
        };
        let ok = "1,17,10.0.0.1,10.0.0.2";
        let exact = format!("1,17,10.0.0.1,10.0.0.2,{}", "x".repeat(100 - ok.len() - 1));
        let over = format!("{exact}y");
        let hdr5 =
            "flowStartSeconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address,x\n";
        let text = format!("{hdr5}{exact}\r\n{over}\r\n{}\n{exact}", "z".repeat(5000));
        let (recs, diags) = run(text.as_bytes(), limits);
        assert_eq!(exact.len(), 100);
        assert_eq!(
            recs.iter().map(|r| r.position.line).collect::<Vec<_>>(),
            vec![2, 5]
        );
        assert_eq!(
            diags
                .kept
                .iter()
                .map(|d| (d.line, d.kind))
                .collect::<Vec<_>>(),
            vec![(Some(3), DiagKind::TooLong), (Some(4), DiagKind::TooLong)]
        );
    }

    #[test]
    fn limit_max_fields() {
        let limits = Limits {
            max_fields: 5,
            ..Limits::default()
        };
        let five = "flowStartSeconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address,x\n1,17,10.0.0.1,10.0.0.2,y\n";
        let (recs, diags) = run(five.as_bytes(), limits.clone());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(recs.len(), 1);
        let six = "flowStartSeconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address,x,y\n1,17,10.0.0.1,10.0.0.2,y,z\n";
        let (recs, diags) = run(six.as_bytes(), limits);
        assert!(recs.is_empty());
        assert_eq!(diags.total(), 1);
        assert_eq!(diags.kept[0].kind, DiagKind::Limit);
        assert_eq!(
            diags.kept[0].message,
            "header has more than max_fields (5) fields; no records read from this text"
        );
    }

    #[test]
    fn limit_diagnostics_kept() {
        let limits = Limits {
            diagnostics_kept: 2,
            ..Limits::default()
        };
        let text = format!("{HDR}x\ny\nz\n1,2,17,10.0.0.1,1,10.0.0.2,53,1,60\n");
        let (recs, diags) = run(text.as_bytes(), limits);
        assert_eq!(recs.len(), 1);
        assert_eq!(diags.kept.len(), 2);
        assert_eq!(diags.total(), 3);
        assert_eq!(diags.counts.get(&DiagKind::FieldCount), Some(&3));
    }

    #[test]
    fn chunking_does_not_change_the_result() {
        let text = "\u{feff}flowStartMilliseconds,note,protocolIdentifier,sourceIPv4Address,destinationIPv4Address\r\n\
            1,\"a, \"\"q\"\"\r\nv\",17,10.0.0.1,10.0.0.2\r\n\r\n2,x,17,10.0.0.1,bad\r\n3,,17,10.0.0.1,10.0.0.2";
        let whole = run(text.as_bytes(), Limits::default());
        for size in 1..=7 {
            let mut d = CsvDecoder::new(3, "t.csv", Limits::default());
            let (mut out, mut diags) = (Vec::new(), Diagnostics::with_cap(1000));
            for c in text.as_bytes().chunks(size) {
                d.feed(c, &mut out, &mut diags);
            }
            d.finish(true, &mut out, &mut diags);
            assert_eq!((out, diags), whole, "chunk size {size}");
        }
    }
}
