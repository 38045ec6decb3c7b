//! Untrusted input: huge counts fail before allocating, lists of zero-sized elements
//! are capped, and recursion depth is limited without overflowing the stack.

use gscluster::{
    DecodeError, DecodeErrorKind, Limits, Reader, Wire, Writer, from_bytes, from_bytes_with_limits,
    to_bytes,
};

#[test]
fn huge_count_fails_before_allocating() {
    // Count 2^32-1 followed by 3 bytes: a Vec<u64> of that count would need 32 GiB.
    let bytes = [0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3];
    let start = std::time::Instant::now();
    let e = from_bytes::<Vec<u64>>(&bytes).unwrap_err();
    assert!(start.elapsed().as_secs() < 1);
    assert_eq!(
        e.kind(),
        DecodeErrorKind::LengthTooLarge {
            len: u32::MAX as usize,
            remaining: 3
        }
    );
    assert_eq!(e.offset(), 5);
    // The same for element-wise types, bytes and strings.
    assert!(from_bytes::<Vec<String>>(&bytes).is_err());
    assert!(from_bytes::<Vec<Vec<u8>>>(&bytes).is_err());
    assert!(from_bytes::<Vec<u8>>(&bytes).is_err());
    assert!(from_bytes::<Vec<bool>>(&bytes).is_err());
    assert!(from_bytes::<String>(&bytes).is_err());
    assert!(from_bytes::<Vec<[u8; 100]>>(&bytes).is_err());
}

#[test]
fn count_checked_against_min_len() {
    // 3 strings need at least 3 bytes; 2 remain.
    let e = from_bytes::<Vec<String>>(&[3, 0, 0]).unwrap_err();
    assert!(matches!(
        e.kind(),
        DecodeErrorKind::LengthTooLarge {
            len: 3,
            remaining: 2
        }
    ));
    // Exactly enough is fine.
    assert_eq!(
        from_bytes::<Vec<String>>(&[2, 0, 0]).unwrap(),
        vec![String::new(); 2]
    );
}

/// An empty record: encodes to nothing.
#[derive(Debug, PartialEq)]
struct Empty;

impl Wire for Empty {
    const MIN_LEN: usize = 0;
    fn encoded_len(&self) -> usize {
        0
    }
    fn encode(&self, _w: &mut Writer<'_>) {}
    fn decode(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Empty)
    }
}

#[test]
fn zero_sized_elements_are_capped() {
    let at_cap = to_bytes(&(0..65536).map(|_| Empty).collect::<Vec<_>>());
    assert_eq!(from_bytes::<Vec<Empty>>(&at_cap).unwrap().len(), 65536);

    let mut over = Vec::new();
    Writer::new(&mut over).put_varint(65537);
    let e = from_bytes::<Vec<Empty>>(&over).unwrap_err();
    assert_eq!(
        e.kind(),
        DecodeErrorKind::TooManyZeroSized {
            len: 65537,
            max: 65536
        }
    );

    let mut huge = Vec::new();
    Writer::new(&mut huge).put_varint(u32::MAX);
    assert!(from_bytes::<Vec<Empty>>(&huge).is_err());
    assert!(from_bytes::<Vec<()>>(&huge).is_err());
    assert!(from_bytes::<Vec<[u8; 0]>>(&huge).is_err());

    let limits = Limits::new().with_max_zero_sized_len(10);
    let ten = to_bytes(&(0..10).map(|_| Empty).collect::<Vec<_>>());
    assert!(from_bytes_with_limits::<Vec<Empty>>(&ten, limits).is_ok());
    let eleven = to_bytes(&(0..11).map(|_| Empty).collect::<Vec<_>>());
    assert!(from_bytes_with_limits::<Vec<Empty>>(&eleven, limits).is_err());
}

#[test]
fn arrays_of_zero_sized_elements_need_no_budget() {
    // `struct T { A [40000]E; B [40000]E; }` with `struct E {}`: the value
    // encodes to no bytes, and 80,000 elements are past the list budget.
    type T = ([Empty; 40000], [Empty; 40000]);
    let (a, b) = from_bytes::<T>(&[]).unwrap();
    assert_eq!((a.len(), b.len()), (40000, 40000));
    // Arrays do not spend the budget of the lists beside them either.
    let list = to_bytes(&(0..65536).map(|_| Empty).collect::<Vec<_>>());
    let (array, list) = from_bytes::<([Empty; 70000], Vec<Empty>)>(&list).unwrap();
    assert_eq!((array.len(), list.len()), (70000, 65536));
    let limits = Limits::new().with_max_zero_sized_len(0);
    assert!(from_bytes_with_limits::<[Empty; 3]>(&[], limits).is_ok());
    assert!(from_bytes_with_limits::<Vec<Empty>>(&[1], limits).is_err());
}

