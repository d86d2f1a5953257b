//! Arbitrary bytes and statuses as a vSIP API answer: parsing, checking and
//! decoding records must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use terraform_provider_exotel::api::{self, envelope, types};

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((s, rest)) => (200 + u16::from(*s), rest),
        None => (200, data),
    };
    if let Ok(env) = envelope::parse(status, body) {
        let _ = envelope::check(status, &env, None);
        for r in env.records() {
            let _ = api::decode::<types::Trunk>(r, None);
            let _ = api::decode::<types::PhoneNumber>(r, None);
            let _ = api::decode::<types::WhitelistedIp>(r, None);
            let _ = api::decode::<types::Destination>(r, None);
            let _ = api::decode::<types::Credentials>(r, None);
        }
    }
});
