//! Generates the benchmark's two contracts:
//!
//! - gscluster: `game_echo.gs` into `OUT_DIR/gslang/{game_echo,mod}.rs` (the
//!   types, the `GameEcho` service trait, its server and client);
//! - tonic: the unary service `bench.GameEcho` with method `Echo` on the
//!   hand-written prost messages of `src/pb.rs`, into
//!   `OUT_DIR/bench.GameEcho.rs`, with tonic-build's `manual` builder (no
//!   `.proto` file, so no protoc).

fn main() -> Result<(), gs2rust::Error> {
    gs2rust::Builder::new().compile(&["game_echo.gs"], &[] as &[&str])?;

    let echo = tonic_build::manual::Method::builder()
        .name("echo")
        .route_name("Echo")
        .input_type("crate::pb::GameMessage")
        .output_type("crate::pb::GameMessage")
        .codec_path("tonic_prost::ProstCodec")
        .build();
    let service = tonic_build::manual::Service::builder()
        .name("GameEcho")
        .package("bench")
        .method(echo)
        .build();
    tonic_build::manual::Builder::new().compile(&[service]);
    println!("cargo::rerun-if-changed=build.rs");
    Ok(())
}
