//! One or more NetFlow datagrams: version 9 or 5 chosen by the second input byte.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let [k, v, rest @ ..] = data else { return };
    let version = if v & 1 == 0 { 9 } else { 5 };
    common::run(&common::with_prefix(*k, &[0, version], rest));
});
