//! The app state and its reducer: `AppState::apply(action)` is plain Rust, unit tested
//! natively. Components only dispatch [`Action`]s and render the state.

use crate::analysis::{Analysis, DeviceFingerprints};
use crate::compare::{Identification, SimilarityView};
use crate::detail::DeviceDetail;
use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use std::rc::Rc;
use svcprint_engine::{Config, DeviceSummary, Evaluation};
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

/// The views of the results, one tab each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// The device table and the service x device prevalence heatmap.
    #[default]
    Overview,
    /// The selected device: its services, activity and exporter timeline.
    Device,
    /// Pairwise similarity of the devices, clustered.
    Similarity,
    /// Every device identified against the library of the labelled ones.
    Identify,
    /// The M11 evaluation.
    Evaluate,
}

impl View {
    /// Every view in tab order.
    pub const ALL: [View; 5] = [
        View::Overview,
        View::Device,
        View::Similarity,
        View::Identify,
        View::Evaluate,
    ];

    /// The tab's text.
    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Device => "Device",
            View::Similarity => "Similarity",
            View::Identify => "Identify",
            View::Evaluate => "Evaluate",
        }
    }

    /// The lower-case name used in element ids (`view-overview`, `tab-overview`).
    pub fn slug(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Device => "device",
            View::Similarity => "similarity",
            View::Identify => "identify",
            View::Evaluate => "evaluate",
        }
    }

    /// The tab `step` places after this one, wrapping around (arrow keys on the tab bar).
    pub fn step(self, step: isize) -> View {
        let n = View::ALL.len() as isize;
        let i = View::ALL.iter().position(|v| *v == self).unwrap_or(0) as isize;
        View::ALL[(i + step).rem_euclid(n) as usize]
    }
}

/// One input file and how far it got.
#[derive(Clone, Debug, PartialEq)]
pub struct FileState {
    pub name: String,
    pub size: u64,
    pub bytes_done: u64,
    pub summary: Option<FileSummary>,
}

/// The column-mapping dialog of one file (its header and first rows).
#[derive(Clone, Debug, PartialEq)]
pub struct Mapper {
    pub file: u32,
    pub name: String,
    pub preview: svcprint_flow::Preview,
}

/// The last label file read (or the demo's labels).
#[derive(Clone, Debug, PartialEq)]
pub struct LabelFile {
    pub name: String,
    pub count: usize,
    pub errors: Vec<String>,
    /// Its labels (kept to be saved in the browser).
    pub labels: Vec<DeviceLabel>,
}

/// The imported library identification uses.
#[derive(Clone, Debug, PartialEq)]
pub struct LibraryInfo {
    pub name: String,
    pub fingerprints: usize,
    pub labels: usize,
    pub representation: String,
}

