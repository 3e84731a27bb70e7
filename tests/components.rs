//! Component tests in a real browser: each mounts a Yew component of the app into a fresh
//! `<div>` of the test page, drives it through DOM events and reads the DOM it produced.
//! Run by `scripts/test.sh` (wasm-bindgen-test-runner with Debian's headless Chromium):
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver \
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --target wasm32-unknown-unknown -p svcprint-web --test components
//! ```
//!
//! Chromium's flags (headless, no sandbox, no network of its own) are in `webdriver.json`.
//! A native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use svcprint_engine::evaluate::{ClosedSet, OpenSet, RepresentationResult, SweepPoint};
use svcprint_engine::exporter::Window;
use svcprint_engine::identify::{Answer, Evidence, EvidenceItem};
use svcprint_engine::{Config, DeviceSummary, Evaluation, Labels, ServiceStat};
use svcprint_flow::{DiagKind, Diagnostic, Diagnostics, FileSummary};
use svcprint_web::analysis::DeviceFingerprints;
use svcprint_web::charts::Chart;
use svcprint_web::compare::{DeviceIdentity, Identification, Query};
use svcprint_web::components::chart::{ChartView, ChartViewProps};
use svcprint_web::components::device_table::{DeviceTable, DeviceTableProps};
use svcprint_web::components::diagnostics::{Diagnostics as DiagnosticsPanel, DiagnosticsProps};
use svcprint_web::components::evaluation::{EvaluationProps, EvaluationView};
use svcprint_web::components::identify::{IdentifyView, IdentifyViewProps};
use svcprint_web::components::labels::LabelImport;
use svcprint_web::components::params::ParamsPanel;
use svcprint_web::protocol::DeviceLabel;
use svcprint_web::state::{Action, AppState, FileState, LabelFile};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew::{AppHandle, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

// ---------------------------------------------------------------------------------------
// Harness

/// A component mounted into its own `<div>`; unmounted and removed on drop.
struct Mounted<C: BaseComponent> {
    root: Element,
    handle: Option<AppHandle<C>>,
}

impl<C: BaseComponent> Drop for Mounted<C> {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

impl<C: BaseComponent> Mounted<C> {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    /// The one element matching `selector` (panics naming it when there is none).
    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector:?}"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
            .collect()
    }

    /// The text of every element matching `selector`, in document order.
    fn texts(&self, selector: &str) -> Vec<String> {
        self.all(selector).iter().map(text).collect()
    }

    fn text(&self, selector: &str) -> String {
        text(&self.get(selector))
    }

    /// Clicks the element matching `selector` and lets Yew render.
    async fn click(&self, selector: &str) {
        self.get(selector)
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click();
        yew::scheduler::flush().await;
    }

    /// Types `value` into the input matching `selector` (an `input` event) and renders.
    async fn type_into(&self, selector: &str, value: &str) {
        let input: HtmlInputElement = self.get(selector).dyn_into().unwrap();
        input.set_value(value);
        fire(&input, "input");
        yew::scheduler::flush().await;
    }

    /// Sets `value` on the input or select matching `selector`, fires `change`, renders.
    async fn change(&self, selector: &str, value: &str) {
        let el = self.get(selector);
        if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            select.set_value(value);
        } else {
            el.dyn_ref::<HtmlInputElement>().unwrap().set_value(value);
        }
        fire(&el, "change");
        yew::scheduler::flush().await;
    }
}

/// A callback that records what it is given, and the record.
fn recorder<T: 'static>() -> (Rc<RefCell<Vec<T>>>, Callback<T>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let record = {
        let seen = seen.clone();
        Callback::from(move |v: T| seen.borrow_mut().push(v))
    };
    (seen, record)
}

