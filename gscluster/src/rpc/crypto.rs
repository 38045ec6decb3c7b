//! The optional encryption of a connection (wire.md §3.1): an X25519 key
//! agreement in a `DHExchange` pair, HKDF-SHA256 to one ChaCha20-Poly1305
//! key per direction, and a message counter as the nonce.
//!
//! The exchange is unauthenticated: it stops eavesdroppers, not a man in
//! the middle. Authenticate peers with the node's authenticator and a token
//! (the token travels sealed).

use base64::Engine as _;
use chacha20poly1305::aead::AeadInPlace;
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce, Tag};
use rand_core::OsRng;
use x25519_dalek::{EphemeralSecret, PublicKey};

/// The one suite of protocol v1.
pub(crate) const SUITE: &str = "x25519-chacha20poly1305";

/// The bytes a sealed content carries beyond its plaintext: the tag.
pub(crate) const TAG_LEN: usize = 16;

/// Why a key exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// The peer asked for a suite other than [`SUITE`].
    UnknownSuite,
    /// The peer's key is not 32 bytes of standard padded base64.
    BadKey,
    /// The shared secret is all zeros: the peer sent a low-order point.
    NotContributory,
}

/// Our half of a key exchange.
pub(crate) struct KeyPair {
    secret: EphemeralSecret,
    public: PublicKey,
}

impl KeyPair {
    pub fn generate() -> KeyPair {
        let secret = EphemeralSecret::random_from_rng(OsRng);
        let public = PublicKey::from(&secret);
        KeyPair { secret, public }
    }

    /// Our public key as `DHExchange.Content` carries it.
    pub fn public_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.public.as_bytes())
    }

    pub fn public(&self) -> [u8; 32] {
        *self.public.as_bytes()
    }

    /// The sealing and opening keys, from the peer's `DHExchange`: `opener`
    /// says whether we opened the connection.
    pub fn agree(self, suite: &str, peer_key: &str, opener: bool) -> Result<Keys, KeyError> {
        if suite != SUITE {
            return Err(KeyError::UnknownSuite);
        }
        let peer = decode_key(peer_key)?;
        let ours = self.public();
        let shared = self.secret.diffie_hellman(&PublicKey::from(peer));
        if !shared.was_contributory() {
            return Err(KeyError::NotContributory);
        }
        let (opener_key, acceptor_key) = if opener { (ours, peer) } else { (peer, ours) };
        let (to_acceptor, to_opener) = derive(shared.as_bytes(), &opener_key, &acceptor_key);
        Ok(if opener {
            Keys {
                seal: to_acceptor,
                open: to_opener,
            }
        } else {
            Keys {
                seal: to_opener,
                open: to_acceptor,
            }
        })
    }
}

fn decode_key(key: &str) -> Result<[u8; 32], KeyError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key)
        .map_err(|_| KeyError::BadKey)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| KeyError::BadKey)
}

/// HKDF-SHA256 over the shared secret, empty salt, info `"gscluster v1"` ‖
/// opener key ‖ acceptor key: 64 bytes, the first 32 sealing
/// opener→acceptor, the last 32 acceptor→opener.
pub(crate) fn derive(
    shared: &[u8; 32],
    opener: &[u8; 32],
    acceptor: &[u8; 32],
) -> ([u8; 32], [u8; 32]) {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, shared);
    let mut info = Vec::with_capacity(12 + 64);
    info.extend_from_slice(b"gscluster v1");
    info.extend_from_slice(opener);
    info.extend_from_slice(acceptor);
    let mut okm = [0u8; 64];
    // 64 bytes is far below HKDF-SHA256's limit of 255 * 32.
    let _ = hk.expand(&info, &mut okm);
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    a.copy_from_slice(&okm[..32]);
    b.copy_from_slice(&okm[32..]);
    (a, b)
}

/// The two directions' keys of a connection.
pub(crate) struct Keys {
    pub seal: [u8; 32],
    pub open: [u8; 32],
}

/// One direction of a sealed connection: the cipher and its message counter.
pub(crate) struct Direction {
    cipher: ChaCha20Poly1305,
    counter: u64,
}

impl Direction {
    pub fn new(key: &[u8; 32]) -> Direction {
        Direction {
            cipher: ChaCha20Poly1305::new(key.into()),
            counter: 0,
        }
    }

