//! The competitors' mirror of the generated types: the same fields, in the same
//! order, with the same Rust types, deriving each library's own traits.
//!
//! One struct per schema type carries all the derives (bincode 2, borsh 1, serde
//! for postcard, rkyv 0.8): the derives are independent of one another, and one
//! in-memory layout for all of them keeps the decoders producing identical
//! values (and the clone floor the same for everyone).

use serde::{Deserialize, Serialize};

/// `game.Kind`: a byte-based enum.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    bincode::Encode,
    bincode::Decode,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
#[repr(u8)]
pub enum Kind {
    /// `Kind.Move`.
    Move,
    /// `Kind.Attack`.
    Attack,
    /// `Kind.Chat`.
    Chat,
    /// `Kind.Spawn`.
    Spawn,
    /// `Kind.Despawn`.
    Despawn,
}

/// `common.Vec3`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Serialize,
    Deserialize,
    bincode::Encode,
    bincode::Decode,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct Vec3 {
    /// `Vec3.X`.
    pub x: f32,
    /// `Vec3.Y`.
    pub y: f32,
    /// `Vec3.Z`.
    pub z: f32,
}

/// `game.Item`.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Serialize,
    Deserialize,
    bincode::Encode,
    bincode::Decode,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct Item {
    /// `Item.ID`.
    pub id: u32,
    /// `Item.Count`.
    pub count: u16,
    /// `Item.Name`.
    pub name: String,
}

/// `game.GameMessage`.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Serialize,
    Deserialize,
    bincode::Encode,
    bincode::Decode,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct GameMessage {
    /// `GameMessage.ID`.
    pub id: u64,
    /// `GameMessage.Kind`.
    pub kind: Kind,
    /// `GameMessage.Position`.
    pub position: Vec3,
    /// `GameMessage.HP`.
    pub hp: i32,
    /// `GameMessage.Name`.
    pub name: String,
    /// `GameMessage.Alive`.
    pub alive: bool,
    /// `GameMessage.Items`.
    pub items: Vec<Item>,
}

/// `game.Blob`.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Serialize,
    Deserialize,
    bincode::Encode,
    bincode::Decode,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct Blob {
    /// `Blob.Key`.
    pub key: String,
    /// `Blob.Data`. Serde sees it as bytes (`serde_bytes`), as a user who cares
    /// about speed would write it: a plain `Vec<u8>` is a sequence of `u8` to
    /// serde, encoded and decoded one element at a time.
    #[serde(with = "serde_bytes")]
    pub data: Vec<u8>,
}

/// `game.Floats`.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Serialize,
    Deserialize,
    bincode::Encode,
    bincode::Decode,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
    rkyv::Archive,
    rkyv::Serialize,
    rkyv::Deserialize,
)]
pub struct Floats {
    /// `Floats.Values`.
    pub values: Vec<f32>,
}
