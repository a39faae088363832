//! Passphrase encryption of a backup in the age format, with one scrypt recipient, so
//! `age -d` or `rage -d` open a Rebound backup without Rebound. A wrong passphrase and a
//! damaged file each get their own message.

use std::io::{Read, Write};

use age::secrecy::SecretString;

use super::MAX_BACKUP_BYTES;
use crate::error::{Error, Result};

/// The first bytes of a binary age file, and of an armored one.
const AGE_MAGIC: &[u8] = b"age-encryption.org/";
const AGE_ARMOR: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";
/// scrypt's work factor (log2 N) for new backups: the `age` tool's own default, so a
/// backup costs a guesser as much as any age file (about a second per guess).
pub const SCRYPT_WORK_FACTOR: u8 = 18;
/// The highest work factor accepted when reading: room above our own and age's, while
/// bounding what a hostile file can ask for (2^20 needs 1 GiB for scrypt).
const MAX_SCRYPT_WORK_FACTOR: u8 = 20;
/// Passphrases shorter than this are refused when encrypting.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Check a passphrase chosen for a new encrypted backup.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.trim().is_empty() && !passphrase.is_empty() {
        return Err(Error::Usage(
            "the passphrase is only spaces; use at least a few words you will remember".into(),
        ));
    }
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::Usage(format!(
            "the passphrase is too short; use at least {MIN_PASSPHRASE_CHARS} characters (a few words work well)"
        )));
    }
    Ok(())
}

/// Encrypt `plain` to `passphrase` as an age file. `work_factor` is scrypt's log2(N);
/// None means [`SCRYPT_WORK_FACTOR`] (benchmarks and tests pass a low one).
pub fn encrypt(plain: &[u8], passphrase: &str, work_factor: Option<u8>) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(plain.len() + 1024);
    encrypt_to(&mut out, passphrase, work_factor, &mut |w| {
        w.write_all(plain)
    })
    .map_err(|e| Error::Storage(format!("could not encrypt: {e}")))?;
    Ok(out)
}

/// Encrypt what `write` writes to `passphrase`, as an age file written to `out` a piece
/// at a time (see [`encrypt`] for `work_factor`).
pub(super) fn encrypt_to(
    out: &mut dyn Write,
    passphrase: &str,
    work_factor: Option<u8>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
    let log_n = work_factor.unwrap_or(SCRYPT_WORK_FACTOR);
    recipient.set_work_factor(log_n.clamp(1, MAX_SCRYPT_WORK_FACTOR));
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(std::io::Error::other)?;
    let mut writer = encryptor.wrap_output(out)?;
    write(&mut writer)?;
    writer.finish().map(|_| ())
}

/// Whether `bytes` are an age file (so a passphrase is needed).
pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_MAGIC) || bytes.starts_with(AGE_ARMOR)
}

/// Decrypt an age file with `passphrase`. A wrong passphrase and a damaged or cut-short
/// file each get their own message.
pub fn decrypt(bytes: &[u8], passphrase: &str) -> Result<Vec<u8>> {
    let mut reader = decrypting(bytes, passphrase)?;
    let mut plain = Vec::with_capacity(bytes.len());
    (&mut reader)
        .take(MAX_BACKUP_BYTES + 1)
        .read_to_end(&mut plain)
        .map_err(|_| damaged_content())?;
    if plain.len() as u64 > MAX_BACKUP_BYTES {
        return Err(Error::TooLarge(
            "the decrypted backup".into(),
            MAX_BACKUP_BYTES,
        ));
    }
    Ok(plain)
}

/// What a failure to read on after a right passphrase means: age authenticates every
/// 64 KiB chunk and marks the last one, so a cut or changed byte anywhere after the
/// header fails there.
pub(super) fn damaged_content() -> Error {
    Error::BackupDamaged(
        "its encrypted content is damaged or cut short (the passphrase was right)".into(),
    )
}

/// The plain text of the age file `input`, decrypted with `passphrase` as it is read
/// (see [`damaged_content`] for what a read error then means). A wrong passphrase, a
/// file encrypted to a key and a damaged header each get their own message here.
pub(super) fn decrypting<'a>(
    input: impl Read + 'a,
    passphrase: &str,
) -> Result<Box<dyn Read + 'a>> {
    use age::DecryptError;
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
    identity.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    let header_problem = |e: DecryptError| match e {
        DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed => {
            Error::WrongPassphrase
        }
        DecryptError::NoMatchingKeys => Error::NotABackup(
            "it is encrypted to a key, not a passphrase; decrypt it with age first".into(),
        ),
        DecryptError::ExcessiveWork { .. } => Error::BackupDamaged(
            "its passphrase protection asks for far more work than Rebound ever uses".into(),
        ),
        DecryptError::UnknownFormat => Error::Usage(
            "this backup is encrypted in an age format this Rebound does not know; update \
             Rebound to restore this backup, nothing here has changed"
                .into(),
        ),
        DecryptError::InvalidHeader | DecryptError::InvalidMac => {
            Error::BackupDamaged("its encryption header is damaged or cut short".into())
        }
        other => Error::BackupDamaged(format!("it could not be decrypted ({other})")),
    };
    // ArmoredReader reads binary age files as they are, and armored ones unwrapped.
    let payload = age::armor::ArmoredReader::new(input);
    let decryptor = age::Decryptor::new(payload).map_err(header_problem)?;
    if !decryptor.is_scrypt() {
        return Err(Error::NotABackup(
            "it is encrypted to a key, not a passphrase; decrypt it with age first".into(),
        ));
    }
    let reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(header_problem)?;
    Ok(Box::new(reader))
}
