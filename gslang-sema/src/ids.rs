//! Typed ids and the arenas they index.
//!
//! Every declaration of the model lives in an [`Arena`] and is named by a
//! typed id: [`ModuleId`], [`RecordId`], [`EnumId`], [`ContractId`]. Ids are
//! made only by the semantic pass, so an id a back end holds always names an
//! item of the model it came from; [`index`](RecordId::index) exposes the
//! position for side tables (`Vec<T>` indexed by id), but no id can be built
//! back from a number outside this crate.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Index;

/// The ids of one kind of item: what [`Arena`] needs of them.
pub trait Id: Copy + Eq + fmt::Debug + private::Sealed {
    /// The position of the item in its arena.
    fn index(self) -> usize;
    /// Makes an id; only this crate can, as only it can name the token.
    #[doc(hidden)]
    fn from_index(index: usize, _: private::Token) -> Self;
}

mod private {
    pub trait Sealed {}

    /// Proof that the caller is this crate.
    #[derive(Debug)]
    pub struct Token;
}

pub(crate) fn make<I: Id>(index: usize) -> I {
    I::from_index(index, private::Token)
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
        pub struct $name(u32);

        impl $name {
            /// The position of the item in its arena, for side tables indexed by id.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl private::Sealed for $name {}

        impl Id for $name {
            fn index(self) -> usize {
                self.0 as usize
            }

            fn from_index(index: usize, _: private::Token) -> Self {
                // Arenas hold at most `u32::MAX` items: a model's items come
                // from sources of at most 4 GiB, several bytes each.
                $name(index as u32)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "#{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A module (one source file) of the model.
    ModuleId,
    "module"
);
id_type!(
    /// A table or struct.
    RecordId,
    "record"
);
id_type!(
    /// An enum.
    EnumId,
    "enum"
);
id_type!(
    /// A contract.
    ContractId,
    "contract"
);

/// The items of one kind, indexed by their typed id.
#[derive(Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
pub struct Arena<I, T> {
    items: Vec<T>,
    #[cfg_attr(feature = "serde", serde(skip))]
    _id: PhantomData<fn() -> I>,
}

impl<I: Id, T> Arena<I, T> {
    pub(crate) fn new() -> Self {
        Arena {
            items: Vec::new(),
            _id: PhantomData,
        }
    }

    /// Adds an item, returning its id.
    pub(crate) fn push(&mut self, item: T) -> I {
        let id = make(self.items.len());
        self.items.push(item);
        id
    }

    /// The item with this id.
    pub fn get(&self, id: I) -> &T {
        &self.items[id.index()]
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every item with its id, in id order (the order of declaration).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (I, &T)> + DoubleEndedIterator + '_ {
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| (make(i), item))
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = I> + DoubleEndedIterator + use<I, T> {
        (0..self.items.len()).map(make)
    }

    /// Every item, in id order.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (I, &mut T)> {
        self.items
            .iter_mut()
            .enumerate()
            .map(|(i, item)| (make(i), item))
    }
}

impl<I: Id, T> Default for Arena<I, T> {
    fn default() -> Self {
        Arena::new()
    }
}

impl<I: Id, T> Index<I> for Arena<I, T> {
    type Output = T;

    fn index(&self, id: I) -> &T {
        self.get(id)
    }
}

impl<I: Id, T: fmt::Debug> fmt::Debug for Arena<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
