//! Deletes every trunk the live acceptance tests left behind (an interrupted
//! run): the trunks named `tfacc_...`.
//!
//! ```sh
//! EXOTEL_API_KEY=... EXOTEL_API_TOKEN=... EXOTEL_ACCOUNT_SID=... [EXOTEL_REGION=mumbai] \
//!   cargo run --release --example sweep
//! ```
//!
//! Where the API lists trunks (`GET /trunks`), every trunk whose name starts
//! with `tfacc_` is deleted. Where it cannot (404/405: only the contract's
//! routes), the trunk SIDs the test runs recorded in `target/tfacc-trunks.txt`
//! (or `TFACC_SWEEP_FILE`) are deleted instead. Nothing else is touched.

use serde_json::Value;
use std::path::PathBuf;

const PREFIX: &str = "tfacc_";
const MAX_PAGES: usize = 200;

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

fn need(k: &str) -> String {
    env(k).unwrap_or_else(|| {
        eprintln!("sweep: set {k}");
        std::process::exit(2)
    })
}

/// The records of one list answer: `response.data` as an array, or an array
/// of per-item envelopes (both shapes occur).
fn records(body: &Value) -> Vec<Value> {
    match &body["response"] {
        Value::Array(items) => items.iter().map(|i| i["data"].clone()).collect(),
        r => r["data"].as_array().cloned().unwrap_or_default(),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let key = need("EXOTEL_API_KEY");
    let token = need("EXOTEL_API_TOKEN");
    let sid = need("EXOTEL_ACCOUNT_SID");
    let base = env("EXOTEL_BASE_URL").unwrap_or_else(|| match env("EXOTEL_REGION").as_deref() {
        Some("mumbai") => "https://api.in.exotel.com".into(),
        _ => "https://api.exotel.com".into(),
    });
    let base = base.trim_end_matches('/').to_string();
    let account = format!("{base}/v2/accounts/{sid}");
    let http = reqwest::Client::builder()
        .use_preconfigured_tls(terraform_provider_exotel::api::tls_config().unwrap_or_else(|e| panic!("{e}")))
        .timeout(std::time::Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("terraform-provider-exotel-sweeper/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("HTTP client");
    let get = |url: &str| http.get(url).basic_auth(&key, Some(&token)).send();

    // Which trunks are ours: by name where the API lists trunks, else by record.
    let mut targets: Vec<(String, String)> = vec![];
    let mut url = format!("{account}/trunks");
    let mut listed = true;
    for page in 0.. {
        if page == MAX_PAGES {
            eprintln!("sweep: more than {MAX_PAGES} pages of trunks; stopping the listing");
            break;
        }
        let r = get(&url).await.unwrap_or_else(|e| {
            eprintln!("sweep: GET /trunks failed: {e}");
            std::process::exit(1)
        });
        let status = r.status().as_u16();
        if page == 0 && matches!(status, 404 | 405) {
            let text = r.text().await.unwrap_or_default();
            // Exotel's own not-found envelope is about the account, not the route.
            if !text.contains("\"error_data\"") {
                listed = false;
                break;
            }
            eprintln!("sweep: GET /trunks answered {status}: {}", text.chars().take(200).collect::<String>());
            std::process::exit(1);
        }
        if !(200..300).contains(&status) {
            eprintln!("sweep: GET /trunks answered HTTP {status}");
            std::process::exit(1);
        }
        let body: Value = r.json().await.unwrap_or_else(|e| {
            eprintln!("sweep: GET /trunks answer is not JSON: {e}");
            std::process::exit(1)
        });
        for t in records(&body) {
            if let (Some(name), Some(sid)) = (t["trunk_name"].as_str(), t["trunk_sid"].as_str())
                && name.starts_with(PREFIX)
            {
                targets.push((sid.to_string(), name.to_string()));
            }
        }
        match body["metadata"]["next_page_uri"].as_str().filter(|s| !s.is_empty()) {
            Some(next) if next.starts_with('/') => url = format!("{base}{next}"),
            Some(next) if next.starts_with(&base) => url = next.to_string(),
            Some(next) => {
                eprintln!("sweep: refusing a next page outside {base}: {next}");
                break;
            }
            None => break,
        }
    }
    let file = env("TFACC_SWEEP_FILE").map(PathBuf::from).unwrap_or_else(|| {
        let target = env("CARGO_TARGET_DIR").unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/target").into());
        PathBuf::from(target).join("tfacc-trunks.txt")
    });
    if !listed {
        println!("sweep: this API cannot list trunks; deleting the trunks recorded in {}", file.display());
        let recorded = std::fs::read_to_string(&file).unwrap_or_default();
        let mut seen = std::collections::BTreeSet::new();
        for sid in recorded.lines().map(str::trim).filter(|s| !s.is_empty()) {
            if seen.insert(sid.to_string()) {
                targets.push((sid.to_string(), "(recorded)".into()));
            }
        }
    }
    let mut failed = 0;
    for (trunk_sid, name) in &targets {
        let r = http
            .delete(format!(
                "{account}/trunks?trunk_sid={}",
                url::form_urlencoded::byte_serialize(trunk_sid.as_bytes()).collect::<String>()
            ))
            .basic_auth(&key, Some(&token))
            .send()
            .await;
        match r.map(|r| r.status().as_u16()) {
            Ok(s) if (200..300).contains(&s) => println!("deleted {trunk_sid} {name}"),
            Ok(404) => println!("already gone {trunk_sid} {name}"),
            Ok(s) => {
                failed += 1;
                eprintln!("sweep: DELETE {trunk_sid} {name} answered HTTP {s}");
            }
            Err(e) => {
                failed += 1;
                eprintln!("sweep: DELETE {trunk_sid} {name} failed: {e}");
            }
        }
    }
    println!("sweep: {} trunk(s) deleted or gone, {failed} failed", targets.len() - failed);
    if failed > 0 {
        std::process::exit(1);
    }
    let _ = std::fs::remove_file(&file);
}