/// A message about what is saved in this browser (saved, restored, cleared, or why not).
#[derive(Clone, Debug, PartialEq)]
pub struct StorageNote {
    pub ok: bool,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub phase: Phase,
    /// Id of the current run; messages of other runs are ignored.
    pub run: u32,
    pub files: Vec<FileState>,
    pub records: u64,
    /// Shared with the views (cloning the state or the props never copies them).
    pub devices: Rc<Vec<DeviceSummary>>,
    pub fingerprints: Rc<BTreeMap<String, DeviceFingerprints>>,
    pub evaluation: Option<Evaluation>,
    /// Pairwise similarity of the devices (Similarity view).
    pub similarity: SimilarityView,
    /// Every device against the library of the labelled ones; None without labels.
    pub identification: Option<Identification>,
    /// The view shown.
    pub view: View,
    /// The selected device's activity raster, exporter timeline and exports (asked for on
    /// demand; cleared with each new set of results; may belong to an earlier selection
    /// until the answer arrives, see [`AppState::selected_detail`]).
    pub detail: Option<Rc<DeviceDetail>>,
    /// Counts the results shown (each run or recomputation), so that on-demand details
    /// are asked for again.
    pub revision: u32,
    /// Key of the device whose services are charted.
    pub selected: Option<String>,
    /// Known names and types by device key.
    pub labels: Rc<BTreeMap<String, DeviceLabel>>,
    pub label_file: Option<LabelFile>,
    /// Labels given in the device table, by device key (they win over imported ones).
    pub inline: Rc<BTreeMap<String, DeviceLabel>>,
    /// The imported library in use; None: the one built from the labelled devices.
    pub library: Option<LibraryInfo>,
    /// Why the last library file was refused.
    pub library_error: Option<String>,
    /// How long the worker took for the last recomputation (ms).
    pub recompute_ms: Option<f64>,
    /// The last word about the data saved in this browser.
    pub storage: Option<StorageNote>,
    /// The parameters in force (method.md names and defaults).
    pub config: Config,
    /// Why the last parameter change was refused.
    pub config_error: Option<String>,
    /// The column-mapping dialog, when open.
    pub mapper: Option<Mapper>,
    /// Why the last export could not be made.
    pub export_error: Option<String>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            phase: Phase::Empty,
            run: 0,
            files: Vec::new(),
            records: 0,
            devices: Rc::default(),
            fingerprints: Rc::default(),
            evaluation: None,
            similarity: SimilarityView::default(),
            identification: None,
            view: View::Overview,
            detail: None,
            revision: 0,
            selected: None,
            labels: Rc::default(),
            label_file: None,
            inline: Rc::default(),
            library: None,
            library_error: None,
            recompute_ms: None,
            storage: None,
            config: Config::default(),
            config_error: None,
            mapper: None,
            export_error: None,
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
        analysis: Analysis,
        labels: Vec<DeviceLabel>,
    },
    /// New results for the same data (parameters or labels changed), made in `ms`.
    Analysed {
        analysis: Analysis,
        labels: Vec<DeviceLabel>,
        ms: f64,
    },
    LabelsRead {
        name: String,
        count: usize,
        errors: Vec<String>,
        labels: Vec<DeviceLabel>,
    },
    /// The inline labels now in force (sent to the worker at the same time).
    SetInline(Rc<BTreeMap<String, DeviceLabel>>),
    /// A library was imported; with `config`, its parameters are now in force.
    LibraryRead {
        info: LibraryInfo,
        config: Option<Config>,
    },
    LibraryRefused(String),
    /// Back to the library built from the labelled devices.
    DropLibrary,
    /// Something was saved, restored or cleared (or could not be).
    Storage(StorageNote),
    /// The user changed parameters (sent to the worker at the same time).
    SetConfig(Config),
    ConfigRejected {
        message: String,
    },
    Failed {
        run: u32,
        message: String,
    },
    Cancel,
    Select(String),
    /// Show another view.
    Show(View),
    /// The detail of a device arrived.
    Detail(DeviceDetail),
    OpenMapper(Mapper),
    CloseMapper,
    /// An export was made (`None`) or refused (`Some(why)`).
    Exported(Option<String>),
}

impl Action {
    /// What a parameter change from the panel becomes: [`Action::SetConfig`] when every
    /// value is valid (the app then sends it to the worker), else
    /// [`Action::ConfigRejected`] with the first problem, and the values in force stay.
    pub fn configure(config: Config) -> Action {
        match config.validate() {
            Ok(()) => Action::SetConfig(config),
            Err(e) => Action::ConfigRejected {
                message: e.to_string(),
            },
        }
    }
}

impl AppState {
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Start { run, files } => {
                let files = files
                    .into_iter()
                    .map(|(name, size)| FileState {
                        name,
                        size,
                        bytes_done: 0,
                        summary: None,
                    })
                    .collect();
                // Parameters and the label file outlive a run; results do not. The
                // revision keeps counting, so results of the new run are new.
                *self = AppState {
                    phase: Phase::Reading,
                    run,
                    files,
                    config: std::mem::take(&mut self.config),
                    label_file: self.label_file.take(),
                    inline: std::mem::take(&mut self.inline),
                    library: self.library.take(),
                    storage: self.storage.take(),
                    revision: self.revision,
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
                analysis,
                labels,
            } if self.is_current(run) => {
                self.phase = Phase::Done;
                self.records = records;
                for f in &mut self.files {
                    f.bytes_done = f.size;
                }
                self.show(analysis, labels);
            }
            Action::Analysed {
                analysis,
                labels,
                ms,
            } if self.phase == Phase::Done => {
                self.recompute_ms = Some(ms);
                self.show(analysis, labels);
            }
            Action::LabelsRead {
                name,
                count,
                errors,
                labels,
            } => {
                self.label_file = Some(LabelFile {
                    name,
                    count,
                    errors,
                    labels,
                });
            }
            Action::SetInline(inline) => self.inline = inline,
            Action::LibraryRead { info, config } => {
                self.library = Some(info);
                self.library_error = None;
                if let Some(config) = config {
                    self.config = config;
                    self.config_error = None;
                }
            }
            Action::LibraryRefused(why) => self.library_error = Some(why),
            Action::DropLibrary => {
                self.library = None;
                self.library_error = None;
            }
            Action::Storage(note) => self.storage = Some(note),
            Action::SetConfig(config) => {
                self.config = config;
                self.config_error = None;
            }
            Action::ConfigRejected { message } => {
                self.config_error = Some(message);
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
            Action::Show(view) => self.view = view,
            Action::Detail(d) if self.phase == Phase::Done => self.detail = Some(Rc::new(d)),
            Action::OpenMapper(m) if self.phase != Phase::Reading => self.mapper = Some(m),
            Action::CloseMapper => self.mapper = None,
            Action::Exported(error) => self.export_error = error,
            _ => {}
        }
    }

