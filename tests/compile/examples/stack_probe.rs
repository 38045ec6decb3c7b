//! Decodes a chain of recursive values `depth` deep on a thread with a stack
//! of `stack_kib` KiB, with no depth or stack limit (or the default limits,
//! given `default`): prints the outcome and exits 0 if the decode fits,
//! aborts (stack overflow) if not. Bisecting the stack size over two
//! depths gives the stack one level takes, which is how the default of
//! `Limits::max_stack_bytes` was chosen (ARCHITECTURE.md, gscluster):
//!
//! ```sh
//! cargo run -q -p gslang-compile-tests --example stack_probe -- fat 200 1024
//! cargo run -q -p gslang-compile-tests --example stack_probe -- fat 200 1024 default
//! ```
//!
//! Types: `tree` (shapes.gs `Tree`, 32 bytes), `node` (big-values.gs `Node`,
//! 32 bytes, its array boxed), `fat` (`Fat`, 4,024 bytes), `chain` (`Chain`,
//! 4,024 bytes, recursing through arrays).

use gscluster::{Limits, Wire, from_bytes_with_limits};
use gslang_compile_tests::codegen::big_values::{Chain, Fat, Node};
use gslang_compile_tests::codegen::shapes::Tree;

/// `depth` levels of one child each, the innermost a leaf: `head` bytes
/// before each level's list of children (one count byte), `tail` after.
fn chain(depth: usize, head: usize, tail: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for level in 0..depth {
        bytes.extend(std::iter::repeat_n(0, head));
        bytes.push(u8::from(level + 1 < depth));
    }
    bytes.extend(std::iter::repeat_n(0, tail * depth));
    bytes
}

fn decode<T: Wire>(bytes: &[u8], limits: Limits) -> String {
    match from_bytes_with_limits::<T>(bytes, limits) {
        Ok(_) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, depth, stack_kib, limits) = match &args[..] {
        [kind, depth, stack] => (kind, depth, stack, Limits::new()),
        [kind, depth, stack, default] if default == "default" => {
            (kind, depth, stack, Limits::new())
        }
        _ => {
            eprintln!("usage: stack_probe tree|node|fat|chain DEPTH STACK_KIB [default]");
            std::process::exit(2);
        }
    };
    let limits = if args.len() == 4 {
        limits
    } else {
        limits
            .with_max_depth(u32::MAX)
            .with_max_stack_bytes(usize::MAX)
    };
    let depth: usize = depth.parse().expect("a depth");
    let stack: usize = stack_kib.parse::<usize>().expect("a size in KiB") << 10;
    let bytes = match kind.as_str() {
        "tree" => chain(depth, 4, 0),
        "node" => chain(depth, 0, 16_000),
        "fat" | "chain" => chain(depth, 0, 4_000),
        _ => panic!("unknown type {kind}"),
    };
    let kind = kind.clone();
    let outcome = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || match kind.as_str() {
            "tree" => decode::<Tree>(&bytes, limits),
            "node" => decode::<Node>(&bytes, limits),
            "fat" => decode::<Fat>(&bytes, limits),
            _ => decode::<Chain>(&bytes, limits),
        })
        .expect("thread starts")
        .join()
        .expect("no panic");
    println!("{outcome}");
}
