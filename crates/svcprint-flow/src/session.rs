//! A decoding session: several files, decoded one after another in the order given,
//! that share NetFlow v9 / IPFIX templates per exporter (a template file, then the
//! data file that needs it).

use crate::input::FileDecoder;
use crate::ipfix::decoder::TemplateStore;
use crate::limits::Limits;
use std::cell::RefCell;
use std::rc::Rc;

/// Templates shared by the files of one [`Session`]. A file's binary decoder takes the
/// templates when its content is recognised and gives them back (merged) when it
/// finishes, so files must be decoded one after another for sharing to work.
#[derive(Clone, Debug, Default)]
pub struct Templates(Rc<RefCell<TemplateStore>>);

impl Templates {
    pub(crate) fn take(&self) -> TemplateStore {
        std::mem::take(&mut *self.0.borrow_mut())
    }

    pub(crate) fn give_back(&self, store: TemplateStore) {
        self.0.borrow_mut().merge(store);
    }

    /// Templates currently held (all scopes).
    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Creates the [`FileDecoder`]s of one session: file indexes in order, one template
/// store for all of them. `FileDecoder::new` remains the standalone form (its own
/// templates).
///
/// ```
/// use svcprint_flow::{Limits, Session};
/// let mut session = Session::new(Limits::default());
/// let mut out = Vec::new();
/// for (name, bytes) in [("tpl.dat", &b""[..]), ("data.dat", &b""[..])] {
///     let mut d = session.file(name);
///     d.feed(bytes, &mut out);
///     d.finish(&mut out);
/// }
/// assert!(out.is_empty());
/// ```
#[derive(Debug, Default)]
pub struct Session {
    limits: Limits,
    templates: Templates,
    next_index: u32,
}

impl Session {
    pub fn new(limits: Limits) -> Self {
        Session {
            limits,
            templates: Templates::default(),
            next_index: 0,
        }
    }

    /// The decoder of the next file (file index 0, 1, ...). Finish it before feeding
    /// the next one.
    pub fn file(&mut self, name: &str) -> FileDecoder {
        let d = FileDecoder::with_templates(
            self.next_index,
            name,
            self.limits.clone(),
            self.templates.clone(),
        );
        self.next_index += 1;
        d
    }

    /// The session's template store.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }
}
