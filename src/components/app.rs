//! The page: drop files (or load the demo), watch progress, see devices, their services
//! and fingerprints, set parameters, import labels, and read the evaluation.

use super::device_activity::DeviceActivity;
use super::device_table::DeviceTable;
use super::diagnostics::Diagnostics;
use super::drop_zone::DropZone;
use super::evaluation::EvaluationView;
use super::exports::Exports;
use super::identify::IdentifyView;
use super::labels::LabelImport;
use super::mapper::{MapChoice, MapperDialog};
use super::overview::PrevalenceMap;
use super::params::ParamsPanel;
use super::progress::Progress;
use super::saved::SavedPanel;
use super::service_chart::ServiceChart;
use super::similarity::SimilarityPanel;
use super::views::ViewTabs;
use crate::analysis::ExportKind;
use crate::coalesce::Coalescer;
use crate::labelling::{labels_csv, with_inline};
use crate::mapping::storage_key;
use crate::protocol::{DeviceLabel, FileMeta, FromWorker, ToWorker};
use crate::reader::{
    forget_mappings, preview_file, remember_mapping, remembered_mapping, stream_files,
};
use crate::saved::{Saved, SavedLabelFile, SavedLibrary};
use crate::state::{Action, AppState, LibraryInfo, Mapper, Phase, StorageNote, View};
use crate::worker::{IngestWorker, JsCodec};
use futures::channel::mpsc::{unbounded, UnboundedSender};
use gloo_worker::{Spawnable, WorkerBridge};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use svcprint_engine::Config;
use svcprint_flow::{ColumnMap, DecodeOptions, UtcOffset};
use yew::prelude::*;

/// Yew wrapper around the plain-Rust reducer.
#[derive(Clone, Default, PartialEq)]
pub struct Store(pub AppState);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

/// The worker and the plumbing of the current run, kept across renders.
struct Driver {
    bridge: Rc<WorkerBridge<IngestWorker>>,
    acks: Rc<RefCell<Option<UnboundedSender<()>>>>,
    current: Rc<Cell<u32>>,
    /// The files of the last run (to map columns and reload).
    files: Rc<RefCell<Vec<web_sys::File>>>,
    /// Column mappings applied in this page, by header (storage key).
    maps: Rc<RefCell<BTreeMap<String, ColumnMap>>>,
    /// Time zone for zone-less times in text files.
    time_zone: Rc<Cell<Option<UtcOffset>>>,
    /// Recomputations in the worker: while one runs, only the latest parameters wait.
    coalescer: Rc<RefCell<Coalescer<Config>>>,
    /// The imported library's name and text (to save it), and one being read.
    library: Rc<RefCell<Option<(String, String)>>>,
    library_candidate: Rc<RefCell<Option<(String, String)>>>,
}

/// What the worker's answers need besides the dispatcher: the acknowledgements of the
/// reader, the coalescer (an answer may release held parameters) and the library texts.
#[derive(Clone)]
struct Answers {
    acks: Rc<RefCell<Option<UnboundedSender<()>>>>,
    coalescer: Rc<RefCell<Coalescer<Config>>>,
    bridge: Rc<RefCell<Option<Rc<WorkerBridge<IngestWorker>>>>>,
    library: Rc<RefCell<Option<(String, String)>>>,
    library_candidate: Rc<RefCell<Option<(String, String)>>>,
}

impl Answers {
    /// A recomputation was answered: send the parameters held back meanwhile, if any.
    fn answered(&self) {
        let next = self.coalescer.borrow_mut().answered();
        if let (Some(config), Some(bridge)) = (next, self.bridge.borrow().as_ref()) {
            bridge.send(ToWorker::Configure { config });
        }
    }
}

