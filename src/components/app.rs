//! The page: drop files, watch progress, see devices and the selected device's services.

use super::device_table::DeviceTable;
use super::diagnostics::Diagnostics;
use super::drop_zone::DropZone;
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
                .callback(move |msg: FromWorker| {
                    let action = match msg {
                        FromWorker::Ack {
                            run,
                            file,
                            bytes,
                            records,
                        } => {
                            if let Some(tx) = acks_cb.borrow().as_ref() {
                                let _ = tx.unbounded_send(());
                            }
                            Action::Progress {
                                run,
                                file,
                                bytes,
                                records,
                            }
                        }
                        FromWorker::FileDone { run, file, summary } => {
                            Action::FileDone { run, file, summary }
                        }
                        FromWorker::Finished {
                            run,
                            records,
                            devices,
                            labels,
                        } => Action::Finished {
                            run,
                            records,
                            devices,
                            labels,
                        },
                        FromWorker::Failed { run, message } => Action::Failed { run, message },
                    };
                    dispatcher.dispatch(action);
                })
                .spawn_with_loader("./worker_loader.js");
            Driver {
                bridge: Rc::new(bridge),
                acks,
                current: Rc::new(Cell::new(0)),
            }
        })
    };

    let on_files = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |files: Vec<web_sys::File>| {
            if files.is_empty() {
                return;
            }
            let d = driver.borrow();
            let run = d.current.get().wrapping_add(1);
            d.current.set(run);
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
            d.bridge.send(ToWorker::Start { run, files: metas });
            let (bridge, current, dispatcher) =
                (d.bridge.clone(), d.current.clone(), dispatcher.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(message) = stream_files(run, files, bridge, rx, current).await {
                    dispatcher.dispatch(Action::Failed { run, message });
                }
            });
        })
    };

    let on_cancel = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |_| {
            let d = driver.borrow();
            let run = d.current.get();
            d.current.set(run.wrapping_add(1));
            d.bridge.send(ToWorker::Cancel { run });
            dispatcher.dispatch(Action::Cancel);
        })
    };

    let on_demo = {
        let driver = driver.clone();
        let dispatcher = store.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let d = driver.borrow();
            let run = d.current.get().wrapping_add(1);
            d.current.set(run);
            dispatcher.dispatch(Action::Start {
                run,
                files: vec![(crate::ingest::DEMO_NAME.to_string(), 0)],
            });
            d.bridge.send(ToWorker::Demo { run });
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
            <p class="local-note" id="local-note">{ "Private by design: your files never leave this page: they are read and analysed inside your browser, nothing is uploaded." }</p>
        </header>
        <main>
            <DropZone on_files={on_files} on_demo={on_demo} disabled={busy} />
            if !state.files.is_empty() {
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
                        <DeviceTable devices={state.devices.clone()} labels={state.labels.clone()} selected={state.selected.clone()} on_select={on_select} />
                        if let Some(device) = state.selected_device() {
                            <ServiceChart device={device.clone()} />
                        }
                    </section>
                }
            }
        </main>
        </>
    }
}
