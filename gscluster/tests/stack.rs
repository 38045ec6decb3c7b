//! Large values never pass through the stack: boxed arrays decode in place on
//! the heap (after checking the input can hold them), on a thread with a
//! 2 MiB stack, tokio's default.

use gscluster::encoding::boxed_array;
use gscluster::{DecodeErrorKind, Reader, Wire, Writer, from_bytes, to_bytes};

/// Runs `f` on a thread with a 2 MiB stack; a stack overflow aborts the test.
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// 16 MiB: `M [4096][4096]byte`.
type Huge = Box<[[u8; 4096]; 4096]>;

#[test]
fn a_large_boxed_array_decodes_on_the_heap() {
    on_small_stack(|| {
        // Too short: an error before anything is allocated.
        let e = from_bytes::<Huge>(&[1]).unwrap_err();
        assert_eq!(
            e.kind(),
            DecodeErrorKind::UnexpectedEof {
                needed: 4096 * 4096,
                available: 1
            }
        );
        assert_eq!(e.offset(), 0);
        // Whole: decoded in one copy into its allocation.
        let mut bytes = vec![0u8; 4096 * 4096];
        bytes[4096 * 4095 + 7] = 9;
        let huge = from_bytes::<Huge>(&bytes).unwrap();
        assert_eq!(huge[4095][7], 9);
        assert_eq!(to_bytes(&huge), bytes);
    });
}

#[test]
fn lists_of_large_boxed_arrays() {
    on_small_stack(|| {
        let mut bytes = vec![2u8];
        bytes.extend((0..2 * 4096 * 4096).map(|i| (i % 251) as u8));
        let rows = from_bytes::<Vec<Huge>>(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][4095][4095], ((2 * 4096 * 4096 - 1) % 251) as u8);
        assert_eq!(to_bytes(&rows), bytes);
        // A count the input cannot hold fails before allocating.
        assert!(from_bytes::<Vec<Huge>>(&[3, 0, 0]).is_err());
    });
}

#[test]
fn boxed_arrays_of_strings_drop_what_they_decoded_on_error() {
    on_small_stack(|| {
        // 2 MiB of strings (24 bytes each) would not fit the stack.
        type Names = Box<[String; 100_000]>;
        let mut bytes = vec![1, b'a'];
        bytes.extend(std::iter::repeat_n(0, 99_999));
        let names = from_bytes::<Names>(&bytes).unwrap();
        assert_eq!((names[0].as_str(), names[99_999].as_str()), ("a", ""));
        // The last string is invalid: the ones before it are dropped.
        let last = bytes.len() - 1;
        bytes[last] = 1;
        bytes.push(0xff);
        let e = from_bytes::<Names>(&bytes).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::InvalidUtf8);
        assert_eq!(e.offset(), last + 1);
    });
}

#[test]
fn arrays_of_arrays_decode_in_place_at_any_depth() {
    on_small_stack(|| {
        // 27 MB: three levels, decoded as one run of bytes.
        type Cube = Box<[[[u8; 300]; 300]; 300]>;
        let bytes: Vec<u8> = (0..300 * 300 * 300).map(|i| (i % 7) as u8).collect();
        let cube = from_bytes::<Cube>(&bytes).unwrap();
        assert_eq!(cube[299][299][299], ((300 * 300 * 300 - 1) % 7) as u8);
        // Arrays of bools and of wider numbers, nested, through the same path.
        let bools: Box<[[bool; 3]; 2]> = Box::new([[true, false, true], [false; 3]]);
        assert_eq!(
            from_bytes::<Box<[[bool; 3]; 2]>>(&to_bytes(&bools)).unwrap(),
            bools
        );
        let e = from_bytes::<Box<[[bool; 3]; 2]>>(&[1, 0, 1, 0, 2, 0]).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (DecodeErrorKind::InvalidBool(2), 4));
        let words: [[u32; 2]; 2] = [[1, 2], [3, u32::MAX]];
        assert_eq!(
            from_bytes::<Box<[[u32; 2]; 2]>>(&to_bytes(&words)).map(|b| *b),
            Ok(words)
        );
    });
}

#[test]
fn boxed_array_builds_on_the_heap() {
    on_small_stack(|| {
        let huge: Huge = boxed_array(|_| [0u8; 4096]);
        assert!(huge.iter().all(|row| row.iter().all(|&b| b == 0)));
        let names: Box<[String; 100_000]> = boxed_array(|i| i.to_string());
        assert_eq!(names[12_345], "12345");
    });
}

/// Counts the live values, to check that a panic while building drops them.
struct Counted;
static LIVE: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);
impl Counted {
    fn new() -> Self {
        LIVE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Counted
    }
}
impl Drop for Counted {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}
impl Wire for Counted {
    const MIN_LEN: usize = 1;
    fn encoded_len(&self) -> usize {
        1
    }
    fn encode(&self, w: &mut Writer<'_>) {
        w.put_u8(0);
    }
    fn decode(r: &mut Reader<'_>) -> gscluster::Result<Self> {
        match r.read_u8()? {
            0 => Ok(Counted::new()),
            _ => panic!("a hand-written decode that panics"),
        }
    }
}

#[test]
fn a_panic_midway_drops_the_elements_built() {
    let built = std::panic::catch_unwind(|| {
        boxed_array::<Counted, 10>(|i| if i < 7 { Counted::new() } else { panic!() })
    });
    assert!(built.is_err());
    assert_eq!(LIVE.load(std::sync::atomic::Ordering::SeqCst), 0);
    let decoded = std::panic::catch_unwind(|| from_bytes::<Box<[Counted; 5]>>(&[0, 0, 0, 1, 0]));
    assert!(decoded.is_err());
    assert_eq!(LIVE.load(std::sync::atomic::Ordering::SeqCst), 0);
    let ok = from_bytes::<Box<[Counted; 5]>>(&[0; 5]).unwrap();
    assert_eq!(LIVE.load(std::sync::atomic::Ordering::SeqCst), 5);
    drop(ok);
    assert_eq!(LIVE.load(std::sync::atomic::Ordering::SeqCst), 0);
}
