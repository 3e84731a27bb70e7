//! Coalescing of recomputations: while the worker recomputes, new parameters wait, and
//! only the latest waiting value is sent when it answers. Dragging a slider fires dozens
//! of values a second; without this each would be queued in the worker and computed in
//! turn, long after the user let go. Plain Rust, tested natively.

/// Recomputations asked of the worker and not yet answered, and the latest parameters
/// held back meanwhile.
#[derive(Clone, Debug, PartialEq)]
pub struct Coalescer<T> {
    in_flight: u32,
    pending: Option<T>,
}

impl<T> Default for Coalescer<T> {
    fn default() -> Self {
        Coalescer {
            in_flight: 0,
            pending: None,
        }
    }
}

impl<T> Coalescer<T> {
    /// New parameters: returned to be sent now when the worker is idle, else held (an
    /// earlier held value is replaced: it would be stale by the time it ran).
    pub fn offer(&mut self, value: T) -> Option<T> {
        if self.in_flight == 0 {
            self.in_flight = 1;
            Some(value)
        } else {
            self.pending = Some(value);
            None
        }
    }

    /// Another recomputation was asked for (labels, a library) and is always sent; its
    /// answer counts like the others'.
    pub fn other(&mut self) {
        self.in_flight = self.in_flight.saturating_add(1);
    }

    /// The worker answered one recomputation: the held value, if any, to send now.
    pub fn answered(&mut self) -> Option<T> {
        self.in_flight = self.in_flight.saturating_sub(1);
        if self.in_flight == 0 {
            let next = self.pending.take();
            if next.is_some() {
                self.in_flight = 1;
            }
            next
        } else {
            None
        }
    }

    /// A new run: nothing is computing, nothing waits.
    pub fn reset(&mut self) {
        *self = Coalescer::default();
    }

    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drag_sends_the_first_value_then_only_the_latest() {
        let mut c = Coalescer::default();
        assert_eq!(c.offer(0.80), Some(0.80));
        assert!(c.busy());
        // The slider moves on while the worker computes 0.80.
        for v in [0.81, 0.82, 0.83, 0.84] {
            assert_eq!(c.offer(v), None);
        }
        // 0.80 answered: only 0.84 is computed next.
        assert_eq!(c.answered(), Some(0.84));
        assert_eq!(c.offer(0.85), None);
        assert_eq!(c.answered(), Some(0.85));
        assert_eq!(c.answered(), None);
        assert!(!c.busy());
        assert_eq!(c.offer(0.9), Some(0.9));
    }

    #[test]
    fn other_recomputations_are_waited_for_too() {
        let mut c = Coalescer::default();
        c.other(); // a label file
        assert_eq!(c.offer(1), None);
        assert_eq!(c.offer(2), None);
        assert_eq!(c.answered(), Some(2));
        c.other(); // an inline label while 2 computes
        assert_eq!(c.offer(3), None);
        assert_eq!(c.answered(), None, "the label's answer is still due");
        assert_eq!(c.answered(), Some(3));
        assert_eq!(c.answered(), None);
        // Late answers (of a replaced run) never go below zero.
        assert_eq!(c.answered(), None);
        assert_eq!(c.offer(4), Some(4));
        c.reset();
        assert!(!c.busy());
        assert_eq!(c.offer(5), Some(5));
    }
}
