//! The `svcprint` analysis subcommands on the 7 UNSW devices of the shared corpus
//! (../shared/corpus/unsw-ipfix-iot-2019, read at test time), with the label file
//! `tests/unsw7_labels.csv` (our own fixture: device MAC -> file name), which the first
//! test derives again from the data.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use svcprint_engine::labels::Labels;
use svcprint_flow::{decode_all, Limits, Mac};

const FILES: [&str; 7] = [
    "au_network_camera",
    "jvc_kenwood_hdtv_ip_camera",
    "mouse_computer_room_hub",
    "nature_remo",
    "planex_smacam_outdoor",
    "planex_smacam_pantilt",
    "xiaomi_mijia_led",
];

fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("SVCPRINT_CORPUS") {
        let p = PathBuf::from(p);
        assert!(
            p.is_dir(),
            "SVCPRINT_CORPUS={} is not a directory",
            p.display()
        );
        return p;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tried: Vec<PathBuf> = manifest
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .collect();
    tried.iter().find(|p| p.is_dir()).cloned().unwrap_or_else(|| {
        panic!("corpus not found: set SVCPRINT_CORPUS to the shared/corpus folder (tried {tried:?})")
    })
}

fn zips() -> Vec<PathBuf> {
    let dir = corpus_dir().join("unsw-ipfix-iot-2019");
    FILES.iter().map(|f| dir.join(format!("{f}.zip"))).collect()
}

fn labels_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/unsw7_labels.csv")
}

fn svcprint(args: &[&str], files: &[PathBuf]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_svcprint"))
        .args(args)
        .args(files)
        .output()
        .expect("run svcprint");
    out
}

fn json(args: &[&str], files: &[PathBuf]) -> serde_json::Value {
    let out = svcprint(args, files);
    assert!(
        out.status.success(),
        "svcprint {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn the_label_fixture_is_derived_from_the_data() {
    // Per file, the MAC present in every record is the device; the file name is its name.
    let mut derived = BTreeMap::new();
    for (i, path) in zips().iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let (recs, _) = decode_all(i as u32, "x.zip", &bytes, Limits::default());
        let mut macs: HashMap<Mac, usize> = HashMap::new();
        for r in &recs {
            for m in [r.src_mac, r.dst_mac].into_iter().flatten() {
                *macs.entry(m).or_default() += 1;
            }
        }
        let everywhere: Vec<Mac> = macs
            .iter()
            .filter(|(_, &n)| n == recs.len())
            .map(|(m, _)| *m)
            .collect();
        assert_eq!(everywhere.len(), 1, "{}", path.display());
        derived.insert(everywhere[0].to_string(), FILES[i].to_string());
    }
    let (labels, errors) = Labels::parse(&std::fs::read_to_string(labels_path()).unwrap());
    assert_eq!(errors, []);
    let fixture: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, l)| (k.to_string(), l.name.clone()))
        .collect();
    assert_eq!(fixture, derived);
    assert_eq!(fixture["ec:3d:fd:39:6f:98"], "au_network_camera");
}

/// (library, queries, correct, devices right, known, unknown, AUROC, best rho, best
/// balanced accuracy) per representation, default parameters.
type Row = (
    &'static str,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    &'static str,
    &'static str,
    &'static str,
);

const EVALUATION: [Row; 5] = [
    (
        "SL", 337, 326, 214, 5, 1956, 326, "0.818731", "0.86", "0.652863",
    ),
    (
        "SP", 340, 326, 217, 5, 1956, 326, "0.802529", "0.93", "0.624233",
    ),
    (
        "G2", 257, 221, 190, 5, 1326, 221, "0.936896", "0.88", "0.854449",
    ),
    (
        "G4", 278, 257, 208, 5, 1542, 257, "0.902126", "0.92", "0.794099",
    ),
    (
        "G8", 335, 326, 209, 5, 1956, 326, "0.801337", "0.87", "0.623466",
    ),
];

