//! Arbitrary bytes as a DynamicValue (msgpack and JSON) of every resource
//! schema and of `dynamic`: decoding must never panic, and whatever decodes
//! must encode and decode again to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use terraform_provider_exotel::tf::types::Type;
use terraform_provider_exotel::tf::value;

fn types() -> &'static [Type] {
    static T: OnceLock<Vec<Type>> = OnceLock::new();
    T.get_or_init(|| {
        let p = terraform_provider_exotel::exotel::service();
        let mut v: Vec<Type> = p.resource_schemas().into_iter().map(|(_, s)| s.object_type()).collect();
        v.push(terraform_provider_exotel::exotel::config::schema().object_type());
        v.push(Type::Dynamic);
        v
    })
}

fuzz_target!(|data: &[u8]| {
    for ty in types() {
        if let Ok(v) = value::from_msgpack(data, ty) {
            let bytes = value::to_msgpack(&v, ty).expect("a decoded value encodes");
            assert_eq!(value::from_msgpack(&bytes, ty).expect("re-decodes"), v);
        }
        let _ = value::from_json(data, ty, false);
        let _ = value::from_json(data, ty, true);
    }
});
