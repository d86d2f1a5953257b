//! One acceptance scenario per resource type, as declarative steps
//! ([`crate::support::steps`]): create (with the plan it shows), checks on
//! state and on the simulated API, import-verify, an in-place update, drift
//! made outside Terraform planned back, an empty re-plan after every step,
//! and a destroy that leaves nothing behind. A new resource type gets a
//! file here.

mod alias;
mod credential;
mod destination;
mod destinations;
mod phone_number;
mod phone_numbers;
mod trunk;
mod whitelisted_ip;
mod whitelisted_ips;

use serde_json::Value;

/// Every record of one collection (`phone_numbers`, `whitelisted_ips`,
/// `destinations`) across the simulator's trunks.
pub(super) fn records(api: &Value, collection: &str) -> Vec<Value> {
    api["trunks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t[collection].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The simulator holds no trunk (a destroy left nothing behind).
pub(super) fn no_trunks(api: &Value) {
    assert_eq!(api["trunks"].as_array().map(Vec::len), Some(0), "left behind: {api}");
}

/// A string attribute of a state.
pub(super) fn s<'a>(a: &'a Value, attr: &str) -> &'a str {
    a[attr].as_str().unwrap_or_else(|| panic!("{attr} is not a string in {a}"))
}

/// The import ID `<trunk_sid>/<id>` of an item resource's state.
pub(super) fn item_id(a: &Value) -> String {
    format!("{}/{}", s(a, "trunk_sid"), s(a, "id"))
}

/// The import ID `<trunk_sid>` of a per-trunk resource's state.
pub(super) fn trunk_id(a: &Value) -> String {
    s(a, "trunk_sid").to_string()
}

/// An HCL list of strings: `["a", "b"]`.
pub(super) fn hcl_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// A trunk for the resource under test, then `rest`.
pub(super) fn with_trunk(name: &str, rest: &str) -> String {
    format!("resource \"exotel_trunk\" \"t\" {{\n  trunk_name = \"{name}\"\n}}\n{rest}")
}
