//! Generated code never puts a large value on the stack, and decoding
//! recursive types at the default limits fits a 2 MiB thread (tokio's
//! default) in the debug build the tests run in: arrays whose elements take
//! over 4 KiB are boxed (`big-values.gs`), and `Reader::enter` charges each
//! level's bytes as well as counting it.

use gscluster::{DecodeErrorKind, Limits, Wire, from_bytes, from_bytes_with_limits, to_bytes};
use gslang_compile_tests::codegen::big_values::{
    Chain, Cube, Empties, Fat, Huge, Names, Node, Rows,
};
use gslang_compile_tests::codegen::shapes::{Ping, Tree};

/// Runs `f` on a thread with a 2 MiB stack; a stack overflow aborts the test.
fn on_2_mib_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no panic");
}

#[test]
fn a_large_array_is_boxed_and_never_on_the_stack() {
    on_2_mib_stack(|| {
        let _boxed: Box<[[u8; 4096]; 4096]> = Huge::default().m;
        assert!(size_of::<Huge>() <= 8);
        // Too short: an error, before allocating 16 MiB.
        let e = from_bytes::<Huge>(&[1]).expect_err("too short");
        assert_eq!(
            e.kind(),
            DecodeErrorKind::UnexpectedEof {
                needed: 4096 * 4096,
                available: 1
            }
        );
        assert_eq!(e.field(), Some("Huge.M"));
        let mut huge = Huge::default();
        assert!(huge.m.iter().all(|row| row.iter().all(|&b| b == 0)));
        huge.m[4095][4095] = 7;
        let bytes = to_bytes(&huge);
        assert_eq!(bytes.len(), 4096 * 4096);
        assert_eq!(from_bytes::<Huge>(&bytes), Ok(huge.clone()));
    });
}

#[test]
fn lists_of_large_arrays_decode_each_on_the_heap() {
    on_2_mib_stack(|| {
        let mut rows = Rows::default();
        rows.r.push(Huge::default().m);
        rows.r.push(Huge::default().m);
        rows.r[1][0][1] = 1;
        let bytes = to_bytes(&rows);
        assert_eq!(bytes.len(), 1 + 2 * 4096 * 4096);
        assert_eq!(from_bytes::<Rows>(&bytes), Ok(rows));
        // A count the input cannot back fails before allocating.
        assert!(from_bytes::<Rows>(&[2, 0, 0]).is_err());
    });
}

#[test]
fn arrays_are_boxed_level_by_level() {
    on_2_mib_stack(|| {
        let cube = Cube::default();
        // `[300][300][300]byte`: the rows of 300 bytes inline, each square of
        // 90,000 boxed, the 300 boxes inline; `[2][5000]byte` likewise;
        // `[4096]byte`, exactly 4 KiB, inline.
        let _: &[Box<[[u8; 300]; 300]>; 300] = &cube.c;
        let _: &[Box<[u8; 5000]>; 2] = &cube.pair;
        let _: fn(Names) -> Box<[String; 65535]> = |names| names.n;
        let _: &[u8; 4096] = &cube.page;
        assert!(size_of::<Cube>() <= 8192);
        let bytes = to_bytes(&cube);
        assert_eq!(bytes.len(), 300 * 300 * 300 + 2 * 5000 + 4096);
        assert_eq!(from_bytes::<Cube>(&bytes), Ok(cube));
    });
}

#[test]
fn boxed_arrays_of_strings_default_and_decode_on_the_heap() {
    on_2_mib_stack(|| {
        // 65535 strings: 1.5 MiB.
        let mut names = Names::default();
        assert!(names.n.iter().all(String::is_empty));
        names.n[65534] = "last".into();
        let bytes = to_bytes(&names);
        let decoded = from_bytes::<Names>(&bytes).expect("decodes");
        assert_eq!(decoded.n[65534], "last");
        assert_eq!(decoded, names);
        // Cloned in place too: std's `Clone` would clone the array on the stack.
        names
            .pages
            .push(std::array::from_fn(|i| i.to_string()).into());
        names.pair[1][2999] = "pair".into();
        names.count = 3;
        let copy = names.clone();
        assert_eq!(copy, names);
        assert_eq!(
            (copy.pages[0][1999].as_str(), copy.pair[1][2999].as_str()),
            ("1999", "pair")
        );
    });
}

