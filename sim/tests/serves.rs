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
    let addr = line.trim().strip_prefix("http://").expect("http:// base URL").to_string();
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
