//! The simulator starts on a free loopback port and answers the API with
//! Basic auth. (This test also makes `cargo test` build the simulator binary
//! that the provider's acceptance tests run.)

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

#[test]
fn serves_on_a_free_loopback_port_and_checks_credentials() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exotel-vsip-sim"))
        .args(["--port", "0", "--account-sid", "acme1", "--api-key", "k", "--api-token", "t"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the simulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("base URL line");
    let addr = line.trim().strip_prefix("export EXOTEL_BASE_URL=http://").expect("the base URL export").to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let mut s = std::net::TcpStream::connect(&addr).expect("connect");
    // No credentials: Exotel's 401 envelope with error 1010.
    write!(s, "GET /v2/accounts/acme1/trunks HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("1010"), "{answer}");
}

#[test]
fn help_explains_every_option_on_stdout_and_exits_0() {
    let out = Command::new(env!("CARGO_BIN_EXE_exotel-vsip-sim")).arg("--help").output().expect("run --help");
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).expect("utf-8");
    assert!(out.stderr.is_empty());
    for word in [
        "--port",
        "--account-sid",
        "--api-key",
        "--api-token",
        "--seed",
        "--digest-credentials",
        "--mode",
        "full",
        "contract",
        "field-notes",
        "--latency-ms",
        "--fail-429-every",
        "--fail-5xx-every",
        "--html-502-every",
        "--drop-after-commit-every",
        "html_404_deletes",
        "not_found_deletes",
        "fail_next_posts",
        "loop_next_page",
        "huge_body_mib",
        "numeric_username",
        "bad_credentials",
        "/_sim/faults",
        "/_sim/state",
        "/_sim/stats",
        "sim-key",
        "sim-token",
        "acme1",
        "EXOTEL_BASE_URL",
    ] {
        assert!(help.contains(word), "--help does not mention {word}:\n{help}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_exotel-vsip-sim")).arg("--nope").output().expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown option \"--nope\""));
}

#[test]
fn prints_the_environment_to_export_as_shell() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exotel-vsip-sim"))
        .args(["--api-token", "it's secret"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the simulator");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut l = String::new();
        out.read_line(&mut l).expect("line");
        lines.push(l.trim_end().to_string());
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(lines[0].starts_with("export EXOTEL_BASE_URL=http://127.0.0.1:"), "{lines:?}");
    assert_eq!(
        &lines[1..],
        [
            "export EXOTEL_API_KEY=sim-key",
            "export EXOTEL_API_TOKEN='it'\\''s secret'",
            "export EXOTEL_ACCOUNT_SID=acme1"
        ]
    );
}