/// Mounts `C` with `props` into a new `<div>` at the end of the body and renders it.
async fn mount<C: BaseComponent>(props: C::Properties) -> Mounted<C> {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let handle = Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// A bubbling DOM event of type `kind` on `target` (Yew listens at the root).
fn fire(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Waits (rendering in between) until `done` holds; fails after about two seconds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        yew::scheduler::flush().await;
        if done() {
            return;
        }
        gloo::timers::future::TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

// ---------------------------------------------------------------------------------------
// Device table

fn device(key: &str, flows: u64, services: &[&str]) -> DeviceSummary {
    DeviceSummary {
        key: key.into(),
        flows,
        active_bins: flows / 10,
        // 2024-03-01 10:00 and 2024-03-02 12:30 UTC.
        first_ms: 1_709_287_200_000,
        last_ms: 1_709_382_600_000,
        services: services
            .iter()
            .map(|s| ServiceStat {
                service: (*s).into(),
                prevalence: 0.5,
                flows: 1,
            })
            .collect(),
    }
}

fn label(key: &str, name: &str, kind: &str) -> (String, DeviceLabel) {
    (
        key.into(),
        DeviceLabel {
            key: key.into(),
            name: name.into(),
            kind: kind.into(),
        },
    )
}

/// Three devices: a labelled camera with fingerprints, a labelled printer, an unlabelled one.
fn three_devices(on_select: Callback<String>) -> DeviceTableProps {
    let fingerprints = BTreeMap::from([(
        "192.168.1.10".to_string(),
        DeviceFingerprints {
            key: "192.168.1.10".into(),
            exports: 3,
            unstable: 1,
            median_bins: Some(20.0),
            median_hours: Some(26.4),
            recurrence: Some(0.5),
            behaviours: 2,
            pending_bins: None,
        },
    )]);
    DeviceTableProps {
        devices: Rc::new(vec![
            device(
                "192.168.1.10",
                500,
                &["TCP/443", "UDP/123", "UDP/53", "TCP/80"],
            ),
            device("192.168.1.2", 40, &["TCP/631"]),
            device("192.168.1.30", 7000, &["UDP/1900", "UDP/5353"]),
        ]),
        labels: Rc::new(BTreeMap::from([
            label("192.168.1.10", "Front door cam", "camera"),
            label("192.168.1.2", "Office printer", "printer"),
        ])),
        fingerprints: Rc::new(fingerprints),
        selected: Some("192.168.1.2".into()),
        on_select,
        inline: Rc::default(),
        on_label: Callback::noop(),
    }
}

fn row_keys<C: BaseComponent>(m: &Mounted<C>) -> Vec<String> {
    keys_of(m, "#device-table")
}

/// The `data-key` of every body row of the table matching `table`, in order.
fn keys_of<C: BaseComponent>(m: &Mounted<C>, table: &str) -> Vec<String> {
    m.all(&format!("{table} tbody tr"))
        .iter()
        .map(|tr| tr.get_attribute("data-key").unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn device_table_renders_one_row_per_device_with_its_cells() {
    let (chosen, on_select) = recorder::<String>();
    let m = mount::<DeviceTable>(three_devices(on_select)).await;

    assert_eq!(m.text("#devices-heading"), "Devices (3)");
    assert_eq!(m.text("#device-count"), "Showing 3 of 3 devices");
    // Engine order: IPs numerically, so .2 before .10 before .30.
    assert_eq!(
        row_keys(&m),
        ["192.168.1.2", "192.168.1.10", "192.168.1.30"]
    );
    let cam = "#device-table tr[data-key='192.168.1.10']";
    let cell = |class: &str| m.text(&format!("{cam} td.{class}"));
    assert_eq!(cell("key"), "192.168.1.10");
    assert_eq!(cell("name"), "Front door cam");
    assert_eq!(cell("kind"), "camera");
    assert_eq!(cell("flows"), "500");
    assert_eq!(cell("active"), "50");
    assert_eq!(cell("first"), "2024-03-01 10:00");
    assert_eq!(cell("last"), "2024-03-02 12:30");
    assert_eq!(cell("nservices"), "4");
    assert_eq!(cell("exports"), "3 (1)");
    assert_eq!(cell("convergence"), "26");
    assert_eq!(cell("recurrence"), "50%");
    assert_eq!(cell("top"), "TCP/443, UDP/123, UDP/53");
    // No fingerprints: dashes, no label: empty cells.
    let other = "#device-table tr[data-key='192.168.1.30']";
    assert_eq!(m.text(&format!("{other} td.name")), "");
    assert_eq!(m.text(&format!("{other} td.convergence")), "–");
    assert_eq!(m.text(&format!("{other} td.recurrence")), "–");

    // The selected device is marked; a click on a key selects that device.
    assert_eq!(
        m.all("#device-table tr[aria-selected='true']")
            .iter()
            .map(|tr| tr.get_attribute("data-key").unwrap())
            .collect::<Vec<_>>(),
        ["192.168.1.2"]
    );
    m.click(&format!("{other} td.key button")).await;
    assert_eq!(*chosen.borrow(), ["192.168.1.30"]);
    // Every column has a sort button; only the device column is sorted at first (the
    // inline-label column has no sort).
    assert_eq!(m.all("#device-table thead th button.sort").len(), 12);
    assert_eq!(
        m.all("#device-table thead th")
            .iter()
            .filter_map(|th| th.get_attribute("aria-sort"))
            .filter(|a| a != "none")
            .collect::<Vec<_>>(),
        ["ascending"]
    );
}

#[wasm_bindgen_test]
async fn device_table_labels_a_device_inline_and_cancel_leaves_it() {
    let (edits, on_label) = recorder::<(String, Option<DeviceLabel>)>();
    let m = mount::<DeviceTable>(DeviceTableProps {
        on_label,
        ..three_devices(Callback::noop())
    })
    .await;
    let row = "#device-table tr[data-key='192.168.1.30']";
    m.click(&format!("{row} .label-open")).await;
    m.type_into(&format!("{row} .label-name"), "Hall hub").await;
    m.type_into(&format!("{row} .label-type"), "hub").await;
    m.click(&format!("{row} .label-save")).await;
    assert_eq!(
        *edits.borrow(),
        [(
            "192.168.1.30".to_string(),
            Some(DeviceLabel {
                key: "192.168.1.30".into(),
                name: "Hall hub".into(),
                kind: "hub".into(),
            })
        )]
    );
    assert!(m.find(&format!("{row} .label-name")).is_none(), "closed");
    // Cancel emits nothing; a comma is refused with the reason and nothing is emitted.
    m.click(&format!("{row} .label-open")).await;
    m.type_into(&format!("{row} .label-name"), "x").await;
    m.click(&format!("{row} .label-cancel")).await;
    m.click(&format!("{row} .label-open")).await;
    m.type_into(&format!("{row} .label-name"), "a,b").await;
    m.click(&format!("{row} .label-save")).await;
    assert_eq!(
        m.text("#label-error"),
        "the name cannot contain a comma, a double quote or a line break"
    );
    assert_eq!(edits.borrow().len(), 1);
}

#[wasm_bindgen_test]
async fn device_table_header_clicks_sort_the_rows_and_set_aria_sort() {
    let m = mount::<DeviceTable>(three_devices(Callback::noop())).await;
    let th = |column: &str| format!("#device-table th[data-column='{column}']");
    let aria = |column: &str| m.get(&th(column)).get_attribute("aria-sort").unwrap();

    // Numbers sort largest first on the first click.
    m.click(&format!("{} button", th("flows"))).await;
    assert_eq!(
        row_keys(&m),
        ["192.168.1.30", "192.168.1.10", "192.168.1.2"]
    );
    assert_eq!(aria("flows"), "descending");
    assert_eq!(aria("key"), "none");
    assert_eq!(m.text(&th("flows")), "flows ▼");

    // The same header again flips the order.
    m.click(&format!("{} button", th("flows"))).await;
    assert_eq!(
        row_keys(&m),
        ["192.168.1.2", "192.168.1.10", "192.168.1.30"]
    );
    assert_eq!(aria("flows"), "ascending");
    assert_eq!(m.text(&th("flows")), "flows ▲");

    // Text sorts A to Z, and devices without a name come last.
    m.click(&format!("{} button", th("name"))).await;
    assert_eq!(
        row_keys(&m),
        ["192.168.1.10", "192.168.1.2", "192.168.1.30"]
    );
    assert_eq!(aria("name"), "ascending");
    assert_eq!(aria("flows"), "none");
}

#[wasm_bindgen_test]
async fn device_table_filter_narrows_the_rows_by_text_and_by_label() {
    let m = mount::<DeviceTable>(three_devices(Callback::noop())).await;

    // A service of one device.
    m.type_into("#device-filter", "udp/5353").await;
    assert_eq!(row_keys(&m), ["192.168.1.30"]);
    assert_eq!(
        m.text("#device-count"),
        "Showing 1 of 1 matching devices (3 in all)"
    );
    assert!(m.find("#no-match").is_none());

    // A type, case-insensitively.
    m.type_into("#device-filter", "PRINTER").await;
    assert_eq!(row_keys(&m), ["192.168.1.2"]);

    // Nothing matches: an empty body and a notice.
    m.type_into("#device-filter", "thermostat").await;
    assert!(row_keys(&m).is_empty());
    assert_eq!(m.text("#no-match"), "No device matches this filter.");

    // Cleared, then by label.
    m.type_into("#device-filter", "").await;
    assert_eq!(row_keys(&m).len(), 3);
    m.change("#device-show", "unlabelled").await;
    assert_eq!(row_keys(&m), ["192.168.1.30"]);
    m.change("#device-show", "labelled").await;
    assert_eq!(row_keys(&m), ["192.168.1.2", "192.168.1.10"]);
    // Text and label filters combine.
    m.type_into("#device-filter", "192.168.1.1").await;
    assert_eq!(row_keys(&m), ["192.168.1.10"]);
}

#[wasm_bindgen_test]
async fn device_table_shows_fifty_rows_then_pages_with_show_more_and_show_all() {
    let devices: Vec<DeviceSummary> = (1..=120)
        .map(|i| device(&format!("10.0.0.{i}"), i, &["TCP/443"]))
        .collect();
    let m = mount::<DeviceTable>(DeviceTableProps {
        devices: Rc::new(devices),
        labels: Rc::default(),
        fingerprints: Rc::default(),
        selected: None,
        on_select: Callback::noop(),
        inline: Rc::default(),
        on_label: Callback::noop(),
    })
    .await;

    let keys = row_keys(&m);
    assert_eq!(keys.len(), 50);
    assert_eq!(keys.first().unwrap(), "10.0.0.1");
    assert_eq!(keys.last().unwrap(), "10.0.0.50");
    assert_eq!(m.text("#device-count"), "Showing 50 of 120 devices");
    assert_eq!(m.text("#show-more"), "Show 50 more");
    assert_eq!(m.text("#show-all"), "Show all 120");

    m.click("#show-more").await;
    assert_eq!(row_keys(&m).len(), 100);
    assert_eq!(m.text("#device-count"), "Showing 100 of 120 devices");
    assert_eq!(m.text("#show-more"), "Show 20 more");

    m.click("#show-all").await;
    let keys = row_keys(&m);
    assert_eq!(keys.len(), 120);
    assert_eq!(keys.last().unwrap(), "10.0.0.120");
    assert!(m.find("#show-more").is_none());
    assert!(m.find("#show-all").is_none());

    // A new filter starts again at one page.
    m.type_into("#device-filter", "10.0.0.").await;
    assert_eq!(row_keys(&m).len(), 50);
}

// ---------------------------------------------------------------------------------------
// Diagnostics

fn diagnostic(file: &str, line: u64, column: &str, message: &str) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        line: Some(line),
        column: Some(column.into()),
        offset: None,
        kind: DiagKind::BadValue,
        message: message.into(),
    }
}

#[wasm_bindgen_test]
async fn diagnostics_show_file_names_and_problems_as_text_never_as_markup() {
    let evil = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">.csv";
    let mut diagnostics = Diagnostics::with_cap(2);
    diagnostics.push(diagnostic(evil, 7, "3", "bad port \"<b>99999</b>\""));
    diagnostics.push(diagnostic(evil, 9, "src_ip", "not an address: <i>x</i>"));
    diagnostics.push(diagnostic(evil, 12, "3", "kept only as a count"));
    let files = vec![
        FileState {
            name: evil.into(),
            size: 100,
            bytes_done: 100,
            summary: Some(FileSummary {
                name: evil.into(),
                format: "csv-ipfix".into(),
                bytes_in: 100,
                records: 41,
                diagnostics,
            }),
        },
        // Still reading: not listed yet.
        FileState {
            name: "later.csv".into(),
            size: 100,
            bytes_done: 10,
            summary: None,
        },
    ];
    let m = mount::<DiagnosticsPanel>(DiagnosticsProps {
        files,
        on_map: Callback::noop(),
    })
    .await;

    assert_eq!(m.all("#files li.file").len(), 1);
    assert_eq!(m.text("#files li.file .name"), evil);
    assert!(m
        .text("#files li.file")
        .contains(" — csv-ipfix · 41 records · 3 problems"));
    assert_eq!(
        m.texts("#files ul.diagnostics li"),
        [
            format!("{evil}:7 column 3: bad_value: bad port \"<b>99999</b>\""),
            format!("{evil}:9 column src_ip: bad_value: not an address: <i>x</i>"),
        ]
    );
    assert_eq!(m.text("#files p.more"), "… and 1 more");
    // The markup in the names and messages is text: no element was made from it.
    for tag in ["script", "img", "b", "i"] {
        assert!(m.find(tag).is_none(), "a <{tag}> element was created");
    }
    let pwned = js_sys::Reflect::get(&gloo::utils::window(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
    // The file had records: no column mapping offered.
    assert!(m.find("button.map-columns").is_none());
}

#[wasm_bindgen_test]
async fn diagnostics_offer_the_column_mapping_for_a_header_not_understood() {
    let mut diagnostics = Diagnostics::with_cap(10);
    diagnostics.push(Diagnostic {
        file: "router.csv".into(),
        line: Some(1),
        column: None,
        offset: None,
        kind: DiagKind::MissingColumn,
        message: "no source address column".into(),
    });
    let files = vec![
        FileState {
            name: "fine.csv".into(),
            size: 1,
            bytes_done: 1,
            summary: Some(FileSummary {
                name: "fine.csv".into(),
                format: "csv-ipfix".into(),
                bytes_in: 1,
                records: 5,
                diagnostics: Diagnostics::with_cap(10),
            }),
        },
        FileState {
            name: "router.csv".into(),
            size: 1,
            bytes_done: 1,
            summary: Some(FileSummary {
                name: "router.csv".into(),
                format: "csv".into(),
                bytes_in: 1,
                records: 0,
                diagnostics,
            }),
        },
    ];
    let (mapped, on_map) = recorder::<u32>();
    let m = mount::<DiagnosticsPanel>(DiagnosticsProps { files, on_map }).await;
    assert_eq!(m.texts("#files li.file .name"), ["fine.csv", "router.csv"]);
    assert_eq!(m.all("#files li.has-problems").len(), 1);
    assert_eq!(
        m.texts("#files ul.diagnostics li"),
        ["router.csv:1: missing_column: no source address column"]
    );
    assert_eq!(m.all("button.map-columns").len(), 1);
    m.click("button.map-columns").await;
    assert_eq!(*mapped.borrow(), [1]);
}

// ---------------------------------------------------------------------------------------
// Parameters panel, wired as the app wires it: the panel's change goes through
// `Action::configure` into the app reducer, whose config and error the panel shows.

#[derive(Properties, PartialEq)]
struct ParamsHarnessProps {
    /// Every action the panel's changes became.
    actions: Callback<Action>,
}

#[function_component(ParamsHarness)]
fn params_harness(props: &ParamsHarnessProps) -> Html {
    let state = use_state(AppState::default);
    let on_change = {
        let (state, actions) = (state.clone(), props.actions.clone());
        Callback::from(move |config: Config| {
            let action = Action::configure(config);
            actions.emit(action.clone());
            let mut next = (*state).clone();
            next.apply(action);
            state.set(next);
        })
    };
    html! {
        <ParamsPanel config={state.config.clone()} error={state.config_error.clone()}
            on_change={on_change} on_forget_mappings={Callback::noop()} />
    }
}

fn value<C: BaseComponent>(m: &Mounted<C>, selector: &str) -> String {
    m.get(selector)
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
async fn params_panel_rejects_an_invalid_value_with_a_message_and_applies_a_valid_one() {
    let (actions, record) = recorder::<Action>();
    let m = mount::<ParamsHarness>(ParamsHarnessProps { actions: record }).await;
    let defaults = Config::default();
    assert_eq!(value(&m, "#param-tau"), defaults.tau.to_string());
    assert_eq!(
        value(&m, "#param-granularity"),
        defaults.granularity.to_string()
    );
    assert!(m.find("#param-error").is_none());

    // Out of range: refused with the reason, shown as an alert.
    m.change("#param-tau", "1.5").await;
    assert_eq!(
        m.text("#param-error"),
        "tau must be between 0 and 1 (got 1.5)"
    );
    assert_eq!(
        m.get("#param-error").get_attribute("role").as_deref(),
        Some("alert")
    );
    assert!(matches!(
        actions.borrow().last(),
        Some(Action::ConfigRejected { .. })
    ));

    // Not a number, a negative or fractional count, an empty field: nothing is sent, and
    // the panel says why and which value stays (it replaces the engine's message).
    let sent = actions.borrow().len();
    m.change("#param-granularity", "many").await;
    assert_eq!(actions.borrow().len(), sent);
    assert_eq!(
        m.text("#param-error"),
        format!(
            "granularity: empty or not a number; it stays {}",
            defaults.granularity
        )
    );
    for (bad, shown) in [
        ("-3", "\u{201c}-3\u{201d}"),
        ("2.5", "\u{201c}2.5\u{201d}"),
        ("", ""),
    ] {
        m.change("#param-stable_bins", bad).await;
        let why = if shown.is_empty() {
            "empty or not a number".to_string()
        } else {
            format!("{shown} is not a whole number, 0 or more")
        };
        assert_eq!(
            m.text("#param-error"),
            format!("stable_bins: {why}; it stays {}", defaults.stable_bins)
        );
    }
    // A number field hands over text that is not a number as an empty value.
    m.change("#param-rho", "x").await;
    assert_eq!(
        m.text("#param-error"),
        format!("rho: empty or not a number; it stays {}", defaults.rho)
    );
    assert_eq!(actions.borrow().len(), sent);

    // A valid value clears the message and is what the panel shows from then on.
    m.change("#param-tau", "0.25").await;
    assert!(m.find("#param-error").is_none());
    match actions.borrow().last() {
        Some(Action::SetConfig(c)) => {
            assert_eq!(c.tau, 0.25);
            assert_eq!(c.granularity, defaults.granularity);
        }
        other => panic!("expected SetConfig, got {other:?}"),
    }
    assert_eq!(value(&m, "#param-tau"), "0.25");

    // max_bins below min_bins is refused too; Reset restores the defaults.
    m.change("#param-max_bins", "10").await;
    assert_eq!(
        m.text("#param-error"),
        format!(
            "min_bins ({}) must not exceed max_bins (10)",
            defaults.min_bins
        )
    );
    assert!(matches!(
        actions.borrow().last(),
        Some(Action::ConfigRejected { .. })
    ));
    m.click("#param-reset").await;
    assert!(m.find("#param-error").is_none());
    assert_eq!(value(&m, "#param-tau"), defaults.tau.to_string());
}

// ---------------------------------------------------------------------------------------
// Label import, wired as the app wires it: the file's text is parsed by the engine's
// label reader (what the worker does) and the result comes back as the label file.

#[function_component(LabelHarness)]
fn label_harness() -> Html {
    let label_file = use_state(|| None::<LabelFile>);
    let on_labels = {
        let label_file = label_file.clone();
        Callback::from(move |(name, text): (String, String)| {
            let (labels, errors) = Labels::parse(&text);
            label_file.set(Some(LabelFile {
                name,
                count: labels.len(),
                errors: errors.iter().map(ToString::to_string).collect(),
                labels: svcprint_web::labelling::label_list(&labels),
            }));
        })
    };
    html! { <LabelImport label_file={(*label_file).clone()} on_labels={on_labels} /> }
}

/// Puts a file named `name` with `text` into the file input (as a user's pick would).
fn choose_file(input: &HtmlInputElement, name: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    input.set_files(transfer.files().as_ref());
}

#[wasm_bindgen_test]
async fn label_import_reads_the_chosen_file_and_lists_bad_lines_by_number() {
    let m = mount::<LabelHarness>(()).await;
    assert!(m.find("#label-status").is_none());
    let input: HtmlInputElement = m.get("#label-input").dyn_into().unwrap();
    assert_eq!(input.type_(), "file");
    choose_file(
        &input,
        "home.txt",
        "# my devices\n\
         00:11:22:33:44:55 doorcam camera\n\
         not a device line\n\
         \n\
         00:11:22:33:44:66 plug\n\
         00:11:22:33:44:55 again\n\
         192.168.1.7 <b>tv</b>\n",
    );
    fire(&input, "change");
    until("the label status", || m.find("#label-status").is_some()).await;

    assert_eq!(
        m.text("#label-status"),
        "home.txt: 3 devices labelled, 2 lines skipped"
    );
    assert_eq!(
        m.texts("#labels ul.diagnostics li"),
        [
            "line 3: no MAC or IP address in \"not a device line\"",
            "line 6: 00:11:22:33:44:55 was already labelled on line 2",
        ]
    );
    // The input is emptied so that the same file can be chosen again.
    assert_eq!(input.value(), "");
    assert!(m.find("#labels b").is_none());
}

// ---------------------------------------------------------------------------------------
// Chart with its downloads

/// Replaces the page's download mechanism (an object URL clicked through a temporary
/// `<a download>`) with a recorder, so the tests can read what would be saved.
fn record_downloads() {
    js_sys::eval(
        r#"
        if (!window.__downloads) {
          const blobs = new Map();
          const create = URL.createObjectURL.bind(URL);
          URL.createObjectURL = (b) => { const u = create(b); blobs.set(u, b); return u; };
          HTMLAnchorElement.prototype.click = function () {
            window.__downloads.push({ name: this.download, href: this.href, blob: blobs.get(this.href) ?? null });
          };
        }
        window.__downloads = [];
        "#,
    )
    .unwrap();
}

/// The recorded downloads as (file name, href, blob if any).
fn downloads() -> Vec<(String, String, Option<web_sys::Blob>)> {
    let list: js_sys::Array = js_sys::Reflect::get(&gloo::utils::window(), &"__downloads".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    list.iter()
        .map(|d| {
            let get = |k: &str| js_sys::Reflect::get(&d, &k.into()).unwrap();
            (
                get("name").as_string().unwrap(),
                get("href").as_string().unwrap(),
                get("blob").dyn_into::<web_sys::Blob>().ok(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn chart_view_draws_on_its_canvas_and_downloads_svg_and_png() {
    record_downloads();
    let chart = Chart::Prevalence {
        services: vec![
            ServiceStat {
                service: "TCP/8883".into(),
                prevalence: 0.9,
                flows: 40,
            },
            ServiceStat {
                service: "UDP/123".into(),
                prevalence: 0.25,
                flows: 6,
            },
        ],
        title: "192.168.1.10".into(),
    };
    let (width, height) = chart.size();
    let m = mount::<ChartView>(ChartViewProps {
        chart: Rc::new(chart),
        id: "test-chart".into(),
        stem: "services-192-168-1-10".into(),
        label: "Prevalence of the services of 192.168.1.10".into(),
        wide: false,
    })
    .await;

    let canvas: HtmlCanvasElement = m.get("canvas#test-chart").dyn_into().unwrap();
    assert_eq!((canvas.width(), canvas.height()), (width, height));
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("Prevalence of the services of 192.168.1.10")
    );
    // Something was drawn: the canvas differs from a blank one of its size.
    let blank: HtmlCanvasElement = gloo::utils::document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    blank.set_width(width);
    blank.set_height(height);
    assert_ne!(canvas.to_data_url().unwrap(), blank.to_data_url().unwrap());

    m.click("#test-chart-svg").await;
    m.click("#test-chart-png").await;
    let saved = downloads();
    assert_eq!(saved.len(), 2);

    let (name, href, blob) = &saved[0];
    assert_eq!(name, "services-192-168-1-10.svg");
    assert!(href.starts_with("blob:"), "{href}");
    let blob = blob.as_ref().expect("the SVG is a Blob");
    assert_eq!(blob.type_(), "image/svg+xml");
    let svg = JsFuture::from(blob.text())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    assert!(
        svg.contains(&format!("width=\"{width}\"")),
        "size in the SVG"
    );
    for label in ["TCP/8883", "UDP/123", "192.168.1.10"] {
        assert!(svg.contains(label), "{label} missing from the SVG");
    }
    // The object URL is released once the download started.
    assert!(gloo::utils::document()
        .query_selector("a[download]")
        .unwrap()
        .is_none());

    let (name, href, blob) = &saved[1];
    assert_eq!(name, "services-192-168-1-10.png");
    assert!(blob.is_none());
    assert_eq!(href, &canvas.to_data_url().unwrap());
    assert!(href.starts_with("data:image/png;base64,"));
}

// ---------------------------------------------------------------------------------------
// Identify view

fn window(n: u64) -> Window {
    Window {
        first_bin: 0,
        last_bin: n as i64 - 1,
        n,
        start_ms: 1_709_287_200_000,
        end_ms: 1_709_287_200_000 + n as i64 * 3_600_000,
    }
}

fn item(service: &str, query: f64, matched: f64, share: f64) -> EvidenceItem<String> {
    EvidenceItem {
        service: service.into(),
        query,
        matched,
        share,
    }
}

/// Four devices: one identified, one tied, one below rho, one sharing nothing.
fn four_identities() -> Identification {
    let identity = |key: &str, answer: Answer, score: f64, top: &[(&str, f64)]| DeviceIdentity {
        key: key.into(),
        query: Query {
            kind: "stable".into(),
            window: window(24),
        },
        answer,
        score,
        nearest: top
            .iter()
            .filter(|(_, s)| *s == score)
            .map(|(l, _)| l.to_string())
            .collect(),
        top: top.iter().map(|(l, s)| (l.to_string(), *s)).collect(),
        evidence: None,
    };
    let mut camera = identity(
        "192.168.1.10",
        Answer::Label("camera".into()),
        0.9,
        &[("camera", 0.9), ("plug", 0.25)],
    );
    camera.evidence = Some(Evidence {
        label: "camera".into(),
        reference: 0,
        shared: vec![
            item("TCP/443", 1.0, 1.0, 0.6),
            item("UDP/123", 0.5, 0.5, 0.3),
        ],
        only_query: vec![item("in:TCP/554", 0.5, 0.0, 0.0)],
        only_match: Vec::new(),
    });
    let mut newcomer = identity(
        "192.168.1.30",
        Answer::Unknown,
        0.4,
        &[("plug", 0.4), ("camera", 0.2)],
    );
    newcomer.query.kind = "pending".into();
    newcomer.query.window = window(7);
    newcomer.evidence = Some(Evidence {
        label: "plug".into(),
        reference: 3,
        shared: vec![item("UDP/53", 0.5, 1.0, 0.4)],
        only_query: vec![item("UDP/5353", 1.0, 0.0, 0.0)],
        only_match: vec![item("TCP/8883", 0.0, 1.0, 0.0)],
    });
    let mut stranger = identity("192.168.1.40", Answer::Unknown, 0.0, &[("camera", 0.0)]);
    stranger.evidence = Some(Evidence {
        label: "camera".into(),
        reference: 0,
        shared: Vec::new(),
        only_query: vec![item("UDP/9999", 1.0, 0.0, 0.0)],
        only_match: vec![item("TCP/443", 0.0, 1.0, 0.0)],
    });
    Identification {
        library: 5,
        labels: 3,
        representation: "G2".into(),
        rho: 0.85,
        devices: vec![
            camera,
            identity(
                "192.168.1.20",
                Answer::Ambiguous(vec!["hub".into(), "plug".into()]),
                1.0,
                &[("hub", 1.0), ("plug", 1.0), ("camera", 0.1)],
            ),
            newcomer,
            stranger,
        ],
        imported: None,
    }
}

fn identify_props(selected: Option<&str>, on_select: Callback<String>) -> IdentifyViewProps {
    IdentifyViewProps {
        identification: Some(four_identities()),
        labels: Rc::new(BTreeMap::from([
            label("192.168.1.10", "front door <b>cam</b>", "camera"),
            label("192.168.1.20", "hall hub", "hub"),
        ])),
        selected: selected.map(str::to_string),
        on_select,
    }
}

#[wasm_bindgen_test]
async fn identify_view_gives_each_answer_with_its_reason_score_and_top_three() {
    let (chosen, on_select) = recorder::<String>();
    let m = mount::<IdentifyView>(identify_props(None, on_select)).await;

    assert_eq!(
        m.text("#identify-library"),
        "Library: 5 fingerprints of 3 labels (G2), built from the labelled devices; rho = 0.85. Each device's query is its latest fingerprint (or its open window). Labelled devices are in the library, so they find their own fingerprints; the answers for unlabelled devices are the interesting ones."
    );
    assert_eq!(
        keys_of(&m, "#identify-table"),
        [
            "192.168.1.10",
            "192.168.1.20",
            "192.168.1.30",
            "192.168.1.40"
        ]
    );
    // Names are text: the markup in a label stays visible as characters.
    assert_eq!(
        m.texts("#identify-table tbody .name"),
        ["front door <b>cam</b>", "hall hub", "", ""]
    );
    assert!(m.find("#identify-table b").is_none());
    assert_eq!(
        m.texts("#identify-table tbody .query"),
        [
            "stable, 24 h",
            "stable, 24 h",
            "pending, 7 h",
            "stable, 24 h"
        ]
    );
    assert_eq!(
        m.texts("#identify-table tbody .answer"),
        ["camera", "ambiguous", "unknown", "unknown"]
    );
    assert_eq!(
        m.texts("#identify-table tbody .why"),
        [
            "best score, at least rho 0.85",
            "tied at the best score: hub, plug",
            "best score 0.400 is below rho 0.85 (nearest: plug)",
            "shares no service with any fingerprint of the library",
        ]
    );
    let verdicts: Vec<String> = m
        .all("#identify-table tbody td.verdict")
        .iter()
        .map(|td| td.class_name())
        .collect();
    assert_eq!(
        verdicts,
        [
            "verdict label",
            "verdict ambiguous",
            "verdict unknown",
            "verdict unknown"
        ]
    );
    assert_eq!(
        m.texts("#identify-table tbody .score"),
        ["0.900", "1.000", "0.400", "0.000"]
    );
    assert_eq!(
        m.texts("#identify-table tbody .top"),
        [
            "camera 0.900, plug 0.250",
            "hub 1.000, plug 1.000, camera 0.100",
            "plug 0.400, camera 0.200",
            "camera 0.000",
        ]
    );

    // Without a choice the first device is selected and its evidence shown.
    assert_eq!(
        m.get("#identify-table tbody tr.selected")
            .get_attribute("data-key")
            .as_deref(),
        Some("192.168.1.10")
    );
    assert_eq!(
        m.get("#evidence").get_attribute("data-key").as_deref(),
        Some("192.168.1.10")
    );
    assert_eq!(
        m.text("#evidence h3"),
        "Evidence for front door <b>cam</b>: its fingerprint against the closest one of camera (score 0.900)"
    );
    assert_eq!(m.text("#evidence-shared caption"), "Shared services (2)");
    let shared: Vec<Vec<String>> = m
        .all("#evidence-shared tbody tr")
        .iter()
        .map(|tr| {
            let cells = tr.query_selector_all("td").unwrap();
            (0..cells.length())
                .map(|i| cells.item(i).unwrap().text_content().unwrap_or_default())
                .collect()
        })
        .collect();
    assert_eq!(
        shared,
        [
            ["TCP/443", "1.000", "1.000", "0.600"],
            ["UDP/123", "0.500", "0.500", "0.300"]
        ]
    );
    assert_eq!(
        m.texts("#evidence-extra tbody tr td:first-child"),
        ["in:TCP/554"]
    );
    assert_eq!(
        m.text("#evidence-missing caption"),
        "Only in camera: missing (0)"
    );
    assert_eq!(m.texts("#evidence-missing td.none"), ["none"]);

    // Clicking a device asks for it (the parent holds the choice).
    m.click("#identify-table tbody tr[data-key=\"192.168.1.30\"] button")
        .await;
    assert_eq!(*chosen.borrow(), ["192.168.1.30"]);
}

#[wasm_bindgen_test]
async fn identify_view_shows_the_chosen_devices_evidence_and_says_when_there_is_no_library() {
    let m = mount::<IdentifyView>(identify_props(Some("192.168.1.30"), Callback::noop())).await;
    assert_eq!(
        m.get("#identify-table tbody tr.selected")
            .get_attribute("data-key")
            .as_deref(),
        Some("192.168.1.30")
    );
    assert_eq!(
        m.text("#evidence h3"),
        "Evidence for 192.168.1.30: its fingerprint against the closest one of plug (score 0.400)"
    );
    assert_eq!(m.texts("#evidence-shared tbody td:first-child"), ["UDP/53"]);
    assert_eq!(
        m.texts("#evidence-extra tbody td:first-child"),
        ["UDP/5353"]
    );
    assert_eq!(
        m.text("#evidence-missing caption"),
        "Only in plug: missing (1)"
    );
    assert_eq!(
        m.texts("#evidence-missing tbody td:first-child"),
        ["TCP/8883"]
    );
    drop(m);

    // Sharing nothing: the evidence lists only what is on either side.
    let m = mount::<IdentifyView>(identify_props(Some("192.168.1.40"), Callback::noop())).await;
    assert_eq!(m.text("#evidence-shared caption"), "Shared services (0)");
    assert_eq!(
        m.texts("#evidence-extra tbody td:first-child"),
        ["UDP/9999"]
    );
    assert_eq!(
        m.texts("#evidence-missing tbody td:first-child"),
        ["TCP/443"]
    );
    drop(m);

    // An empty library: every answer is unknown, and the view says why.
    let mut props = identify_props(None, Callback::noop());
    props.identification = Some(Identification {
        library: 0,
        labels: 0,
        representation: "G2".into(),
        rho: 0.85,
        devices: vec![DeviceIdentity {
            key: "192.168.1.50".into(),
            query: Query {
                kind: "unstable".into(),
                window: window(30),
            },
            answer: Answer::Unknown,
            score: 0.0,
            nearest: Vec::new(),
            top: Vec::new(),
            evidence: None,
        }],
        imported: None,
    });
    let m = mount::<IdentifyView>(props).await;
    assert_eq!(
        m.texts("#identify-table tbody .why"),
        ["the library is empty"]
    );
    assert_eq!(m.texts("#identify-table tbody .top"), [""]);
    assert_eq!(
        m.text("#evidence .notice"),
        "No evidence: the library is empty."
    );
    drop(m);

    // No labels yet: the view says how to get a library, and shows no table.
    let m = mount::<IdentifyView>(IdentifyViewProps {
        identification: None,
        labels: Rc::new(BTreeMap::new()),
        selected: None,
        on_select: Callback::noop(),
    })
    .await;
    assert!(m
        .text("#identify-empty")
        .starts_with("Import a label file (or load the demo)"));
    assert!(m.find("#identify-table").is_none());
    drop(m);

    // An imported library is named, with the way back to the labels' own.
    let mut props = identify_props(None, Callback::noop());
    let mut id = four_identities();
    id.imported = Some("lab <i>library</i>.json".into());
    props.identification = Some(id);
    let m = mount::<IdentifyView>(props).await;
    assert!(m
        .text("#identify-library")
        .starts_with("Library: 5 fingerprints of 3 labels (G2), imported from lab <i>library</i>.json; rho = 0.85."));
    assert!(m.find("#identify-library i").is_none());
}

// ---------------------------------------------------------------------------------------
// Evaluation view

/// One representation's results: `hits` right of 10 queries, a confusion with a miss and a
/// tie, and a three-point sweep (AUROC left out when `auroc` is None).
fn representation(hits: u64, auroc: Option<f64>) -> RepresentationResult {
    let confusion = BTreeMap::from([
        (
            "camera".to_string(),
            BTreeMap::from([("camera".to_string(), hits - 2), ("plug".to_string(), 1)]),
        ),
        (
            "plug".to_string(),
            BTreeMap::from([("plug".to_string(), 2), ("ambiguous".to_string(), 1)]),
        ),
    ]);
    let point = |rho: f64, known: f64, rejected: f64| SweepPoint {
        rho,
        known_accuracy: known,
        unknown_rejection: rejected,
        balanced_accuracy: (known + rejected) / 2.0,
    };
    RepresentationResult {
        closed: ClosedSet {
            library: 12,
            queries: 10,
            correct: hits as usize,
            accuracy: hits as f64 / 10.0,
            macro_f1: 0.6543,
            devices_correct: 1,
            devices: 2,
            device_accuracy: 0.5,
            confusion,
            per_device: Vec::new(),
        },
        open: OpenSet {
            known_queries: 10,
            unknown_queries: 4,
            auroc,
            best_rho: 0.9,
            best_balanced_accuracy: 0.8134,
            sweep: vec![
                point(0.5, 1.0, 0.0),
                point(0.9, 0.75, 0.875),
                point(1.0, 0.1, 1.0),
            ],
        },
    }
}

#[wasm_bindgen_test]
async fn evaluation_view_lists_every_representation_and_shows_the_chosen_ones_details() {
    let representations = BTreeMap::from([
        ("G2".to_string(), representation(9, Some(0.9375))),
        ("G4".to_string(), representation(8, Some(0.9))),
        ("G8".to_string(), representation(7, Some(0.85))),
        ("SL".to_string(), representation(6, None)),
        ("SP".to_string(), representation(5, Some(0.5))),
    ]);
    let m = mount::<EvaluationView>(EvaluationProps {
        evaluation: Some(Evaluation {
            params: Config::default(),
            representations,
        }),
    })
    .await;

    // method.md M11's order, whatever the map's.
    let reps: Vec<String> = m
        .all("#evaluation-table tbody tr")
        .iter()
        .map(|tr| tr.get_attribute("data-representation").unwrap())
        .collect();
    assert_eq!(reps, ["SL", "SP", "G2", "G4", "G8"]);
    assert_eq!(
        m.texts("#evaluation-table tbody .accuracy"),
        ["60.0%", "50.0%", "90.0%", "80.0%", "70.0%"]
    );
    assert_eq!(
        m.texts("#evaluation-table tr[data-representation=\"G2\"] td"),
        [
            "12",
            "10",
            "90.0%",
            "0.654",
            "50.0% (1/2)",
            "0.938",
            "0.90",
            "81.3%"
        ]
    );
    // No AUROC (no unknown or no known queries) is a dash, not a number.
    assert_eq!(
        m.text("#evaluation-table tr[data-representation=\"SL\"] .auroc"),
        "–"
    );

    // Details of G2 by default: the confusion matrix, predictions as columns, sorted.
    assert_eq!(
        m.text("#confusion caption"),
        "Closed-set confusion (G2): true label by row, prediction by column"
    );
    assert_eq!(
        m.texts("#confusion thead th"),
        ["true \\ predicted", "ambiguous", "camera", "plug"]
    );
    assert_eq!(
        m.texts("#confusion tr[data-label=\"camera\"] td"),
        ["", "7", "1"]
    );
    assert_eq!(
        m.texts("#confusion tr[data-label=\"plug\"] td"),
        ["1", "", "2"]
    );
    // The diagonal's non-empty cells are marked as hits.
    assert_eq!(m.texts("#confusion td.hit"), ["7", "2"]);
    let canvas: HtmlCanvasElement = m.get("canvas#open-set-chart").dyn_into().unwrap();
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("Open-set known accuracy, unknown rejection and balanced accuracy against rho for G2")
    );

    // Choosing another representation shows its details.
    m.change("#eval-rep", "SP").await;
    assert_eq!(
        m.text("#confusion caption"),
        "Closed-set confusion (SP): true label by row, prediction by column"
    );
    assert_eq!(
        m.texts("#confusion tr[data-label=\"camera\"] td"),
        ["", "3", "1"]
    );
    let canvas: HtmlCanvasElement = m.get("canvas#open-set-chart").dyn_into().unwrap();
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("Open-set known accuracy, unknown rejection and balanced accuracy against rho for SP")
    );
    drop(m);

    // Before any labels: a notice, no table.
    let m = mount::<EvaluationView>(EvaluationProps { evaluation: None }).await;
    assert!(m
        .text(".notice")
        .starts_with("Import a label file (or load the demo) to evaluate"));
    assert!(m.find("#evaluation-table").is_none());
}
