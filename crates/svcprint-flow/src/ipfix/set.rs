//! Set framing inside one message (RFC 7011 section 3.3): each set is read strictly
//! inside the message, and its records strictly inside the set.

/// One set: its id, its offset in the message and its body (header excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Set<'a> {
    pub id: u16,
    pub offset: usize,
    pub body: &'a [u8],
}

/// Why the sets of a message cannot be framed further.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetError {
    /// The set length is below 4 or runs past the end of the message.
    Length {
        id: u16,
        offset: usize,
        length: u16,
        left: usize,
    },
}

impl SetError {
    /// Where the bad set starts, from the start of its message.
    pub fn offset(&self) -> usize {
        match self {
            SetError::Length { offset, .. } => *offset,
        }
    }
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetError::Length {
                id,
                offset,
                length,
                left,
            } => write!(
                f,
                "set id {id} at message offset {offset} has length {length}, {left} bytes left in the message"
            ),
        }
    }
}

/// Iterates over the sets of `msg` from `start` (16 for IPFIX, 20 for NetFlow v9).
/// Stops after the first framing error. Fewer than 4 trailing bytes, or trailing
/// zeros, are padding.
pub struct Sets<'a> {
    msg: &'a [u8],
    at: usize,
    done: bool,
}

impl<'a> Sets<'a> {
    pub fn new(msg: &'a [u8], start: usize) -> Self {
        Sets {
            msg,
            at: start,
            done: false,
        }
    }
}

impl<'a> Iterator for Sets<'a> {
    type Item = Result<Set<'a>, SetError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.msg.get(self.at..).unwrap_or(&[]);
        if rest.len() < 4 || rest.iter().all(|&b| b == 0) {
            self.done = true;
            return None;
        }
        let id = u16::from_be_bytes([rest[0], rest[1]]);
        let length = u16::from_be_bytes([rest[2], rest[3]]);
        if usize::from(length) < 4 || usize::from(length) > rest.len() {
            self.done = true;
            return Some(Err(SetError::Length {
                id,
                offset: self.at,
                length,
                left: rest.len(),
            }));
        }
        let set = Set {
            id,
            offset: self.at,
            body: &rest[4..usize::from(length)],
        };
        self.at += usize::from(length);
        Some(Ok(set))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_pads_and_stops() {
        let msg = [
            0, 2, 0, 6, 0xaa, 0xbb, // set 2, 2-byte body
            1, 0, 0, 4, // set 256, empty
            0, 0, 0, 0, 0, // padding
        ];
        let sets: Vec<_> = Sets::new(&msg, 0).collect();
        assert_eq!(
            sets,
            vec![
                Ok(Set {
                    id: 2,
                    offset: 0,
                    body: &[0xaa, 0xbb]
                }),
                Ok(Set {
                    id: 256,
                    offset: 6,
                    body: &[]
                })
            ]
        );
        let msg = [1, 0, 0, 40, 1, 2];
        assert_eq!(
            Sets::new(&msg, 0).collect::<Vec<_>>(),
            vec![Err(SetError::Length {
                id: 256,
                offset: 0,
                length: 40,
                left: 6
            })]
        );
    }
}