#[test]
fn evaluate_on_the_seven_unsw_devices() {
    let l = labels_path();
    let v = json(
        &["evaluate", "--json", "--labels", l.to_str().unwrap()],
        &zips(),
    );
    assert_eq!(v["params"]["tau"], 0.9);
    let reps = v["representations"].as_object().unwrap();
    assert_eq!(reps.len(), 5);
    for (name, library, queries, correct, devices_right, known, unknown, auroc, rho, bal) in
        EVALUATION
    {
        let c = &reps[name]["closed"];
        let o = &reps[name]["open"];
        assert_eq!(c["library"], library, "{name}");
        assert_eq!(c["queries"], queries, "{name}");
        assert_eq!(c["correct"], correct, "{name}");
        assert_eq!(
            c["accuracy"].as_f64().unwrap(),
            correct as f64 / queries as f64,
            "{name}"
        );
        assert_eq!(c["devices"], 7, "{name}");
        assert_eq!(c["devices_correct"], devices_right, "{name}");
        assert_eq!(
            c["device_accuracy"].as_f64().unwrap(),
            devices_right as f64 / 7.0
        );
        assert_eq!(o["known_queries"], known, "{name}");
        assert_eq!(o["unknown_queries"], unknown, "{name}");
        assert_eq!(
            format!("{:.6}", o["auroc"].as_f64().unwrap()),
            auroc,
            "{name}"
        );
        assert_eq!(
            format!("{:.2}", o["best_rho"].as_f64().unwrap()),
            rho,
            "{name}"
        );
        assert_eq!(
            format!("{:.6}", o["best_balanced_accuracy"].as_f64().unwrap()),
            bal,
            "{name}"
        );
        assert_eq!(o["sweep"].as_array().unwrap().len(), 101);
        // The two cameras with identical service sets are the misidentified devices:
        // their queries tie with each other (ambiguous).
        for d in c["per_device"].as_array().unwrap() {
            let right = d["vote_correct"].as_bool().unwrap();
            let label = d["label"].as_str().unwrap();
            let twin = label == "au_network_camera" || label == "jvc_kenwood_hdtv_ip_camera";
            assert_eq!(right, !twin, "{name} {label}");
        }
    }
    let g2 = &reps["G2"]["closed"]["confusion"];
    assert_eq!(g2["au_network_camera"]["ambiguous"], 11);
    assert_eq!(g2["jvc_kenwood_hdtv_ip_camera"]["ambiguous"], 14);
    assert_eq!(g2["mouse_computer_room_hub"]["mouse_computer_room_hub"], 53);
}

#[test]
fn fingerprint_exports_convergence_and_recurrence() {
    let l = labels_path();
    let v = json(
        &["fingerprint", "--json", "--labels", l.to_str().unwrap()],
        &zips(),
    );
    assert_eq!(v["representation"], "G2");
    let devices = v["devices"].as_array().unwrap();
    // (key, exports, median n, recurring, behaviours, separable exports).
    let want = [
        ("00:22:cf:fd:c1:08", 106, 24.0, 99, 7, 106),
        ("60:01:94:54:6b:e8", 43, 24.0, 9, 34, 42),
        ("78:11:dc:55:76:4c", 105, 24.0, 81, 24, 105),
        ("aa:1e:84:06:1c:b4", 105, 24.0, 101, 4, 105),
        ("e0:b9:4d:5c:cf:c5", 28, 118.0, 20, 8, 3),
        ("e0:b9:4d:b9:eb:e9", 57, 24.0, 47, 9, 45),
        ("ec:3d:fd:39:6f:98", 34, 26.0, 14, 20, 7),
    ];
    assert_eq!(devices.len(), want.len());
    for (d, (key, exports, median, recurring, behaviours, separable)) in devices.iter().zip(want) {
        assert_eq!(d["separability"]["separable"], separable, "{key}");
        assert_eq!(d["separability"]["with_margin"], exports, "{key}");
        assert_eq!(d["key"], key);
        assert_eq!(d["exports"].as_array().unwrap().len(), exports, "{key}");
        assert_eq!(d["convergence"]["exports"], exports, "{key}");
        assert_eq!(d["convergence"]["unstable"], 0, "{key}");
        assert_eq!(d["convergence"]["median_bins"], median, "{key}");
        assert_eq!(d["recurrence"]["recurring"], recurring, "{key}");
        assert_eq!(d["recurrence"]["behaviours"], behaviours, "{key}");
    }
    let mouse = &devices[3];
    assert_eq!(mouse["name"], "mouse_computer_room_hub");
    let first = &mouse["exports"][0];
    assert_eq!(first["window"]["n"], 24);
    assert_eq!(first["stable"], true);
    assert_eq!(first["services"][0]["service"], "UDP/9956");
    assert_eq!(first["services"][0]["weight"], 1.0);
    assert_eq!(first["separability"]["same_device"], 1.0);
    // The twin cameras: median margin 0 (as close to each other as to themselves).
    assert_eq!(devices[6]["separability"]["median_margin"], 0.0);
}

