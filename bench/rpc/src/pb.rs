//! The prost mirror of `GameMessage` for tonic, written by hand as prost-build
//! would generate it from the equivalent `.proto` (proto3); the same as the
//! codec benchmark's (`bench/codec/src/pb.rs`):
//!
//! ```proto
//! enum Kind { MOVE = 0; ATTACK = 1; CHAT = 2; SPAWN = 3; DESPAWN = 4; }
//! message Vec3 { float x = 1; float y = 2; float z = 3; }
//! message Item { uint32 id = 1; uint32 count = 2; string name = 3; }
//! message GameMessage {
//!   uint64 id = 1; Kind kind = 2; Vec3 position = 3; int32 hp = 4;
//!   string name = 5; bool alive = 6; repeated Item items = 7;
//! }
//! service GameEcho { rpc Echo(GameMessage) returns (GameMessage); }
//! ```
//!
//! Protobuf has no 16-bit integers (`count` is a `uint32`), its enums are `i32`
//! fields, and a message field is an `Option`.

/// `game.Kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum Kind {
    /// `Kind.Move`.
    Move = 0,
    /// `Kind.Attack`.
    Attack = 1,
    /// `Kind.Chat`.
    Chat = 2,
    /// `Kind.Spawn`.
    Spawn = 3,
    /// `Kind.Despawn`.
    Despawn = 4,
}

/// `common.Vec3`.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Vec3 {
    /// `Vec3.X`.
    #[prost(float, tag = "1")]
    pub x: f32,
    /// `Vec3.Y`.
    #[prost(float, tag = "2")]
    pub y: f32,
    /// `Vec3.Z`.
    #[prost(float, tag = "3")]
    pub z: f32,
}

/// `game.Item`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Item {
    /// `Item.ID`.
    #[prost(uint32, tag = "1")]
    pub id: u32,
    /// `Item.Count`.
    #[prost(uint32, tag = "2")]
    pub count: u32,
    /// `Item.Name`.
    #[prost(string, tag = "3")]
    pub name: String,
}

/// `game.GameMessage`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct GameMessage {
    /// `GameMessage.ID`.
    #[prost(uint64, tag = "1")]
    pub id: u64,
    /// `GameMessage.Kind`.
    #[prost(enumeration = "Kind", tag = "2")]
    pub kind: i32,
    /// `GameMessage.Position`.
    #[prost(message, optional, tag = "3")]
    pub position: Option<Vec3>,
    /// `GameMessage.HP`.
    #[prost(int32, tag = "4")]
    pub hp: i32,
    /// `GameMessage.Name`.
    #[prost(string, tag = "5")]
    pub name: String,
    /// `GameMessage.Alive`.
    #[prost(bool, tag = "6")]
    pub alive: bool,
    /// `GameMessage.Items`.
    #[prost(message, repeated, tag = "7")]
    pub items: Vec<Item>,
}
