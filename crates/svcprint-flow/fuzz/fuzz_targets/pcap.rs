//! pcap (either byte order) or pcapng captures, chosen by the second input byte.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let [k, v, rest @ ..] = data else { return };
    let magic: &[u8] = match v % 3 {
        0 => &[0xd4, 0xc3, 0xb2, 0xa1],
        1 => &[0xa1, 0xb2, 0xc3, 0xd4],
        _ => &[0x0a, 0x0d, 0x0d, 0x0a],
    };
    common::run(&common::with_prefix(*k, magic, rest));
});
