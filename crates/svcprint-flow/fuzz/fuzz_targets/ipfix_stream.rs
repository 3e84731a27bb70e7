//! IPFIX byte stream (RFC 5655 file / TCP): the input always starts with version 10.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else { return };
    common::run(&common::with_prefix(k, &[0, 10], rest));
});
