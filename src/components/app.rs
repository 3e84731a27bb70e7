//! The page: drop files (or load the demo), watch progress, see devices, their services
//! and fingerprints, set parameters, import labels, and read the evaluation.

use super::device_table::DeviceTable;
use super::diagnostics::Diagnostics;
use super::drop_zone::DropZone;
use super::evaluation::EvaluationView;
use super::labels::LabelImport;
use super::params::ParamsPanel;
use super::progress::Progress;
use super::service_chart::ServiceChart;
use crate::protocol::{FileMeta, FromWorker, ToWorker};
use crate::reader::stream_files;
use crate::state::{Action, AppState, Phase};
use crate::worker::{IngestWorker, JsCodec};
use futures::channel::mpsc::{unbounded, UnboundedSender};
use gloo_worker::{Spawnable, WorkerBridge};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use svcprint_engine::Config;
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
}

impl Driver {
    /// Starts a new run id (answers of older runs are then ignored).
    fn next_run(&self) -> u32 {
        let run = self.current.get().wrapping_add(1);
        self.current.set(run);
        run
    }
}

fn action_of(msg: FromWorker, acks: &RefCell<Option<UnboundedSender<()>>>) -> Action {
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
        } => Action::Finished {
            run,
            records,
            analysis,
            labels,
        },
        FromWorker::Analysed { analysis, labels } => Action::Analysed { analysis, labels },
        FromWorker::LabelsRead {
            name,
            count,
            errors,
        } => Action::LabelsRead {
            name,
            count,
            errors,
        },
        FromWorker::ConfigRejected { message } => Action::ConfigRejected { message },
        FromWorker::Failed { run, message } => Action::Failed { run, message },
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(Store::default);
    let driver = {
        let dispatcher = store.dispatcher();
        use_mut_ref(move || {
            let acks: Rc<RefCell<Option<UnboundedSender<()>>>> = Rc::default();
            let acks_cb = acks.clone();
            let bridge = IngestWorker::spawner()
                .encoding::<JsCodec>()
                .callback(move |msg: FromWorker| dispatcher.dispatch(action_of(msg, &acks_cb)))
                .spawn_with_loader("./worker_loader.js");
            Driver {
                bridge: Rc::new(bridge),
                acks,
                current: Rc::new(Cell::new(0)),
            }
        })
    };
    let config = store.0.config.clone();

    let on_files = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        let config = config.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            if files.is_empty() {
                return;
            }
            let d = driver.borrow();
            let run = d.next_run();
            let metas: Vec<FileMeta> = files
                .iter()
                .map(|f| FileMeta {
                    name: f.name(),
                    size: f.size() as u64,
                })
                .collect();
            dispatcher.dispatch(Action::Start {
                run,
                files: metas.iter().map(|m| (m.name.clone(), m.size)).collect(),
            });
            let (tx, rx) = unbounded();
            *d.acks.borrow_mut() = Some(tx);
            d.bridge.send(ToWorker::Start {
                run,
                files: metas,
                config: config.clone(),
            });
            let (bridge, current, dispatcher) =
                (d.bridge.clone(), d.current.clone(), dispatcher.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(message) = stream_files(run, files, bridge, rx, current).await {
                    dispatcher.dispatch(Action::Failed { run, message });
                }
            });
        })
    };

    let on_demo = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        let config = config.clone();
        Callback::from(move |_: MouseEvent| {
            let d = driver.borrow();
            let run = d.next_run();
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

    let on_config = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |config: Config| match config.validate() {
            // Refused values never reach the worker; the fields keep the values in force.
            Err(e) => dispatcher.dispatch(Action::ConfigRejected {
                message: e.to_string(),
            }),
            Ok(()) => {
                dispatcher.dispatch(Action::SetConfig(config.clone()));
                driver.borrow().bridge.send(ToWorker::Configure { config });
            }
        })
    };

    let on_labels = {
        let driver = driver.clone();
        Callback::from(move |(name, text): (String, String)| {
            driver.borrow().bridge.send(ToWorker::Labels { name, text });
        })
    };

    let on_select = {
        let dispatcher = store.dispatcher();
        Callback::from(move |key: String| dispatcher.dispatch(Action::Select(key)))
    };

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
                <ParamsPanel config={config.clone()} error={state.config_error.clone()} on_change={on_config} />
                <LabelImport label_file={state.label_file.clone()} on_labels={on_labels} />
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
            <Diagnostics files={state.files.clone()} />
            if state.phase == Phase::Done {
                if state.devices.is_empty() {
                    <p class="notice" id="no-devices">{ "No local device was found in these files: a device needs a local address (10/8, 172.16/12, 192.168/16, ...) and at least one flow that gives it a service." }</p>
                } else {
                    <section class="results">
                        <DeviceTable devices={state.devices.clone()} labels={state.labels.clone()}
                            fingerprints={state.fingerprints.clone()} selected={state.selected.clone()} on_select={on_select} />
                        if let Some(device) = state.selected_device() {
                            <ServiceChart device={device.clone()} />
                        }
                        <EvaluationView evaluation={state.evaluation.clone()} />
                    </section>
                }
            }
        </main>
        </>
    }
}