/// Starts a run over `files`: each file's header is previewed to apply a column mapping
/// given in this page or remembered for that header, then the files stream to the worker.
fn start_files(
    d: &Driver,
    dispatcher: UseReducerDispatcher<Store>,
    config: Config,
    files: Vec<web_sys::File>,
) {
    let run = d.next_run();
    d.coalescer.borrow_mut().reset();
    *d.files.borrow_mut() = files.clone();
    dispatcher.dispatch(Action::Start {
        run,
        files: files.iter().map(|f| (f.name(), f.size() as u64)).collect(),
    });
    let (tx, rx) = unbounded();
    *d.acks.borrow_mut() = Some(tx);
    let (bridge, current, maps, time_zone) = (
        d.bridge.clone(),
        d.current.clone(),
        d.maps.clone(),
        d.time_zone.get(),
    );
    wasm_bindgen_futures::spawn_local(async move {
        let mut metas = Vec::with_capacity(files.len());
        for f in &files {
            let mut options = DecodeOptions {
                time_zone,
                ..DecodeOptions::default()
            };
            let preview = preview_file(f).await;
            if !preview.columns.is_empty() {
                let chosen = maps.borrow().get(&storage_key(&preview.columns)).cloned();
                if let Some(map) = chosen.or_else(|| remembered_mapping(&preview)) {
                    options.column_map = map;
                }
            }
            metas.push(FileMeta {
                name: f.name(),
                size: f.size() as u64,
                options,
            });
        }
        if current.get() != run {
            return;
        }
        bridge.send(ToWorker::Start {
            run,
            files: metas,
            config,
        });
        if let Err(message) = stream_files(run, files, bridge, rx, current).await {
            dispatcher.dispatch(Action::Failed { run, message });
        }
    });
}

impl Driver {
    /// Starts a new run id (answers of older runs are then ignored).
    fn next_run(&self) -> u32 {
        let run = self.current.get().wrapping_add(1);
        self.current.set(run);
        run
    }
}

fn action_of(msg: FromWorker, answers: &Answers) -> Action {
    let acks = &answers.acks;
    match msg {
        FromWorker::Ack {
            run,
            file,
            bytes,
            records,
        } => {
            if let Some(tx) = acks.borrow().as_ref() {
                let _ = tx.unbounded_send(());
            }
            Action::Progress {
                run,
                file,
                bytes,
                records,
            }
        }
        FromWorker::FileDone { run, file, summary } => Action::FileDone { run, file, summary },
        FromWorker::Finished {
            run,
            records,
            analysis,
            labels,
        } => match analysis.unpack() {
            Ok(analysis) => Action::Finished {
                run,
                records,
                analysis,
                labels,
            },
            Err(e) => Action::Failed {
                run,
                message: format!("the results could not be read: {e}"),
            },
        },
        FromWorker::Analysed {
            analysis,
            labels,
            ms,
        } => {
            answers.answered();
            match analysis.unpack() {
                Ok(analysis) => Action::Analysed {
                    analysis,
                    labels,
                    ms,
                },
                Err(e) => Action::ConfigRejected {
                    message: format!("the new results could not be read: {e}"),
                },
            }
        }
        FromWorker::LabelsRead {
            name,
            count,
            errors,
            labels,
        } => Action::LabelsRead {
            name,
            count,
            errors,
            labels,
        },
        FromWorker::LibraryRead {
            name,
            fingerprints,
            labels,
            representation,
            config,
        } => {
            let candidate = answers.library_candidate.borrow_mut().take();
            *answers.library.borrow_mut() = candidate;
            Action::LibraryRead {
                info: LibraryInfo {
                    name,
                    fingerprints,
                    labels,
                    representation,
                },
                config,
            }
        }
        FromWorker::LibraryRefused { message } => {
            answers.library_candidate.borrow_mut().take();
            answers.answered();
            Action::LibraryRefused(message)
        }
        FromWorker::ConfigRejected { message } => {
            answers.answered();
            Action::ConfigRejected { message }
        }
        FromWorker::Failed { run, message } => Action::Failed { run, message },
        FromWorker::Download(d) => {
            Action::Exported(crate::download::save_text(&d.name, &d.mime, &d.text).err())
        }
        FromWorker::ExportFailed { message } => Action::Exported(Some(message)),
        FromWorker::Detail(d) => Action::Detail(*d),
    }
}