#[test]
fn file_order_does_not_matter() {
    let files = vec![zips()[2].clone(), zips()[6].clone()];
    let reversed: Vec<PathBuf> = files.iter().rev().cloned().collect();
    let l = labels_path();
    let args = ["fingerprint", "--json", "--labels", l.to_str().unwrap()];
    assert_eq!(json(&args, &files), json(&args, &reversed));
}

#[test]
fn library_identify_and_mud() {
    let dir = std::env::temp_dir().join(format!("svcprint-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("lib.json");
    let l = labels_path();
    let files: Vec<PathBuf> = zips().into_iter().skip(2).collect(); // 5 distinct devices
    let out = svcprint(
        &[
            "library",
            "--labels",
            l.to_str().unwrap(),
            "-o",
            lib.to_str().unwrap(),
        ],
        &files,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&lib).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], "svcprint-library");
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["fingerprints"].as_array().unwrap().len(),
        105 + 43 + 106 + 57 + 105
    );
    assert!(
        !text.contains("60:01:94:54:6b:e8"),
        "no addresses by default"
    );
    // Every device's latest export is identified as itself, score 1.
    let v = json(
        &[
            "identify",
            "--json",
            "--library",
            lib.to_str().unwrap(),
            "--labels",
            l.to_str().unwrap(),
        ],
        &files,
    );
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 5);
    for d in devices {
        assert_eq!(d["answer"], d["name"]);
        assert_eq!(d["score"], 1.0);
        assert_eq!(d["top"].as_array().unwrap().len(), 3);
        assert!(d["evidence"]["only_query"].as_array().unwrap().is_empty());
    }
    // Under rho = 1 with a library of the other devices only, nature_remo is unknown.
    let only_remo = vec![zips()[3].clone()];
    let out = svcprint(
        &["library", "--labels", l.to_str().unwrap()],
        &[zips()[4].clone()],
    );
    std::fs::write(dir.join("outdoor.json"), &out.stdout).unwrap();
    let v = json(
        &[
            "identify",
            "--json",
            "--library",
            dir.join("outdoor.json").to_str().unwrap(),
        ],
        &only_remo,
    );
    let remo = v["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "60:01:94:54:6b:e8")
        .unwrap();
    assert_eq!(remo["answer"], "unknown");
    assert_eq!(remo["nearest"][0], "planex_smacam_outdoor");

    // MUD draft of the xiaomi lamp: from-device ACEs for its stable services.
    let mud = dir.join("mud.json");
    let out = svcprint(
        &[
            "mud",
            "--device",
            "78:11:DC:55:76:4C",
            "-o",
            mud.to_str().unwrap(),
        ],
        &[zips()[6].clone()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&mud).unwrap()).unwrap();
    assert_eq!(m["ietf-mud:mud"]["mud-version"], 1);
    let acls = m["ietf-access-control-list:acls"]["acl"]
        .as_array()
        .unwrap();
    let from = &acls[0];
    assert_eq!(from["name"], "from-ipv4-78-11-dc-55-76-4c");
    let names: Vec<&str> = from["aces"]["ace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, MUD_XIAOMI_FROM);
    std::fs::remove_dir_all(&dir).unwrap();
}

const MUD_XIAOMI_FROM: [&str; 5] = [
    "from0-tcp-80",
    "from1-udp-53",
    "from2-udp-67",
    "from3-udp-8053",
    "from4-udp-other",
];

#[test]
fn bad_flags_are_reported() {
    let f = vec![zips()[3].clone()];
    for (args, message) in [
        (vec!["fingerprint", "--tau", "1.5"], "svcprint: bad parameters: tau must be between 0 and 1 (got 1.5)\n"),
        (vec!["fingerprint", "--bin", "90"], "svcprint: --bin \"90\": expected a whole number and a unit (ms, s, m, h, d), e.g. 1h\n"),
        (vec!["fingerprint", "--representation", "G0"], "svcprint: --representation \"G0\": expected SL, SP, G or Gk with k >= 1 (G4)\n"),
        (vec!["fingerprint", "--min-bins", "400"], "svcprint: bad parameters: min_bins (400) must not exceed max_bins (336)\n"),
        (vec!["fingerprint", "--local-prefix", "10.0.0.0/33"], ""),
        (vec!["mud", "--device", "printer"], "svcprint: --device: not a device key (MAC or IP address): \"printer\"\n"),
    ] {
        let out = svcprint(&args, &f);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        if !message.is_empty() {
            assert_eq!(err, message, "{args:?}");
        } else {
            assert!(err.starts_with("svcprint: --local-prefix \"10.0.0.0/33\": "), "{err}");
        }
    }
}

#[test]
fn csv_reports() {
    let l = labels_path();
    let out = svcprint(
        &["evaluate", "--csv", "--labels", l.to_str().unwrap()],
        &zips(),
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("representation,library,queries,correct,accuracy,"));
    assert!(lines[3].starts_with("G2,257,221,190,"), "{}", lines[3]);
    let out = svcprint(&["fingerprint", "--csv"], &[zips()[2].clone()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 105);
    assert_eq!(
        lines[1],
        "aa:1e:84:06:1c:b4,,0,2019-06-25T08:00:00.000Z,2019-06-26T08:00:00.000Z,24,24,true,1,,,UDP/9956=1;UDP/5353=0.5"
    );
}

#[test]
fn simulate_writes_csv_and_ipfix_with_the_same_devices() {
    let dir = std::env::temp_dir().join(format!("svcprint-cli-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("sim.csv");
    let ipfix = dir.join("sim.ipfix");
    let explicit = dir.join("sim.bin");
    let small = ["simulate", "--days", "3", "--homes", "2", "-o"];
    for (out, extra) in [
        (&csv, &[][..]),
        (&ipfix, &[][..]),
        (&explicit, &["--format", "ipfix"][..]),
    ] {
        let run = svcprint(&[&small[..], &[out.to_str().unwrap()], extra].concat(), &[]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    // The format follows the name, or --format.
    assert!(std::fs::read(&csv)
        .unwrap()
        .starts_with(b"flowStartMilliseconds,"));
    let binary = std::fs::read(&ipfix).unwrap();
    assert_eq!(&binary[..2], &[0, 10]);
    assert_eq!(std::fs::read(&explicit).unwrap(), binary);
    let decoded = json(&["decode", "--json"], &[ipfix.clone(), csv.clone()]);
    assert_eq!(decoded["files"][0]["format"], "ipfix", "{decoded}");
    assert_eq!(
        decoded["files"][0]["records"],
        decoded["files"][1]["records"]
    );
    let lines = std::fs::read_to_string(&csv).unwrap().lines().count() as u64;
    assert_eq!(decoded["files"][0]["records"], lines - 1);
    let from_csv = json(&["devices", "--json"], std::slice::from_ref(&csv));
    let from_ipfix = json(&["devices", "--json"], std::slice::from_ref(&ipfix));
    // Two homes of 14 devices each, nothing skipped.
    assert_eq!(
        from_csv["devices"].as_array().map(Vec::len),
        Some(28),
        "{from_csv}"
    );
    assert_eq!(from_csv["diagnostics"].as_array().map(Vec::len), Some(0));
    assert_eq!(from_csv, from_ipfix);
    std::fs::remove_dir_all(&dir).unwrap();
}