    fn show(&mut self, analysis: Analysis, labels: Vec<DeviceLabel>) {
        self.revision = self.revision.wrapping_add(1);
        // Made for the previous results; the view asks again.
        self.detail = None;
        self.labels = Rc::new(labels.into_iter().map(|l| (l.key.clone(), l)).collect());
        self.fingerprints = Rc::new(
            analysis
                .fingerprints
                .into_iter()
                .map(|f| (f.key.clone(), f))
                .collect(),
        );
        self.evaluation = analysis.evaluation;
        self.similarity = analysis.similarity;
        self.identification = analysis.identification;
        let devices = analysis.devices;
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
        self.devices = Rc::new(devices);
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

    /// The detail of the selected device, when it has arrived.
    pub fn selected_detail(&self) -> Option<&Rc<DeviceDetail>> {
        self.detail
            .as_ref()
            .filter(|d| self.selected.as_ref() == Some(&d.key))
    }

    pub fn selected_device(&self) -> Option<&DeviceSummary> {
        let key = self.selected.as_ref()?;
        self.devices.iter().find(|d| &d.key == key)
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

    fn analysis(devices: Vec<DeviceSummary>) -> Analysis {
        Analysis {
            devices,
            ..Analysis::default()
        }
    }

    fn finished(run: u32, devices: Vec<DeviceSummary>) -> Action {
        Action::Finished {
            run,
            records: 9,
            analysis: analysis(devices),
            labels: Vec::new(),
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
    fn start_resets_results_but_keeps_parameters_and_label_file() {
        let mut s = started();
        s.selected = Some("x".into());
        s.apply(Action::SetConfig(Config {
            tau: 0.8,
            ..Config::default()
        }));
        s.apply(Action::LabelsRead {
            name: "l.csv".into(),
            count: 3,
            errors: vec![],
            labels: vec![],
        });
        s.apply(Action::Start {
            run: 8,
            files: vec![("c.csv".into(), 10)],
        });
        assert_eq!(s.phase, Phase::Reading);
        assert_eq!(s.run, 8);
        assert_eq!(s.files.len(), 1);
        assert_eq!(s.selected, None);
        assert_eq!(s.progress(), (0, 10));
        assert_eq!(s.config.tau, 0.8);
        assert_eq!(s.label_file.as_ref().map(|l| l.count), Some(3));
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
        s.apply(finished(6, vec![device("a", 1)]));
        assert_eq!(s.progress(), (0, 150));
        assert_eq!(s.phase, Phase::Reading);
        assert!(s.devices.is_empty());
    }

    #[test]
    fn finished_shows_devices_selects_busiest_and_completes_progress() {
        let mut s = started();
        s.apply(finished(
            7,
            vec![device("a", 1), device("b", 5), device("c", 5)],
        ));
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
    fn reanalysis_replaces_results_and_keeps_the_selection() {
        let mut s = started();
        s.apply(finished(7, vec![device("a", 1), device("b", 5)]));
        s.apply(Action::Select("a".into()));
        let label = DeviceLabel {
            key: "a".into(),
            name: "plug".into(),
            kind: "smart_plug".into(),
        };
        let mut a = device("a", 1);
        a.services.clear();
        s.apply(Action::Analysed {
            analysis: analysis(vec![a.clone(), device("b", 5)]),
            labels: vec![label.clone()],
            ms: 1.0,
        });
        assert_eq!(s.selected.as_deref(), Some("a"));
        assert_eq!(s.devices[0], a);
        assert_eq!(s.labels.get("a"), Some(&label));
    }

    #[test]
    fn reanalysis_is_ignored_while_reading() {
        let mut s = started();
        s.apply(Action::Analysed {
            analysis: analysis(vec![device("a", 1)]),
            labels: vec![],
            ms: 1.0,
        });
        assert!(s.devices.is_empty());
    }

    #[test]
    fn rejected_parameters_are_reported_until_the_next_change() {
        let mut s = AppState::default();
        s.apply(Action::ConfigRejected {
            message: "tau must be in [0, 1]".into(),
        });
        assert_eq!(s.config_error.as_deref(), Some("tau must be in [0, 1]"));
        s.apply(Action::SetConfig(Config::default()));
        assert_eq!(s.config_error, None);
    }

    #[test]
    fn an_invalid_parameter_is_rejected_with_its_message_and_a_valid_one_applies() {
        let bad = Config {
            tau: 1.5,
            ..Config::default()
        };
        assert_eq!(
            Action::configure(bad),
            Action::ConfigRejected {
                message: "tau must be between 0 and 1 (got 1.5)".into()
            }
        );
        let good = Config {
            tau: 0.5,
            ..Config::default()
        };
        assert_eq!(Action::configure(good.clone()), Action::SetConfig(good));
    }

    #[test]
    fn cancel_stops_the_run_and_late_messages_are_dropped() {
        let mut s = started();
        s.apply(Action::Cancel);
        assert_eq!(s.phase, Phase::Cancelled);
        s.apply(finished(7, vec![device("a", 1)]));
        assert_eq!(s.phase, Phase::Cancelled);
        assert!(s.devices.is_empty());
    }

    #[test]
    fn the_mapper_opens_after_a_run_and_a_new_run_closes_it() {
        let mut s = started();
        let m = Mapper {
            file: 1,
            name: "b.zip".into(),
            preview: Default::default(),
        };
        s.apply(Action::OpenMapper(m.clone()));
        assert_eq!(s.mapper, None, "not while reading");
        s.apply(finished(7, vec![]));
        s.apply(Action::OpenMapper(m.clone()));
        assert_eq!(s.mapper, Some(m));
        s.apply(Action::Start {
            run: 8,
            files: vec![("b.zip".into(), 50)],
        });
        assert_eq!(s.mapper, None);
    }

    #[test]
    fn views_switch_wrap_with_the_arrow_keys_and_reset_with_a_new_run() {
        assert_eq!(View::Overview.step(1), View::Device);
        assert_eq!(View::Overview.step(-1), View::Evaluate);
        assert_eq!(View::Evaluate.step(1), View::Overview);
        assert_eq!(View::Similarity.step(3), View::Overview);
        assert_eq!(View::Similarity.step(-3), View::Evaluate);
        assert_eq!(
            View::ALL.map(View::slug),
            ["overview", "device", "similarity", "identify", "evaluate"]
        );
        let mut s = started();
        assert_eq!(s.view, View::Overview);
        s.apply(finished(7, vec![device("a", 1)]));
        s.apply(Action::Show(View::Identify));
        assert_eq!(s.view, View::Identify);
        // New results for the same data keep the view.
        s.apply(Action::Analysed {
            analysis: analysis(vec![device("a", 2)]),
            labels: vec![],
            ms: 1.0,
        });
        assert_eq!(s.view, View::Identify);
        s.apply(Action::Start {
            run: 8,
            files: vec![("c.csv".into(), 10)],
        });
        assert_eq!(s.view, View::Overview);
    }

    #[test]
    fn similarity_and_identification_come_with_the_results() {
        use crate::compare::{Identification, SimilarityView};
        use svcprint_engine::clustering::SimilarityMatrix;
        let mut s = started();
        let similarity = SimilarityView {
            devices: vec!["b".into(), "a".into()],
            matrix: SimilarityMatrix::from_rows(&[vec![1.0, 0.5], vec![0.5, 1.0]]).expect("square"),
            total: 2,
            representation: "G2".into(),
            similarity: "jaccard".into(),
        };
        let identification = Identification {
            library: 3,
            labels: 2,
            representation: "G2".into(),
            rho: 0.85,
            devices: vec![],
            imported: None,
        };
        s.apply(Action::Finished {
            run: 7,
            records: 1,
            analysis: Analysis {
                devices: vec![device("a", 1), device("b", 1)],
                similarity: similarity.clone(),
                identification: Some(identification.clone()),
                ..Analysis::default()
            },
            labels: vec![],
        });
        assert_eq!(s.similarity, similarity);
        assert_eq!(s.identification, Some(identification));
        // Labels cleared: the identification goes, the similarity is recomputed.
        s.apply(Action::Analysed {
            analysis: analysis(vec![device("a", 1)]),
            labels: vec![],
            ms: 1.0,
        });
        assert_eq!(s.identification, None);
        assert_eq!(s.similarity, SimilarityView::default());
    }

    #[test]
    fn details_belong_to_the_selected_device_and_revisions_keep_counting() {
        let detail = |key: &str| DeviceDetail {
            key: key.into(),
            ..DeviceDetail::default()
        };
        let mut s = started();
        s.apply(Action::Detail(detail("a")));
        assert_eq!(s.detail, None, "not while reading");
        s.apply(finished(7, vec![device("a", 1), device("b", 5)]));
        assert_eq!(s.revision, 1);
        assert_eq!(s.selected.as_deref(), Some("b"));
        s.apply(Action::Detail(detail("b")));
        assert_eq!(s.selected_detail().map(|d| d.key.as_str()), Some("b"));
        // Another selection: the old detail is not shown for it.
        s.apply(Action::Select("a".into()));
        assert_eq!(s.selected_detail(), None);
        s.apply(Action::Detail(detail("a")));
        assert_eq!(s.selected_detail().map(|d| d.key.as_str()), Some("a"));
        s.apply(Action::Analysed {
            analysis: analysis(vec![device("a", 1), device("b", 5)]),
            labels: vec![],
            ms: 1.0,
        });
        assert_eq!(s.revision, 2);
        assert_eq!(s.detail, None, "new results need a new detail");
        // A new run starts without results but does not count from zero again.
        s.apply(Action::Start {
            run: 8,
            files: vec![("c.csv".into(), 10)],
        });
        assert_eq!((s.revision, s.detail.is_none()), (2, true));
        s.apply(finished(8, vec![device("a", 1)]));
        assert_eq!(s.revision, 3);
    }

    #[test]
    fn inline_labels_library_and_notes_outlive_a_run() {
        let mut s = started();
        let plug = DeviceLabel {
            key: "a".into(),
            name: "plug".into(),
            kind: String::new(),
        };
        let inline = Rc::new(crate::labelling::with_inline(
            &s.inline,
            "a",
            Some(plug.clone()),
        ));
        s.apply(Action::SetInline(inline));
        assert_eq!(s.inline.get("a"), Some(&plug));
        let info = LibraryInfo {
            name: "lib.json".into(),
            fingerprints: 12,
            labels: 3,
            representation: "G4".into(),
        };
        let adopted = Config {
            granularity: 4,
            ..Config::default()
        };
        s.apply(Action::ConfigRejected {
            message: "x".into(),
        });
        s.apply(Action::LibraryRead {
            info: info.clone(),
            config: Some(adopted.clone()),
        });
        assert_eq!(s.library, Some(info.clone()));
        assert_eq!(s.config, adopted, "the library's parameters are in force");
        assert_eq!(s.config_error, None);
        s.apply(Action::LibraryRefused("bad.json: not JSON".into()));
        assert_eq!(
            s.library,
            Some(info.clone()),
            "a refused file keeps the library"
        );
        assert_eq!(s.library_error.as_deref(), Some("bad.json: not JSON"));
        s.apply(Action::Storage(StorageNote {
            ok: true,
            text: "Saved".into(),
        }));
        s.apply(Action::Start {
            run: 8,
            files: vec![("c.csv".into(), 10)],
        });
        assert_eq!(s.inline.len(), 1);
        assert_eq!(s.library, Some(info));
        assert_eq!(s.storage.as_ref().map(|n| n.ok), Some(true));
        s.apply(finished(8, vec![device("a", 1)]));
        assert_eq!(s.recompute_ms, None);
        s.apply(Action::Analysed {
            analysis: analysis(vec![device("a", 1)]),
            labels: vec![plug.clone()],
            ms: 42.5,
        });
        assert_eq!(s.recompute_ms, Some(42.5));
        s.apply(Action::DropLibrary);
        assert_eq!(
            (s.library.is_none(), s.library_error.is_none()),
            (true, true)
        );
        // A library restored with the saved parameters leaves them alone.
        s.apply(Action::LibraryRead {
            info: LibraryInfo {
                name: "lib.json".into(),
                fingerprints: 1,
                labels: 1,
                representation: "G2".into(),
            },
            config: None,
        });
        assert_eq!(s.config, adopted);
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