/// Restores what "Save in this browser" stored: the parameters and inline labels into
/// the state, the label file and library through the worker (which keeps them for the
/// next run). A value that cannot be read is left alone and reported.
fn restore(d: &Driver, dispatcher: &UseReducerDispatcher<Store>) {
    let text = match super::saved::load() {
        Ok(Some(text)) => text,
        Ok(None) => return,
        Err(why) => {
            dispatcher.dispatch(Action::Storage(StorageNote {
                ok: false,
                text: format!("The data saved in this browser was not restored: {why}."),
            }));
            return;
        }
    };
    let saved = match Saved::from_text(&text) {
        Ok(s) => s,
        Err(why) => {
            dispatcher.dispatch(Action::Storage(StorageNote {
                ok: false,
                text: format!("The data saved in this browser could not be read and was not used ({why}). Clear saved data removes it."),
            }));
            return;
        }
    };
    dispatcher.dispatch(Action::SetConfig(saved.config.clone()));
    d.bridge.send(ToWorker::Configure {
        config: saved.config.clone(),
    });
    if let Some(f) = &saved.label_file {
        d.bridge.send(ToWorker::Labels {
            name: f.name.clone(),
            text: labels_csv(&f.labels),
        });
    }
    let inline: BTreeMap<String, DeviceLabel> = saved
        .inline
        .iter()
        .map(|l| (l.key.clone(), l.clone()))
        .collect();
    dispatcher.dispatch(Action::SetInline(Rc::new(inline)));
    d.bridge.send(ToWorker::InlineLabels {
        labels: saved.inline.clone(),
    });
    if let Some(lib) = &saved.library {
        *d.library_candidate.borrow_mut() = Some((lib.name.clone(), lib.text.clone()));
        d.bridge.send(ToWorker::Library {
            name: lib.name.clone(),
            text: lib.text.clone(),
            adopt: false,
        });
    }
    dispatcher.dispatch(Action::Storage(StorageNote {
        ok: true,
        text: format!("Restored saved {} from this browser.", saved.what()),
    }));
}

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(Store::default);
    let driver = {
        let dispatcher = store.dispatcher();
        use_mut_ref(move || {
            let answers = Answers {
                acks: Rc::default(),
                coalescer: Rc::default(),
                bridge: Rc::default(),
                library: Rc::default(),
                library_candidate: Rc::default(),
            };
            let answers_cb = answers.clone();
            let bridge = Rc::new(
                IngestWorker::spawner()
                    .encoding::<JsCodec>()
                    .callback(move |msg: FromWorker| {
                        dispatcher.dispatch(action_of(msg, &answers_cb))
                    })
                    .spawn_with_loader("./worker_loader.js"),
            );
            *answers.bridge.borrow_mut() = Some(bridge.clone());
            Driver {
                bridge,
                acks: answers.acks,
                current: Rc::new(Cell::new(0)),
                files: Rc::default(),
                maps: Rc::default(),
                time_zone: Rc::default(),
                coalescer: answers.coalescer,
                library: answers.library,
                library_candidate: answers.library_candidate,
            }
        })
    };
    let config = store.0.config.clone();

    let on_files = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        let config = config.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            if !files.is_empty() {
                // Template files first (see `read_order`); the file list shows this order.
                let names: Vec<String> = files.iter().map(|f| f.name()).collect();
                let files = crate::ingest::read_order(&names)
                    .into_iter()
                    .map(|i| files[i].clone())
                    .collect();
                start_files(&driver.borrow(), dispatcher.clone(), config.clone(), files);
            }
        })
    };

    let on_map = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |file: u32| {
            let Some(f) = driver.borrow().files.borrow().get(file as usize).cloned() else {
                return;
            };
            let dispatcher = dispatcher.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let preview = preview_file(&f).await;
                dispatcher.dispatch(Action::OpenMapper(Mapper {
                    file,
                    name: f.name(),
                    preview,
                }));
            });
        })
    };

    let on_map_apply = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        let config = config.clone();
        let mapper = store.0.mapper.clone();
        Callback::from(move |choice: MapChoice| {
            let Some(m) = &mapper else { return };
            let d = driver.borrow();
            d.maps
                .borrow_mut()
                .insert(storage_key(&m.preview.columns), choice.map.clone());
            if choice.remember {
                remember_mapping(&m.preview, &choice.map);
            }
            d.time_zone.set(choice.time_zone);
            dispatcher.dispatch(Action::CloseMapper);
            let files = d.files.borrow().clone();
            start_files(&d, dispatcher.clone(), config.clone(), files);
        })
    };

    let on_map_close = {
        let dispatcher = store.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::CloseMapper))
    };

    let on_map_forget = {
        let driver = driver.clone();
        Callback::from(move |_: MouseEvent| {
            forget_mappings();
            driver.borrow().maps.borrow_mut().clear();
        })
    };

    let on_demo = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        let config = config.clone();
        Callback::from(move |_: MouseEvent| {
            let d = driver.borrow();
            let run = d.next_run();
            d.coalescer.borrow_mut().reset();
            dispatcher.dispatch(Action::Start {
                run,
                files: vec![(crate::ingest::DEMO_NAME.to_string(), 0)],
            });
            d.bridge.send(ToWorker::Demo {
                run,
                config: config.clone(),
            });
        })
    };

    let on_cancel = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |_| {
            let d = driver.borrow();
            let run = d.current.get();
            d.next_run();
            d.bridge.send(ToWorker::Cancel { run });
            dispatcher.dispatch(Action::Cancel);
        })
    };

    // With results, every recomputation is answered by the worker: parameters wait while
    // one runs (only the latest is sent), other requests are counted.
    let done = store.0.phase == Phase::Done;
    // When results arrive and the focus was lost with the control that started the run
    // (the demo button and the file picker are disabled while reading), the keyboard
    // continues from the result views' tab bar instead of the top of the page.
    {
        let view = store.0.view;
        use_effect_with(done, move |done| {
            let lost = gloo::utils::document()
                .active_element()
                .is_none_or(|e| e.tag_name().eq_ignore_ascii_case("body"));
            if *done && lost {
                super::views::focus_tab(view);
            }
        });
    }
    let on_config = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |config: Config| {
            // Refused values never reach the worker; the fields keep the values in force.
            let action = Action::configure(config);
            if let Action::SetConfig(config) = &action {
                let d = driver.borrow();
                let send = if done {
                    d.coalescer.borrow_mut().offer(config.clone())
                } else {
                    Some(config.clone())
                };
                if let Some(config) = send {
                    d.bridge.send(ToWorker::Configure { config });
                }
            }
            dispatcher.dispatch(action);
        })
    };
    let recompute = {
        let driver = driver.clone();
        Callback::from(move |msg: ToWorker| {
            let d = driver.borrow();
            if done {
                d.coalescer.borrow_mut().other();
            }
            d.bridge.send(msg);
        })
    };

    let on_labels = {
        let recompute = recompute.clone();
        Callback::from(move |(name, text): (String, String)| {
            recompute.emit(ToWorker::Labels { name, text });
        })
    };

    let on_inline = {
        let recompute = recompute.clone();
        let dispatcher = store.dispatcher();
        let inline = store.0.inline.clone();
        Callback::from(move |(key, edit): (String, Option<DeviceLabel>)| {
            let next = Rc::new(with_inline(&inline, &key, edit));
            dispatcher.dispatch(Action::SetInline(next.clone()));
            recompute.emit(ToWorker::InlineLabels {
                labels: next.values().cloned().collect(),
            });
        })
    };

    let on_library = {
        let recompute = recompute.clone();
        let driver = driver.clone();
        Callback::from(move |(name, text): (String, String)| {
            *driver.borrow().library_candidate.borrow_mut() = Some((name.clone(), text.clone()));
            recompute.emit(ToWorker::Library {
                name,
                text,
                adopt: true,
            });
        })
    };

    let on_built_library = {
        let recompute = recompute.clone();
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |_: MouseEvent| {
            driver.borrow().library.borrow_mut().take();
            dispatcher.dispatch(Action::DropLibrary);
            recompute.emit(ToWorker::DropLibrary);
        })
    };

    let on_save = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        let s = &store.0;
        let (config, label_file, inline) =
            (s.config.clone(), s.label_file.clone(), s.inline.clone());
        Callback::from(move |_: MouseEvent| {
            let library = driver
                .borrow()
                .library
                .borrow()
                .clone()
                .map(|(name, text)| SavedLibrary { name, text });
            let saved = Saved::new(
                config.clone(),
                label_file.as_ref().map(|f| SavedLabelFile {
                    name: f.name.clone(),
                    labels: f.labels.clone(),
                }),
                inline.values().cloned().collect(),
                library,
            );
            let what = saved.what();
            let note = match saved.to_text().and_then(|t| super::saved::save(&t)) {
                Ok(()) => StorageNote {
                    ok: true,
                    text: format!("Saved the {what} in this browser; they come back when this page is opened again."),
                },
                Err(why) => StorageNote {
                    ok: false,
                    text: format!("Nothing was saved: {why}."),
                },
            };
            dispatcher.dispatch(Action::Storage(note));
        })
    };

    let on_clear = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |_: MouseEvent| {
            driver.borrow().maps.borrow_mut().clear();
            let note = match super::saved::clear() {
                Ok(n) => StorageNote {
                    ok: true,
                    text: format!("Cleared everything svcprint had saved in this browser ({}, column mappings included). What is on the page stays until it is reloaded.", super::count(n as u64, "item", "items")),
                },
                Err(why) => StorageNote {
                    ok: false,
                    text: format!("Could not clear the saved data: {why}."),
                },
            };
            dispatcher.dispatch(Action::Storage(note));
        })
    };

    // Once, at load: what was saved in this browser comes back (never written here).
    {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        use_effect_with((), move |_| {
            restore(&driver.borrow(), &dispatcher);
        });
    }

    let on_export = {
        let driver = driver.clone();
        Callback::from(move |kind: ExportKind| {
            driver.borrow().bridge.send(ToWorker::Export { kind })
        })
    };

    // A device chosen in the table opens the Device view; one chosen elsewhere (the
    // Identify table) stays where it is.
    let on_select = {
        let dispatcher = store.dispatcher();
        Callback::from(move |key: String| {
            dispatcher.dispatch(Action::Select(key));
            dispatcher.dispatch(Action::Show(View::Device));
            // The row's link goes with the table: the keyboard continues from the tab.
            super::views::focus_tab(View::Device);
        })
    };
    let on_pick = {
        let dispatcher = store.dispatcher();
        Callback::from(move |key: String| dispatcher.dispatch(Action::Select(key)))
    };
    let on_view = {
        let dispatcher = store.dispatcher();
        Callback::from(move |view: View| dispatcher.dispatch(Action::Show(view)))
    };

    // The Device view's time charts and exports are made in the worker for the selected
    // device, again for every new set of results.
    {
        let driver = driver.clone();
        let s = &store.0;
        // Asked for once per device and set of results: not while it is there.
        let wanted =
            (s.view == View::Device && s.phase == Phase::Done && s.selected_detail().is_none())
                .then(|| s.selected.clone())
                .flatten();
        use_effect_with((wanted, s.revision), move |(wanted, _)| {
            if let Some(key) = wanted {
                driver
                    .borrow()
                    .bridge
                    .send(ToWorker::Detail { key: key.clone() });
            }
        });
    }

    let state = &store.0;
    let (done, total) = state.progress();
    let busy = state.phase == Phase::Reading;
    html! {
        <>
        <header class="top">
            <h1>{ "svcprint" }</h1>
            <p class="tagline">{ "Which IoT devices are on a network, told from the network services they use." }</p>
            <p class="local-note" id="local-note">{ "Private by design: your files never leave this page. They are read and analysed inside your browser; nothing is uploaded." }</p>
        </header>
        <main>
            <DropZone on_files={on_files} on_demo={on_demo} disabled={busy} />
            <details class="how">
                <summary>{ "How it works" }</summary>
                <p>{ "Each flow is given to the local device that takes part in it, as a service: the protocol and the server's port, with \"in:\" when the device is the server (TCP/443 = it connects to a web server; in:TCP/80 = it serves one). Time is cut into hours; a service's prevalence is the share of the device's active hours in which it was used." }</p>
                <p>{ "A fingerprint summarises a window of active hours: SL (Service List) is the set of services; SP (Service Prevalence) gives each its prevalence; G (Generalized, granularity k) rounds prevalences up to steps of 1/k, so G1 is SL and a large k approaches SP. Fingerprints are compared with a weighted Jaccard similarity (0 to 1)." }</p>
                <p>{ "The exporter grows a window hour by hour and exports the fingerprint once it stops changing: similarity to the previous step at least tau for stable_bins steps in a row, after at least min_bins hours. To identify a device, its fingerprint is compared with labelled ones; below rho the answer is \"unknown\"." }</p>
            </details>
            <div class="tools">
                <ParamsPanel config={config.clone()} error={state.config_error.clone()} on_change={on_config} on_forget_mappings={on_map_forget}
                    recompute_ms={state.recompute_ms} />
                <LabelImport label_file={state.label_file.clone()} on_labels={on_labels} inline={state.inline.len()}
                    library={state.library.clone()} library_error={state.library_error.clone()}
                    on_library={on_library} on_built_library={on_built_library} />
                <SavedPanel note={state.storage.clone()} on_save={on_save} on_clear={on_clear} />
            </div>
            if total > 0 {
                <Progress done={done} total={total} records={state.records} busy={busy} on_cancel={on_cancel} />
            }
            if let Phase::Failed(message) = &state.phase {
                <p class="error" role="alert">{ format!("The analysis stopped: {message}") }</p>
            }
            if state.phase == Phase::Cancelled {
                <p class="notice" role="status">{ "Cancelled. Drop files to start again." }</p>
            }
            <Diagnostics files={state.files.clone()} on_map={on_map} />
            if let Some(m) = &state.mapper {
                <MapperDialog mapper={m.clone()} on_apply={on_map_apply} on_close={on_map_close} />
            }
            if state.phase == Phase::Done {
                if state.devices.is_empty() {
                    <p class="notice" id="no-devices">{ "No local device was found in these files: a device needs a local address (10/8, 172.16/12, 192.168/16, ...) and at least one flow that gives it a service." }</p>
                } else {
                    <section class="results" id="results" data-revision={state.revision.to_string()}>
                        <ViewTabs current={state.view} on_select={on_view} />
                        <div class="view" role="tabpanel" id={format!("view-{}", state.view.slug())}
                            aria-labelledby={format!("tab-{}", state.view.slug())}>
                        { match state.view {
                            View::Overview => html! { <>
                                <DeviceTable devices={state.devices.clone()} labels={state.labels.clone()}
                                    fingerprints={state.fingerprints.clone()} selected={state.selected.clone()} on_select={on_select}
                                    inline={state.inline.clone()} on_label={on_inline} />
                                <PrevalenceMap devices={state.devices.clone()} labels={state.labels.clone()} />
                            </> },
                            View::Device => match state.selected_device() {
                                Some(device) => html! {
                                    <ServiceChart device={device.clone()} on_export={on_export.clone()}>
                                        <DeviceActivity key_text={device.key.clone()} detail={state.selected_detail().cloned()}
                                            fingerprints={state.fingerprints.get(&device.key).cloned()} />
                                    </ServiceChart>
                                },
                                None => html! { <p class="notice">{ "Choose a device in the Overview table." }</p> },
                            },
                            View::Similarity => html! {
                                <SimilarityPanel similarity={state.similarity.clone()} labels={state.labels.clone()} />
                            },
                            View::Identify => html! {
                                <IdentifyView identification={state.identification.clone()} labels={state.labels.clone()}
                                    selected={state.selected.clone()} on_select={on_pick} />
                            },
                            View::Evaluate => html! { <EvaluationView evaluation={state.evaluation.clone()} /> },
                        } }
                        </div>
                        <Exports on_export={on_export} error={state.export_error.clone()} labelled={!state.labels.is_empty()} />
                    </section>
                }
            }
        </main>
        </>
    }
}