#[test]
fn fixed_arrays_of_empty_records_need_no_budget() {
    // 80,000 empty records, more than the 65,536 a decode's lists may hold:
    // the only value of the type, encoded as no bytes.
    let value = from_bytes::<Empties>(&[]).expect("the only value decodes");
    assert_eq!(to_bytes(&value), [] as [u8; 0]);
    assert_eq!(value, Empties::default());
}

/// `depth` levels of one child each: `head` bytes before each level's count
/// of children, `tail` bytes after each level (its array).
fn chain(depth: usize, head: usize, tail: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for level in 0..depth {
        bytes.extend(std::iter::repeat_n(0, head));
        bytes.push(u8::from(level + 1 < depth));
    }
    bytes.extend(std::iter::repeat_n(0, tail * depth));
    bytes
}

fn limited<T: Wire + std::fmt::Debug>(bytes: &[u8]) -> DecodeErrorKind {
    from_bytes::<T>(bytes).expect_err("past a limit").kind()
}

#[test]
fn recursion_at_the_default_limits_fits_a_2_mib_stack() {
    on_2_mib_stack(|| {
        // Small levels: the depth limit, 100 levels.
        assert!(from_bytes::<Tree>(&chain(100, 4, 0)).is_ok());
        let depth = DecodeErrorKind::DepthLimit { max: 100 };
        assert_eq!(limited::<Tree>(&chain(101, 4, 0)), depth);
        assert_eq!(limited::<Ping>(&[1; 10_000]), depth);
        // `Node`'s 16,000-byte array is boxed: a level takes 32 bytes.
        assert!(from_bytes::<Node>(&chain(100, 0, 16_000)).is_ok());
        assert_eq!(limited::<Node>(&chain(101, 0, 16_000)), depth);

        // Large levels: the stack limit, 64 KiB of them.
        let stack = DecodeErrorKind::StackLimit { max: 64 << 10 };
        // `Fat`: 4,024 bytes a level, 16 levels.
        assert_eq!(size_of::<Fat>(), 4024);
        assert!(from_bytes::<Fat>(&chain(16, 0, 4000)).is_ok());
        assert_eq!(limited::<Fat>(&chain(17, 0, 4000)), stack);
        assert_eq!(limited::<Fat>(&chain(1000, 0, 4000)), stack);
        // `Chain` recurses through `[1][1]Chain`, whose two arrays count too:
        // 3 × 4,024 bytes a level, 5 levels.
        assert!(from_bytes::<Chain>(&chain(5, 0, 4000)).is_ok());
        assert_eq!(limited::<Chain>(&chain(6, 0, 4000)), stack);
        assert_eq!(limited::<Chain>(&chain(1000, 0, 4000)), stack);
    });
}

#[test]
fn the_stack_limit_is_settable() {
    let fat = chain(40, 0, 4000);
    let limits = |bytes| Limits::new().with_max_stack_bytes(bytes);
    assert!(from_bytes_with_limits::<Fat>(&fat, limits(40 * 4024)).is_ok());
    assert!(from_bytes_with_limits::<Fat>(&fat, limits(40 * 4024 - 1)).is_err());
    // Without enough for one level, nothing recursive decodes.
    let leaf = to_bytes(&Tree::default());
    assert!(from_bytes_with_limits::<Tree>(&leaf, limits(size_of::<Tree>())).is_ok());
    let e =
        from_bytes_with_limits::<Tree>(&leaf, limits(size_of::<Tree>() - 1)).expect_err("no room");
    assert_eq!(e.kind(), DecodeErrorKind::StackLimit { max: 31 });
}
