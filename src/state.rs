//! The app state and its reducer: `AppState::apply(action)` is plain Rust, unit tested
//! natively. Components only dispatch [`Action`]s and render the state.

use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use svcprint_engine::DeviceSummary;
use svcprint_flow::FileSummary;

/// Where the app is in its single workflow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Nothing loaded yet (or cleared).
    Empty,
    /// Files are being read and analysed.
    Reading,
    /// Results are shown.
    Done,
    /// The run was cancelled by the user.
    Cancelled,
    /// The run failed (not bad input: that gives diagnostics).
    Failed(String),
}

/// One input file and how far it got.
#[derive(Clone, Debug, PartialEq)]
pub struct FileState {
    pub name: String,
    pub size: u64,
    pub bytes_done: u64,
    pub summary: Option<FileSummary>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub phase: Phase,
    /// Id of the current run; messages of other runs are ignored.
    pub run: u32,
    pub files: Vec<FileState>,
    pub records: u64,
    pub devices: Vec<DeviceSummary>,
    /// Key of the device whose services are charted.
    pub selected: Option<String>,
    /// Known names and types by device key.
    pub labels: BTreeMap<String, DeviceLabel>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            phase: Phase::Empty,
            run: 0,
            files: Vec::new(),
            records: 0,
            devices: Vec::new(),
            selected: None,
            labels: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The user chose files (or the demo); a new run starts.
    Start {
        run: u32,
        files: Vec<(String, u64)>,
    },
    /// The worker processed `bytes` more of file `file`.
    Progress {
        run: u32,
        file: u32,
        bytes: u64,
        records: u64,
    },
    FileDone {
        run: u32,
        file: u32,
        summary: FileSummary,
    },
    Finished {
        run: u32,
        records: u64,
        devices: Vec<DeviceSummary>,
        labels: Vec<DeviceLabel>,
    },
    Failed {
        run: u32,
        message: String,
    },
    Cancel,
    Select(String),
}

