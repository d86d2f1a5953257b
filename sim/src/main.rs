//! `exotel-vsip-sim`: flags in, the exports out, then [`exotel_vsip_sim::serve`]
//! until killed. Everything else is in the library (`lib.rs`).

use exotel_vsip_sim::{Config, Faults, Mode, serve};

const HELP: &str = "\
exotel-vsip-sim: an in-memory Exotel vSIP API on 127.0.0.1, for trying the
provider by hand, tests, demos and benchmarks. Nothing is persisted.

usage: exotel-vsip-sim [OPTIONS]

On start it prints, on stdout, the environment to export so that the
provider talks to it (valid shell; the base URL is the first line), e.g.:
  export EXOTEL_BASE_URL=http://127.0.0.1:41234
  export EXOTEL_API_KEY=sim-key
  export EXOTEL_API_TOKEN=sim-token
  export EXOTEL_ACCOUNT_SID=acme1

Listening and credentials:
  --port N                 port on 127.0.0.1 (default 0: a free port)
  --account-sid S          the one account it serves (default acme1); other
                           accounts answer 403, Exotel error 1011
  --api-key K              HTTP Basic username it accepts (default sim-key)
  --api-token T            HTTP Basic password it accepts (default sim-token);
                           wrong key or token answers 401, Exotel error 1010
  --seed FILE              start from a GET /_sim/state dump
  --digest-credentials     /trunks/<sid>/credentials as the digest-credentials
                           API (POST, paginated GET, PUT /<id>, DELETE ?id=;
                           user_name, password, friendly_name; passwords stored,
                           never echoed; a duplicate username is a 409) instead
                           of the contract's {username, password} answer

Modes (--mode):
  full          (default) the contract plus the later endpoints of the field
                notes: item DELETE ?id=, settings GET/DELETE, GET /trunks,
                PUT for phone-number mode and destination priority/weight
  contract      exactly the contract's endpoints; anything else is a
                plain-text 404, as from a router without the route
  field-notes   full plus the live API's quirks: integer ids, lists in pages
                of 2 as arrays of per-item envelopes, duplicates as HTTP 200
                with response.code 409 / error 1008, not-found as error 1000

Faults at start (counted over API requests; 0 = off):
  --latency-ms N               delay every answer by N ms
  --fail-429-every N           every Nth request answers 429, error 1030
  --fail-5xx-every N           every Nth request answers 500
  --html-502-every N           every Nth request answers an nginx HTML 502
  --drop-after-commit-every N  every Nth create is stored, then its
                               connection is cut (the answer is lost)

Rate limit (as Exotel's, enforced):
  --rate-limit N               accept at most N API requests in any sliding
                               60 s window; beyond it answer 429 with Exotel
                               error 1030 and no Retry-After. Stats count the
                               refusals (rate_limited) and the most requests
                               that arrived in any 60 s (max_per_minute)

Faults at run time: POST /_sim/faults with a JSON object of these fields
(and the ones above, snake_case):
  html_404_deletes N    the next N DELETEs answer a proxy's HTML 404, no change
  not_found_deletes N   the next N DELETEs answer Exotel's 404, no change
  fail_next_posts N     the next N POSTs answer 500 before storing anything
  loop_next_page        every list's next_page_uri is the page itself
  huge_body_mib N       GET answers padded to N MiB
  numeric_username      credentials answers carry the username as a number
  bad_credentials       credentials answers carry an object as the username

Test hooks (no auth, not counted): GET /_sim/state, GET /_sim/stats
(requests, per route, User-Agents seen, rate_limited, max_per_minute),
POST /_sim/reset-stats, POST /_sim/check-password with {trunk_sid, id,
password}: {matches: true|false} (which password a digest credential
holds; it is never echoed).

  -h, --help    this text
";

/// Prints the help to stdout and exits 0.
fn help() -> ! {
    print!("{HELP}");
    std::process::exit(0)
}

/// A usage error: what was wrong, then how to get the help, on stderr; exit 2.
fn usage(problem: &str) -> ! {
    eprintln!("exotel-vsip-sim: {problem}\nRun exotel-vsip-sim --help for every option.");
    std::process::exit(2)
}

fn main() {
    let mut port = 0u16;
    let mut config = Config::default();
    let mut faults = Faults::default();
    let mut seed: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let flag = a.clone();
        let mut val = || args.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        let num =
            |s: String| s.parse::<u64>().unwrap_or_else(|_| usage(&format!("{a} takes a whole number, got {s:?}")));
        match a.as_str() {
            "--port" => port = val().parse().unwrap_or_else(|_| usage("--port takes a port number")),
            "--account-sid" => config.account_sid = val(),
            "--api-key" => config.api_key = val(),
            "--api-token" => config.api_token = val(),
            "--mode" => {
                config.mode = match val().as_str() {
                    "full" => Mode::Full,
                    "contract" => Mode::Contract,
                    "field-notes" => Mode::FieldNotes,
                    other => usage(&format!("unknown mode {other:?}; modes are full, contract, field-notes")),
                }
            }
            "--latency-ms" => faults.latency_ms = num(val()),
            "--fail-429-every" => faults.fail_429_every = num(val()),
            "--fail-5xx-every" => faults.fail_5xx_every = num(val()),
            "--html-502-every" => faults.html_502_every = num(val()),
            "--drop-after-commit-every" => faults.drop_after_commit_every = num(val()),
            "--rate-limit" => config.rate_limit = num(val()),
            "--digest-credentials" => config.digest = true,
            "--seed" => seed = Some(val()),
            "-h" | "--help" => help(),
            other => usage(&format!("unknown option {other:?}")),
        }
    }
    config.faults = faults;
    if let Some(path) = seed {
        let dump = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()));
        match dump {
            Ok(d) => config.seed = Some(d),
            Err(e) => {
                eprintln!("cannot seed from {path}: {e}");
                std::process::exit(2);
            }
        }
    }
    let exports = [
        ("EXOTEL_API_KEY", config.api_key.clone()),
        ("EXOTEL_API_TOKEN", config.api_token.clone()),
        ("EXOTEL_ACCOUNT_SID", config.account_sid.clone()),
    ];
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap_or_else(|e| {
            eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1)
        });
        let addr = listener.local_addr().expect("addr");
        // Valid shell, to `source` or copy: line 1 is the base URL (tests
        // read it), then the credentials. One write, errors ignored: a reader
        // that closed the pipe after line 1 must not stop the server.
        let mut text = format!("export EXOTEL_BASE_URL=http://{addr}\n");
        for (k, v) in &exports {
            text.push_str(&format!("export {k}={}\n", shell_quote(v)));
        }
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        if let Err(e) = serve(listener, config, std::future::pending()).await {
            eprintln!("cannot seed: {e}");
            std::process::exit(2);
        }
    });
}

/// `v` as one shell word.
fn shell_quote(v: &str) -> String {
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:/@".contains(&b)) {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', "'\\''"))
    }
}