    fn nonce(&mut self) -> Nonce {
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&self.counter.to_le_bytes());
        self.counter += 1;
        nonce.into()
    }

    /// Seals `content` in place, with the message's code byte as associated
    /// data; returns the tag to append.
    pub fn seal(&mut self, code: u8, content: &mut [u8]) -> [u8; TAG_LEN] {
        let nonce = self.nonce();
        match self
            .cipher
            .encrypt_in_place_detached(&nonce, &[code], content)
        {
            Ok(tag) => tag.into(),
            // Only for contents over 256 GiB, far above any message limit.
            Err(_) => [0; TAG_LEN],
        }
    }

    /// Opens a sealed content in place (`sealed` holds the ciphertext then
    /// the tag); on success the plaintext is `sealed[..len - 16]`.
    pub fn open(&mut self, code: u8, sealed: &mut [u8]) -> Result<usize, ()> {
        let Some(len) = sealed.len().checked_sub(TAG_LEN) else {
            return Err(());
        };
        let nonce = self.nonce();
        let (text, tag) = sealed.split_at_mut(len);
        let tag = Tag::clone_from_slice(tag);
        self.cipher
            .decrypt_in_place_detached(&nonce, &[code], text, &tag)
            .map(|()| len)
            .map_err(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_agree_and_seal_each_direction() {
        let opener = KeyPair::generate();
        let acceptor = KeyPair::generate();
        let (opener_pub, acceptor_pub) = (opener.public_base64(), acceptor.public_base64());
        let o = opener.agree(SUITE, &acceptor_pub, true).expect("agrees");
        let a = acceptor.agree(SUITE, &opener_pub, false).expect("agrees");
        assert_eq!(o.seal, a.open);
        assert_eq!(o.open, a.seal);
        assert_ne!(o.seal, o.open);

        let (mut tx, mut rx) = (Direction::new(&o.seal), Direction::new(&a.open));
        for i in 0..3u8 {
            let mut msg = vec![i; 10];
            let tag = tx.seal(4, &mut msg);
            assert_ne!(msg, vec![i; 10]);
            msg.extend_from_slice(&tag);
            assert_eq!(rx.open(4, &mut msg), Ok(10));
            assert_eq!(&msg[..10], &[i; 10]);
        }
        // A flipped bit, the wrong code, or a replay fails.
        let mut msg = vec![1u8; 4];
        let tag = tx.seal(5, &mut msg);
        msg.extend_from_slice(&tag);
        let mut flipped = msg.clone();
        flipped[0] ^= 1;
        let mut rx2 = Direction {
            cipher: ChaCha20Poly1305::new((&a.open).into()),
            counter: rx.counter,
        };
        assert_eq!(rx2.open(5, &mut flipped), Err(()));
        let mut rx3 = Direction {
            cipher: ChaCha20Poly1305::new((&a.open).into()),
            counter: rx.counter,
        };
        assert_eq!(rx3.open(4, &mut msg.clone()), Err(()));
        assert_eq!(rx.open(5, &mut msg), Ok(4));
    }

    #[test]
    fn low_order_keys_and_bad_input_are_refused() {
        let zero = base64::engine::general_purpose::STANDARD.encode([0u8; 32]);
        let ours = KeyPair::generate();
        assert_eq!(
            ours.agree(SUITE, &zero, true).err(),
            Some(KeyError::NotContributory)
        );
        let ours = KeyPair::generate();
        assert_eq!(
            ours.agree("rsa", &zero, true).err(),
            Some(KeyError::UnknownSuite)
        );
        let ours = KeyPair::generate();
        assert_eq!(
            ours.agree(SUITE, "AAAA", true).err(),
            Some(KeyError::BadKey)
        );
    }

    /// RFC 5869-style check of the key schedule against an independent
    /// computation with the hmac crate.
    #[test]
    fn keys_follow_the_spec() {
        use hkdf::hmac::{Hmac, Mac};
        let shared = [7u8; 32];
        let (o, a) = ([1u8; 32], [2u8; 32]);
        let (k1, k2) = derive(&shared, &o, &a);
        let mut extract = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&[0u8; 32]).expect("key");
        extract.update(&shared);
        let prk = extract.finalize().into_bytes();
        let mut info = b"gscluster v1".to_vec();
        info.extend_from_slice(&o);
        info.extend_from_slice(&a);
        let block = |prev: &[u8], i: u8| {
            let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&prk).expect("key");
            m.update(prev);
            m.update(&info);
            m.update(&[i]);
            m.finalize().into_bytes()
        };
        let t1 = block(&[], 1);
        let t2 = block(&t1, 2);
        assert_eq!(&k1[..], &t1[..]);
        assert_eq!(&k2[..], &t2[..]);
    }
}
