//! The echoed value, `GameMessage` (the codec benchmark's, from
//! `bench/codec/src/data.rs`), in each system's own types: the gs2rust
//! output of `game_echo.gs` (gscluster and the hand-written multiplexer), a
//! serde mirror (tarpc, bincode) and a prost mirror (tonic); with the
//! conversions that let the tests check that every system echoes the same
//! value.

use serde::{Deserialize, Serialize};

use crate::pb;
use crate::proto::game_echo::{GameMessage, Item, Kind, Vec3};

/// A typical game message: a 64-bit id, a byte-sized enum, a position, a
/// 12-byte name and an inventory of 8 items with 6-byte names (144 bytes
/// in gscluster's encoding).
pub fn game_message() -> GameMessage {
    const NAMES: [&str; 8] = [
        "sword1", "shield", "potion", "arrows", "helmet", "gloves", "amulet", "lantrn",
    ];
    GameMessage {
        id: 9_876_543_210,
        kind: Kind::Attack,
        position: Vec3 {
            x: 128.5,
            y: -64.25,
            z: 3.75,
        },
        hp: 87,
        name: "Adventurer42".into(),
        alive: true,
        items: (0u32..)
            .zip(NAMES)
            .map(|(i, name)| Item {
                id: 1000 + 37 * i,
                count: 1 + 13 * i as u16,
                name: name.into(),
            })
            .collect(),
    }
}

/// The serde mirror (tarpc): the same fields and Rust types.
pub mod serde_mirror {
    use super::{Deserialize, Serialize};

    /// `Kind`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

    /// `Vec3`.
    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Vec3 {
        /// `Vec3.X`.
        pub x: f32,
        /// `Vec3.Y`.
        pub y: f32,
        /// `Vec3.Z`.
        pub z: f32,
    }

    /// `Item`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Item {
        /// `Item.ID`.
        pub id: u32,
        /// `Item.Count`.
        pub count: u16,
        /// `Item.Name`.
        pub name: String,
    }

    /// `GameMessage`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

impl From<Kind> for serde_mirror::Kind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Move => Self::Move,
            Kind::Attack => Self::Attack,
            Kind::Chat => Self::Chat,
            Kind::Spawn => Self::Spawn,
            Kind::Despawn => Self::Despawn,
        }
    }
}

impl From<serde_mirror::Kind> for Kind {
    fn from(k: serde_mirror::Kind) -> Self {
        match k {
            serde_mirror::Kind::Move => Self::Move,
            serde_mirror::Kind::Attack => Self::Attack,
            serde_mirror::Kind::Chat => Self::Chat,
            serde_mirror::Kind::Spawn => Self::Spawn,
            serde_mirror::Kind::Despawn => Self::Despawn,
        }
    }
}

impl From<&GameMessage> for serde_mirror::GameMessage {
    fn from(m: &GameMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind.into(),
            position: serde_mirror::Vec3 {
                x: m.position.x,
                y: m.position.y,
                z: m.position.z,
            },
            hp: m.hp,
            name: m.name.clone(),
            alive: m.alive,
            items: m
                .items
                .iter()
                .map(|i| serde_mirror::Item {
                    id: i.id,
                    count: i.count,
                    name: i.name.clone(),
                })
                .collect(),
        }
    }
}

impl From<serde_mirror::GameMessage> for GameMessage {
    fn from(m: serde_mirror::GameMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind.into(),
            position: Vec3 {
                x: m.position.x,
                y: m.position.y,
                z: m.position.z,
            },
            hp: m.hp,
            name: m.name,
            alive: m.alive,
            items: m
                .items
                .into_iter()
                .map(|i| Item {
                    id: i.id,
                    count: i.count,
                    name: i.name,
                })
                .collect(),
        }
    }
}

impl From<&GameMessage> for pb::GameMessage {
    fn from(m: &GameMessage) -> Self {
        Self {
            id: m.id,
            kind: i32::from(u8::from(m.kind)),
            position: Some(pb::Vec3 {
                x: m.position.x,
                y: m.position.y,
                z: m.position.z,
            }),
            hp: m.hp,
            name: m.name.clone(),
            alive: m.alive,
            items: m
                .items
                .iter()
                .map(|i| pb::Item {
                    id: i.id,
                    count: u32::from(i.count),
                    name: i.name.clone(),
                })
                .collect(),
        }
    }
}

/// Converts a prost message back; an error if a field is out of the
/// schema's range (an unknown enum value, a count above `u16::MAX`).
impl TryFrom<pb::GameMessage> for GameMessage {
    type Error = String;

    fn try_from(m: pb::GameMessage) -> Result<Self, String> {
        let kind = u8::try_from(m.kind)
            .ok()
            .and_then(|k| Kind::try_from(k).ok())
            .ok_or_else(|| format!("kind {} out of range", m.kind))?;
        let position = m.position.unwrap_or_default();
        let items = m
            .items
            .into_iter()
            .map(|i| {
                Ok(Item {
                    id: i.id,
                    count: u16::try_from(i.count)
                        .map_err(|_| format!("count {} out of range", i.count))?,
                    name: i.name,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            id: m.id,
            kind,
            position: Vec3 {
                x: position.x,
                y: position.y,
                z: position.z,
            },
            hp: m.hp,
            name: m.name,
            alive: m.alive,
            items,
        })
    }
}
