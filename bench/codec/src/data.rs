//! The deterministic values of the three data sets, and conversions from the
//! generated types to the mirrors and back (for checking that every library
//! round-trips the same data).

use crate::generated::common::Vec3;
use crate::generated::game::{Blob, Floats, GameMessage, Item, Kind};
use crate::{mirror, pb};

/// A typical game message: a 64-bit id, a byte-sized enum, a position, a 12-byte
/// name and an inventory of 8 items with 6-byte names.
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

/// The size of [`blob`]'s payload: 64 KiB.
pub const BLOB_LEN: usize = 64 * 1024;

/// A 16-byte key and 64 KiB of pseudo-random bytes.
pub fn blob() -> Blob {
    // xorshift32: deterministic, and not a pattern any codec could shortcut.
    let mut x = 0x9e37_79b9u32;
    let data = (0..BLOB_LEN)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    Blob {
        key: "assets/map/0042.".into(),
        data,
    }
}

/// The number of values in [`floats`]: 16,384 (64 KiB).
pub const FLOATS_LEN: usize = 16 * 1024;

/// 16,384 distinct finite floats (borsh rejects NaN).
pub fn floats() -> Floats {
    Floats {
        values: (0..FLOATS_LEN).map(|i| i as f32 * 0.37 - 3000.0).collect(),
    }
}

impl From<Kind> for mirror::Kind {
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

impl From<mirror::Kind> for Kind {
    fn from(k: mirror::Kind) -> Self {
        match k {
            mirror::Kind::Move => Self::Move,
            mirror::Kind::Attack => Self::Attack,
            mirror::Kind::Chat => Self::Chat,
            mirror::Kind::Spawn => Self::Spawn,
            mirror::Kind::Despawn => Self::Despawn,
        }
    }
}

impl From<&GameMessage> for mirror::GameMessage {
    fn from(m: &GameMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind.into(),
            position: mirror::Vec3 {
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
                .map(|i| mirror::Item {
                    id: i.id,
                    count: i.count,
                    name: i.name.clone(),
                })
                .collect(),
        }
    }
}

impl From<mirror::GameMessage> for GameMessage {
    fn from(m: mirror::GameMessage) -> Self {
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

/// Converts a decoded prost message back; `None` if a field is out of the
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

impl From<&Blob> for mirror::Blob {
    fn from(b: &Blob) -> Self {
        Self {
            key: b.key.clone(),
            data: b.data.clone(),
        }
    }
}

impl From<mirror::Blob> for Blob {
    fn from(b: mirror::Blob) -> Self {
        Self {
            key: b.key,
            data: b.data,
        }
    }
}

impl From<&Blob> for pb::Blob {
    fn from(b: &Blob) -> Self {
        Self {
            key: b.key.clone(),
            data: b.data.clone(),
        }
    }
}

impl From<pb::Blob> for Blob {
    fn from(b: pb::Blob) -> Self {
        Self {
            key: b.key,
            data: b.data,
        }
    }
}

impl From<&Floats> for mirror::Floats {
    fn from(f: &Floats) -> Self {
        Self {
            values: f.values.clone(),
        }
    }
}

impl From<mirror::Floats> for Floats {
    fn from(f: mirror::Floats) -> Self {
        Self { values: f.values }
    }
}

impl From<&Floats> for pb::Floats {
    fn from(f: &Floats) -> Self {
        Self {
            values: f.values.clone(),
        }
    }
}

impl From<pb::Floats> for Floats {
    fn from(f: pb::Floats) -> Self {
        Self { values: f.values }
    }
}
