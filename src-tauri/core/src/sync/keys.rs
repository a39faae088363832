//! Encryption of the sync folder, in the age format (so `age -d` opens any file with the
//! right key):
//!
//! - The person's computers share one sync key, an age X25519 identity. Segments are
//!   encrypted to it: fast, so reading fifty segments costs milliseconds, not the
//!   second per file a passphrase costs.
//! - Each computer writes `devices/<id>/key.age`: the sync key(s), encrypted with the
//!   sync passphrase (scrypt, as a backup is). A computer joining opens any of them with
//!   the passphrase; from then on it keeps the key in its private data folder (beside the
//!   data, which is itself unencrypted there), so the passphrase is asked for once.
//! - Two computers set up at the same moment on an empty folder each make a key; the
//!   first that can read both (given the passphrase again) keeps both, and encrypts to
//!   both from then on.

use std::io::{Read, Write};

use age::secrecy::ExposeSecret;
use age::x25519;
use serde::{Deserialize, Serialize};

use crate::backup;
use crate::error::{Error, Result};

/// The `format` of a key file's content.
const KEY_FORMAT: &str = "rebound-sync-key";
/// The largest decrypted segment read (a first sync of 100,000 cycles is far below).
pub const MAX_SEGMENT_BYTES: u64 = 512_000_000;

#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    identities: Vec<String>,
}

/// A new sync key.
pub fn new_identity() -> String {
    x25519::Identity::generate()
        .to_string()
        .expose_secret()
        .to_string()
}

fn identities(keys: &[String]) -> Vec<x25519::Identity> {
    keys.iter().filter_map(|k| k.parse().ok()).collect()
}

/// Encrypt a segment to every sync key this computer has.
pub fn seal(plain: &[u8], keys: &[String]) -> Result<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| Error::Storage(format!("could not encrypt: {e}"));
    let recipients: Vec<x25519::Recipient> = identities(keys)
        .iter()
        .map(x25519::Identity::to_public)
        .collect();
    if recipients.is_empty() {
        return Err(Error::Sync(
            "this computer has no sync key yet; sync once with the sync passphrase".into(),
        ));
    }
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| failed(&e))?;
    let mut out = Vec::with_capacity(plain.len() + 512);
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| failed(&e))?;
    writer.write_all(plain).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    Ok(out)
}

/// Why a segment could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Encrypted to a sync key this computer does not have (yet).
    UnknownKey,
    /// Cut short, changed, or not an age file: what is wrong, in words.
    Damaged(String),
}

/// Decrypt a segment with this computer's sync keys. age checks every 64 KiB chunk and
/// marks the last, so a cut or flipped byte anywhere fails here.
pub fn open(bytes: &[u8], keys: &[String]) -> std::result::Result<Vec<u8>, Unreadable> {
    use age::DecryptError;
    let keys = identities(keys);
    let decryptor = age::Decryptor::new_buffered(bytes).map_err(|e| match e {
        DecryptError::UnknownFormat => {
            Unreadable::Damaged("it is in an encryption format this Rebound does not know".into())
        }
        _ => Unreadable::Damaged("its encryption header is damaged or cut short".into()),
    })?;
    let mut reader = decryptor
        .decrypt(keys.iter().map(|k| k as &dyn age::Identity))
        .map_err(|e| match e {
            DecryptError::NoMatchingKeys => Unreadable::UnknownKey,
            _ => Unreadable::Damaged("its encryption header is damaged".into()),
        })?;
    let mut plain = Vec::with_capacity(bytes.len());
    (&mut reader)
        .take(MAX_SEGMENT_BYTES + 1)
        .read_to_end(&mut plain)
        .map_err(|_| Unreadable::Damaged("it is damaged or cut short".into()))?;
    if plain.len() as u64 > MAX_SEGMENT_BYTES {
        return Err(Unreadable::Damaged(
            "it is far larger than any segment".into(),
        ));
    }
    Ok(plain)
}

/// A key file: `keys`, encrypted with the sync passphrase. `work_factor` is scrypt's
/// (None: the same as a backup's).
pub fn key_file(keys: &[String], passphrase: &str, work_factor: Option<u8>) -> Result<Vec<u8>> {
    let plain = serde_json::to_vec(&KeyFile {
        format: KEY_FORMAT.into(),
        identities: keys.to_vec(),
    })
    .map_err(|e| Error::Storage(format!("could not encode the sync key: {e}")))?;
    backup::encrypt(&plain, passphrase, work_factor)
}

/// The sync keys in a key file, opened with `passphrase`. A wrong passphrase is
/// `Error::WrongPassphrase`; anything else unreadable is `Error::Sync`.
pub fn read_key_file(bytes: &[u8], passphrase: &str) -> Result<Vec<String>> {
    let plain = backup::decrypt(bytes, passphrase).map_err(|e| match e {
        Error::WrongPassphrase => Error::WrongPassphrase,
        other => Error::Sync(format!("a sync key file could not be read: {other}")),
    })?;
    let file: KeyFile = serde_json::from_slice(&plain)
        .ok()
        .filter(|f: &KeyFile| f.format == KEY_FORMAT)
        .ok_or_else(|| Error::Sync("a sync key file holds no sync key".into()))?;
    let keys: Vec<String> = file
        .identities
        .into_iter()
        .filter(|k| k.parse::<x25519::Identity>().is_ok())
        .collect();
    if keys.is_empty() {
        return Err(Error::Sync("a sync key file holds no sync key".into()));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_opens_only_with_a_key_it_was_sealed_to_and_only_whole() {
        let (one, two) = (new_identity(), new_identity());
        let sealed = seal(b"hello", std::slice::from_ref(&one)).unwrap();
        assert_eq!(
            open(&sealed, &[two.clone(), one.clone()]).unwrap(),
            b"hello"
        );
        assert_eq!(open(&sealed, &[two]), Err(Unreadable::UnknownKey));
        let cut = &sealed[..sealed.len() - 3];
        assert!(matches!(
            open(cut, std::slice::from_ref(&one)),
            Err(Unreadable::Damaged(_))
        ));
        let mut flipped = sealed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(
            open(&flipped, &[one]),
            Err(Unreadable::Damaged(_))
        ));
    }

    #[test]
    fn a_key_file_opens_with_its_passphrase_only() {
        let keys = vec![new_identity()];
        let file = key_file(&keys, "four calm words here", Some(2)).unwrap();
        assert_eq!(read_key_file(&file, "four calm words here").unwrap(), keys);
        assert!(matches!(
            read_key_file(&file, "another passphrase"),
            Err(Error::WrongPassphrase)
        ));
    }
}
