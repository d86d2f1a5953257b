//! Arbitrary bytes and statuses as a vSIP API answer: parsing, checking and
//! decoding records must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_exotel::api::{self, types};

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((s, rest)) => (200 + u16::from(*s), rest),
        None => (200, data),
    };
    if let Ok(env) = api::read_answer(status, body) {
        for r in env.records() {
            let _ = api::read_record::<types::Trunk>(r);
            let _ = api::read_record::<types::PhoneNumber>(r);
            let _ = api::read_record::<types::WhitelistedIp>(r);
            let _ = api::read_record::<types::Destination>(r);
            let _ = api::read_record::<types::Credentials>(r);
        }
    }
});