impl AppState {
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Start { run, files } => {
                *self = AppState {
                    phase: Phase::Reading,
                    run,
                    files: files
                        .into_iter()
                        .map(|(name, size)| FileState {
                            name,
                            size,
                            bytes_done: 0,
                            summary: None,
                        })
                        .collect(),
                    ..AppState::default()
                };
            }
            Action::Progress {
                run,
                file,
                bytes,
                records,
            } if self.is_current(run) => {
                if let Some(f) = self.files.get_mut(file as usize) {
                    f.bytes_done = f.bytes_done.saturating_add(bytes).min(f.size);
                }
                self.records = records;
            }
            Action::FileDone { run, file, summary } if self.is_current(run) => {
                if let Some(f) = self.files.get_mut(file as usize) {
                    f.bytes_done = f.size;
                    f.summary = Some(summary);
                }
            }
            Action::Finished {
                run,
                records,
                devices,
                labels,
            } if self.is_current(run) => {
                self.labels = labels.into_iter().map(|l| (l.key.clone(), l)).collect();
                self.phase = Phase::Done;
                self.records = records;
                for f in &mut self.files {
                    f.bytes_done = f.size;
                }
                // Keep the selection when the device is still there, else pick the busiest.
                let keep = self
                    .selected
                    .as_ref()
                    .is_some_and(|k| devices.iter().any(|d| &d.key == k));
                if !keep {
                    self.selected = devices
                        .iter()
                        .max_by_key(|d| (d.flows, std::cmp::Reverse(d.key.clone())))
                        .map(|d| d.key.clone());
                }
                self.devices = devices;
            }
            Action::Failed { run, message } if self.is_current(run) => {
                self.phase = Phase::Failed(message);
            }
            Action::Cancel if self.phase == Phase::Reading => {
                self.phase = Phase::Cancelled;
            }
            Action::Select(key) if self.devices.iter().any(|d| d.key == key) => {
                self.selected = Some(key);
            }
            _ => {}
        }
    }

    fn is_current(&self, run: u32) -> bool {
        run == self.run && self.phase == Phase::Reading
    }

    /// Bytes read of all files, and their total.
    pub fn progress(&self) -> (u64, u64) {
        self.files
            .iter()
            .fold((0, 0), |(d, t), f| (d + f.bytes_done, t + f.size))
    }

    pub fn selected_device(&self) -> Option<&DeviceSummary> {
        let key = self.selected.as_ref()?;
        self.devices.iter().find(|d| &d.key == key)
    }

    /// Diagnostics of every finished file, in file order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &svcprint_flow::Diagnostic> {
        self.files
            .iter()
            .filter_map(|f| f.summary.as_ref())
            .flat_map(|s| s.diagnostics.kept.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::ServiceStat;

    fn device(key: &str, flows: u64) -> DeviceSummary {
        DeviceSummary {
            key: key.into(),
            flows,
            active_bins: 1,
            first_ms: 0,
            last_ms: 1,
            services: vec![ServiceStat {
                service: "TCP/443".into(),
                prevalence: 1.0,
                flows,
            }],
        }
    }

    fn started() -> AppState {
        let mut s = AppState::default();
        s.apply(Action::Start {
            run: 7,
            files: vec![("a.csv".into(), 100), ("b.zip".into(), 50)],
        });
        s
    }

    #[test]
    fn start_resets_and_lists_files() {
        let mut s = started();
        s.selected = Some("x".into());
        s.apply(Action::Start {
            run: 8,
            files: vec![("c.csv".into(), 10)],
        });
        assert_eq!(s.phase, Phase::Reading);
        assert_eq!(s.run, 8);
        assert_eq!(s.files.len(), 1);
        assert_eq!(s.selected, None);
        assert_eq!(s.progress(), (0, 10));
    }

    #[test]
    fn progress_accumulates_and_is_capped_at_file_size() {
        let mut s = started();
        s.apply(Action::Progress {
            run: 7,
            file: 0,
            bytes: 60,
            records: 3,
        });
        s.apply(Action::Progress {
            run: 7,
            file: 0,
            bytes: 60,
            records: 5,
        });
        s.apply(Action::Progress {
            run: 7,
            file: 1,
            bytes: 20,
            records: 6,
        });
        assert_eq!(s.progress(), (120, 150));
        assert_eq!(s.records, 6);
    }

    #[test]
    fn messages_of_another_run_are_ignored() {
        let mut s = started();
        s.apply(Action::Progress {
            run: 6,
            file: 0,
            bytes: 60,
            records: 3,
        });
        s.apply(Action::Finished {
            run: 6,
            records: 1,
            devices: vec![device("a", 1)],
            labels: Vec::new(),
        });
        assert_eq!(s.progress(), (0, 150));
        assert_eq!(s.phase, Phase::Reading);
        assert!(s.devices.is_empty());
    }

    #[test]
    fn finished_shows_devices_selects_busiest_and_completes_progress() {
        let mut s = started();
        s.apply(Action::Finished {
            run: 7,
            records: 9,
            devices: vec![device("a", 1), device("b", 5), device("c", 5)],
            labels: Vec::new(),
        });
        assert_eq!(s.phase, Phase::Done);
        assert_eq!(s.progress(), (150, 150));
        // b and c tie on flows: the smaller key wins.
        assert_eq!(s.selected.as_deref(), Some("b"));
        s.apply(Action::Select("c".into()));
        assert_eq!(s.selected_device().map(|d| d.key.as_str()), Some("c"));
        s.apply(Action::Select("nope".into()));
        assert_eq!(s.selected.as_deref(), Some("c"));
    }

    #[test]
    fn cancel_stops_the_run_and_late_messages_are_dropped() {
        let mut s = started();
        s.apply(Action::Cancel);
        assert_eq!(s.phase, Phase::Cancelled);
        s.apply(Action::Finished {
            run: 7,
            records: 1,
            devices: vec![device("a", 1)],
            labels: Vec::new(),
        });
        assert_eq!(s.phase, Phase::Cancelled);
        assert!(s.devices.is_empty());
    }

    #[test]
    fn labels_arrive_with_the_results_and_a_new_run_clears_them() {
        let mut s = started();
        let label = DeviceLabel {
            key: "a".into(),
            name: "plug".into(),
            kind: "smart_plug".into(),
        };
        s.apply(Action::Finished {
            run: 7,
            records: 1,
            devices: vec![device("a", 1)],
            labels: vec![label.clone()],
        });
        assert_eq!(s.labels.get("a"), Some(&label));
        s.apply(Action::Start {
            run: 8,
            files: vec![("x.csv".into(), 1)],
        });
        assert!(s.labels.is_empty());
    }

    #[test]
    fn failure_is_shown() {
        let mut s = started();
        s.apply(Action::Failed {
            run: 7,
            message: "boom".into(),
        });
        assert_eq!(s.phase, Phase::Failed("boom".into()));
    }
}
