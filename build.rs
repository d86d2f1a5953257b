//! Compiles `proto/` into Rust with tonic/prost. No system `protoc`: `protox`
//! parses the files in pure Rust and hands tonic a descriptor set.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files =
        ["proto/tfplugin6.proto", "proto/grpc_controller.proto", "proto/grpc_stdio.proto", "proto/grpc_broker.proto"];
    for f in files {
        println!("cargo:rerun-if-changed={f}");
    }
    let fds = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
