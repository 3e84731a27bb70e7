//! The whole FileDecoder: sniffing, gzip / zip, text and binary paths.
#![no_main]
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::run(data));
