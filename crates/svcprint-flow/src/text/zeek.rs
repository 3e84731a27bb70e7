//! Zeek's TSV log header: `#separator`, `#unset_field`, `#empty_field`, `#fields` (the
//! column names), `#types`, `#path`, `#open` / `#close` lines, each starting with `#`.
//! Data rows are split at the separator with no quoting; `-` (unset) and `(empty)`
//! mean no value. Some published logs (IoT-23's `conn.log.labeled`) separate their last
//! columns with three spaces instead of a tab: when the `#fields` line does that, data
//! rows are split at three-space runs too.

/// What the directives said so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZeekHeader {
    pub separator: u8,
    pub unset: Vec<u8>,
    pub empty: Vec<u8>,
    /// Three spaces also separate columns (IoT-23).
    pub spaces3: bool,
}

impl Default for ZeekHeader {
    fn default() -> Self {
        ZeekHeader {
            separator: b'\t',
            unset: b"-".to_vec(),
            empty: b"(empty)".to_vec(),
            spaces3: false,
        }
    }
}

/// One directive line (without its terminator).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Directive<'a> {
    Separator(u8),
    Unset(&'a [u8]),
    Empty(&'a [u8]),
    /// The `#fields` line after its keyword and separator.
    Fields(&'a [u8]),
    /// Any other `#` line.
    Other,
}

/// The value of `#separator`: one byte, written literally or as `\xHH`.
fn separator_value(v: &[u8]) -> Option<u8> {
    match v {
        [c] => Some(*c),
        [b'\\', b'x', h, l] => {
            let d = |c: &u8| (*c as char).to_digit(16);
            Some((d(h)? * 16 + d(l)?) as u8)
        }
        _ => None,
    }
}

/// Read a `#` line. `sep` is the separator in force.
pub(crate) fn directive(line: &[u8], sep: u8) -> Directive<'_> {
    if let Some(rest) = line.strip_prefix(b"#separator") {
        if let Some(b) = separator_value(rest.trim_ascii()) {
            return Directive::Separator(b);
        }
        return Directive::Other;
    }
    let value = |key: &[u8]| {
        line.strip_prefix(key)
            .and_then(|r| r.strip_prefix(&[sep]))
            .map(|r| r.trim_ascii_end())
    };
    if let Some(v) = value(b"#unset_field") {
        Directive::Unset(v)
    } else if let Some(v) = value(b"#empty_field") {
        Directive::Empty(v)
    } else if let Some(v) = value(b"#fields") {
        Directive::Fields(v)
    } else {
        Directive::Other
    }
}

/// Field ends of a Zeek row (no quoting): at each `sep`, and at each run of three spaces
/// when `spaces3`. `ends[i]` is the end of field `i`; a field is `row[ends[i-1]..ends[i]]`
/// with its leading separator, which trimming removes. `Err(())` past `max` fields.
pub(crate) fn split(
    row: &[u8],
    sep: u8,
    spaces3: bool,
    ends: &mut Vec<usize>,
    max: usize,
) -> Result<usize, ()> {
    ends.clear();
    let mut i = 0;
    while i < row.len() {
        if row[i] == sep {
            push(ends, i, max)?;
            i += 1;
        } else if spaces3 && row[i..].starts_with(b"   ") {
            push(ends, i, max)?;
            i += 3;
        } else {
            i += 1;
        }
    }
    push(ends, row.len(), max)?;
    Ok(ends.len())
}

/// Field ends for whitespace-separated text: runs of spaces and tabs separate fields;
/// leading and trailing runs are ignored.
pub(crate) fn split_whitespace(row: &[u8], ends: &mut Vec<usize>, max: usize) -> Result<usize, ()> {
    ends.clear();
    let row_end = row.len()
        - row
            .iter()
            .rev()
            .take_while(|c| **c == b' ' || **c == b'\t')
            .count();
    let mut i = row
        .iter()
        .take_while(|c| **c == b' ' || **c == b'\t')
        .count();
    if i >= row_end {
        return Ok(0);
    }
    while i < row_end {
        if row[i] == b' ' || row[i] == b'\t' {
            push(ends, i, max)?;
            while i < row_end && (row[i] == b' ' || row[i] == b'\t') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    push(ends, row_end, max)?;
    Ok(ends.len())
}

fn push(ends: &mut Vec<usize>, at: usize, max: usize) -> Result<(), ()> {
    if ends.len() >= max {
        return Err(());
    }
    ends.push(at);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(
            directive(b"#separator \\x09", b'\t'),
            Directive::Separator(b'\t')
        );
        assert_eq!(
            directive(b"#separator ,", b'\t'),
            Directive::Separator(b',')
        );
        assert_eq!(directive(b"#separator \\xZZ", b'\t'), Directive::Other);
        assert_eq!(directive(b"#unset_field\t-", b'\t'), Directive::Unset(b"-"));
        assert_eq!(
            directive(b"#empty_field\t(empty)", b'\t'),
            Directive::Empty(b"(empty)")
        );
        assert_eq!(
            directive(b"#fields\tts\tuid", b'\t'),
            Directive::Fields(b"ts\tuid")
        );
        assert_eq!(directive(b"#fields,ts", b'\t'), Directive::Other);
        assert_eq!(directive(b"#close\t2019", b'\t'), Directive::Other);
    }

    #[test]
    fn splits() {
        let mut ends = Vec::new();
        let row = b"a\t\tb   c   -";
        assert_eq!(split(row, b'\t', true, &mut ends, 10), Ok(5));
        assert_eq!(ends, vec![1, 2, 4, 8, 12]);
        assert_eq!(split(row, b'\t', false, &mut ends, 10), Ok(3));
        assert_eq!(split(row, b'\t', false, &mut ends, 2), Err(()));
        assert_eq!(split_whitespace(b"  a  b\tc  ", &mut ends, 10), Ok(3));
        assert_eq!(ends, vec![3, 6, 8]);
        assert_eq!(split_whitespace(b"   ", &mut ends, 10), Ok(0));
    }
}