/// A recursive record, decoded the way generated code does it.
#[derive(Debug, PartialEq)]
struct Node {
    children: Vec<Node>,
}

impl Wire for Node {
    const MIN_LEN: usize = 1;
    fn encoded_len(&self) -> usize {
        self.children.encoded_len()
    }
    fn encode(&self, w: &mut Writer<'_>) {
        self.children.encode(w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.enter(size_of::<Self>())?;
        let children = gscluster::encoding::field(r, "Node.children")?;
        r.leave(size_of::<Self>());
        Ok(Node { children })
    }
}

/// `depth` nested nodes: `01 01 ... 01 00`.
fn nested(depth: usize) -> Vec<u8> {
    let mut bytes = vec![1u8; depth - 1];
    bytes.push(0);
    bytes
}

#[test]
fn deep_recursion_is_an_error_not_a_stack_overflow() {
    let bytes = nested(200_000);
    let e = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || from_bytes::<Node>(&bytes).unwrap_err())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(e.kind(), DecodeErrorKind::DepthLimit { max: 100 });
    assert_eq!(e.offset(), 100);
    assert_eq!(e.field(), Some("Node.children"));
}

#[test]
fn limits_are_built_with_setters() {
    const L: Limits = Limits::new().with_max_depth(7).with_max_zero_sized_len(3);
    assert_eq!((L.max_depth, L.max_zero_sized_len), (7, 3));
    assert_eq!(Limits::new(), Limits::DEFAULT);
    assert_eq!(Limits::default(), Limits::DEFAULT);
    // Each setter changes its own limit only.
    assert_eq!(Limits::new().with_max_depth(7).max_zero_sized_len, 65536);
    assert_eq!(Limits::new().with_max_zero_sized_len(3).max_depth, 100);
    let stack = Limits::new().with_max_stack_bytes(5);
    assert_eq!((stack.max_stack_bytes, stack.max_depth), (5, 100));
    assert_eq!(Limits::DEFAULT.max_stack_bytes, 64 << 10);
}

#[test]
fn the_stack_budget_counts_bytes_of_open_levels() {
    // Node is 24 bytes: 4 levels fit in 96 bytes, not 5; siblings give
    // their bytes back.
    let limits = Limits::new().with_max_stack_bytes(4 * size_of::<Node>());
    assert!(from_bytes_with_limits::<Node>(&nested(4), limits).is_ok());
    let e = from_bytes_with_limits::<Node>(&nested(5), limits).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::StackLimit { max: 96 });
    assert_eq!(e.offset(), 4);
    let wide = Node {
        children: (0..50).map(|_| Node { children: vec![] }).collect(),
    };
    let bytes = to_bytes(&wide);
    let mut r = Reader::with_limits(&bytes, limits);
    assert_eq!(Node::decode(&mut r).unwrap(), wide);
    r.finish().unwrap();
    // Hand-written decoders enter and leave with any sizes.
    let mut r = Reader::with_limits(&[], Limits::new().with_max_stack_bytes(10));
    r.enter(6).unwrap();
    assert!(r.enter(5).is_err());
    r.enter(4).unwrap();
    r.leave(4);
    r.leave(6);
    r.enter(10).unwrap();
    assert_eq!(r.depth(), 1);
}

#[test]
fn default_depth_is_100() {
    assert_eq!(Limits::default().max_depth, 100);
    assert!(from_bytes::<Node>(&nested(100)).is_ok());
    let e = from_bytes::<Node>(&nested(101)).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::DepthLimit { max: 100 });
}

#[test]
fn depth_is_settable() {
    let limits = |max_depth| Limits::DEFAULT.with_max_depth(max_depth);
    assert!(from_bytes_with_limits::<Node>(&nested(5), limits(5)).is_ok());
    assert!(from_bytes_with_limits::<Node>(&nested(6), limits(5)).is_err());
    assert!(from_bytes_with_limits::<Node>(&nested(300), limits(300)).is_ok());
    assert!(from_bytes_with_limits::<Node>(&nested(301), limits(300)).is_err());
    assert!(from_bytes_with_limits::<Node>(&nested(1), limits(0)).is_err());
}

#[test]
fn siblings_do_not_add_depth() {
    // A node with 1000 leaf children is depth 2, and the reader's depth is back to
    // 0 after it.
    let tree = Node {
        children: (0..1000).map(|_| Node { children: vec![] }).collect(),
    };
    let bytes = to_bytes(&tree);
    let limits = Limits::default().with_max_depth(2);
    let mut r = Reader::with_limits(&bytes, limits);
    assert_eq!(Node::decode(&mut r).unwrap(), tree);
    assert_eq!(r.depth(), 0);
    r.finish().unwrap();
}
