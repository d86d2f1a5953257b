//! The binary's entry point, kept apart from `main.rs` so tests can reach it.

use crate::plugin::{self, ServeOptions};
use tokio_util::sync::CancellationToken;

/// Parses flags, sets up logging and the runtime, and serves. Returns the exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut debug = false;
    for a in &args {
        match a.as_str() {
            "--version" | "-version" | "version" => {
                println!("terraform-provider-exotel {}", crate::VERSION);
                return 0;
            }
            "-debug" | "--debug" => debug = true,
            "-h" | "--help" | "-help" => {
                println!(
                    "terraform-provider-exotel {}\n\nA Terraform provider plugin; Terraform starts it.\n\n  --version   print the version\n  -debug      serve without TLS and print TF_REATTACH_PROVIDERS for debugging",
                    crate::VERSION
                );
                return 0;
            }
            other => {
                eprintln!("unknown argument {other:?}; try --help");
                return 2;
            }
        }
    }
    crate::logging::init();
    std::panic::set_hook(Box::new(|info| {
        // Logged as an hclog record: a raw "panic:" line would make Terraform
        // report a crash although the handler's panic is caught.
        tracing::error!(panic = %info, "panic in provider");
    }));
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return 1;
        }
    };
    rt.block_on(async move {
        let shutdown = CancellationToken::new();
        let sigint = shutdown.clone();
        // Ctrl-C reaches the whole process group; Terraform then stops us through
        // StopProvider. In -debug mode there is no Terraform to do so: Ctrl-C exits.
        let mut interrupts = Interrupts::install();
        tokio::spawn(async move {
            while interrupts.next().await {
                if debug {
                    sigint.cancel();
                } else {
                    tracing::debug!("ignoring Ctrl-C; Terraform stops providers through StopProvider");
                }
            }
        });
        let tcp = std::env::var("TF_PROVIDER_EXOTEL_TRANSPORT").as_deref() == Ok("tcp");
        plugin::serve(
            crate::exotel::service().0,
            ServeOptions { debug, shutdown, address: crate::PROVIDER_ADDRESS, tcp },
        )
        .await
    })
}

/// Ctrl-C: SIGINT on Unix (its handler installed at once, so that an early
/// SIGINT never kills the process), the console's Ctrl-C elsewhere.
struct Interrupts {
    #[cfg(unix)]
    sigint: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    fn install() -> Interrupts {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let sigint = signal(SignalKind::interrupt())
                .map_err(|e| tracing::warn!(error = %e, "cannot install the SIGINT handler"))
                .ok();
            Interrupts { sigint }
        }
        #[cfg(not(unix))]
        Interrupts {}
    }

    /// Waits for the next Ctrl-C; false when there is no handler.
    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        {
            match &mut self.sigint {
                Some(s) => s.recv().await.is_some(),
                None => false,
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c()
                .await
                .map_err(|e| tracing::warn!(error = %e, "cannot install the Ctrl-C handler"))
                .is_ok()
        }
    }
}
