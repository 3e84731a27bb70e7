//! Text throughput of the widest and the narrowest dialect, on generated rows.
//!
//! `cargo run --release -p svcprint-flow --example dialects [ROWS]`
//!
//! Widest: CICFlowMeter's 84-column CSV (most columns ignored). Narrowest: the generic
//! six-column `src_ip,dst_ip,src_port,dst_port,proto,start`. Prints MB/s and records/s
//! (best of three, decoding only).

use std::time::Instant;
use svcprint_flow::{decode_all, Limits};

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let mut wide = String::from("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts");
    for i in 0..72 {
        wide.push_str(&format!(",Feature {i}"));
    }
    wide.push('\n');
    let mut narrow = String::from("src_ip,dst_ip,src_port,dst_port,proto,start\n");
    for i in 0..rows {
        let (a, b, sp, dp) = (
            i % 250 + 1,
            i % 200 + 1,
            40_000 + i % 20_000,
            [443, 53, 80][i % 3],
        );
        wide.push_str(&format!(
            "x,192.168.1.{a},{sp},10.0.0.{b},{dp},6,25/06/2019 08:{:02}:{:02} AM,{},5,4,400,3000",
            i / 60 % 60,
            i % 60,
            i * 7
        ));
        for j in 0..72 {
            wide.push_str(&format!(",{}.{}", i % 1000, j));
        }
        wide.push('\n');
        narrow.push_str(&format!(
            "192.168.1.{a},10.0.0.{b},{sp},{dp},tcp,{}\n",
            1_561_451_807_000u64 + i as u64
        ));
    }
    println!(
        "{:<14} {:>9} {:>9} {:>8} {:>11}",
        "dialect", "records", "MB", "MB/s", "records/s"
    );
    for (name, text) in [("cicflowmeter", &wide), ("generic", &narrow)] {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let (recs, s) = decode_all(0, name, text.as_bytes(), Limits::default());
            best = best.min(t.elapsed().as_secs_f64());
            assert_eq!(s.diagnostics.total(), 0, "{:?}", s.diagnostics.kept.first());
            n = recs.len();
        }
        let mb = text.len() as f64 / 1e6;
        println!(
            "{name:<14} {n:>9} {mb:>9.1} {:>8.0} {:>11.0}",
            mb / best,
            n as f64 / best
        );
    }
}
