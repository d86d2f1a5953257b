//! `terraform-provider-exotel`: see `lib.rs` for the map of the crate.

fn main() {
    std::process::exit(terraform_provider_exotel::cli::main());
}
