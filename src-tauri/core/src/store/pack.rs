//! The summaries' pack: every cycle summary (see summaries.rs) in one private file beside
//! the database (`summaries.pack`). Reading 100,000 summaries from it is one file read
//! (about 9 ms); sled holds no summary, so nothing of them stays in its cache or its page
//! table.
//!
//! The pack is derived data, never the record of anything: it is used only when it
//! names the journal position sled has applied now and its checksum holds; otherwise it
//! is brought forward by the cycles changed since (when this process knows them) or made
//! afresh from the cycles. So any write, by the window or the command line, makes it
//! stale, and a pack cut short by a crash, left by a restore or damaged on disk is never
//! believed. It is not fsync'd: losing it costs one slower read, never data.
//!
//! Layout: `MAGIC`, the marker's length (u8) and bytes, the number of summaries (u32),
//! then per summary its key's length (u8), key (the cycle's), value's length (u16) and
//! value (the summary), and last the SHA-256 of everything before it. Integers are
//! big-endian.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::keys;
use super::summaries::{decode_among, Areas};
use crate::cycle::{CycleId, CycleSummary};
use crate::files::make_private;

/// The pack's file name in the data folder.
pub(super) const FILE: &str = "summaries.pack";

const MAGIC: &[u8; 8] = b"RBSPACK1";
const HASH: usize = 32;

/// A pack being filled, one summary at a time, in key order.
pub(super) struct PackWriter {
    marker: Vec<u8>,
    entries: Vec<u8>,
    count: u32,
}

impl PackWriter {
    pub(super) fn new(marker: &[u8], expected: usize) -> Option<PackWriter> {
        u8::try_from(marker.len()).ok()?;
        Some(PackWriter {
            marker: marker.to_vec(),
            entries: Vec::with_capacity(expected.saturating_mul(64)),
            count: 0,
        })
    }

    /// Add one summary as stored; false (and nothing added) when it cannot be packed.
    pub(super) fn push(&mut self, key: &[u8], value: &[u8]) -> bool {
        let (Ok(key_len), Ok(value_len)) = (u8::try_from(key.len()), u16::try_from(value.len()))
        else {
            return false;
        };
        let Some(count) = self.count.checked_add(1) else {
            return false;
        };
        self.entries.push(key_len);
        self.entries.extend_from_slice(key);
        self.entries.extend_from_slice(&value_len.to_be_bytes());
        self.entries.extend_from_slice(value);
        self.count = count;
        true
    }

    /// Make the pack at `marker` instead (known only once its summaries are all in).
    pub(super) fn at(&mut self, marker: &[u8]) {
        self.marker = marker.to_vec();
    }

    /// Write the pack into `dir`, replacing any older one whole (a private temporary
    /// file renamed over it). Not fsync'd: see the module's comment.
    pub(super) fn write(self, dir: &Path) -> std::io::Result<()> {
        let marker_len = u8::try_from(self.marker.len())
            .map_err(|_| std::io::Error::other("the pack's marker is too long"))?;
        let mut head = Vec::with_capacity(MAGIC.len() + 5 + self.marker.len());
        head.extend_from_slice(MAGIC);
        head.push(marker_len);
        head.extend_from_slice(&self.marker);
        head.extend_from_slice(&self.count.to_be_bytes());
        let mut hash = Sha256::new();
        hash.update(&head);
        hash.update(&self.entries);
        let mut file = tempfile::Builder::new()
            .prefix(".rebound-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        make_private(file.path())?;
        let mut out = std::io::BufWriter::new(file.as_file_mut());
        out.write_all(&head)?;
        out.write_all(&self.entries)?;
        out.write_all(&hash.finalize())?;
        out.flush()?;
        drop(out);
        file.persist(dir.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Hand each (key, value) of the pack in `dir` to `each`, in order, reading the file a
/// piece at a time (a buffer the size of the file, 5.5 MB at 100,000 cycles, would stay
/// in the window's heap): its count of summaries, if there is a pack, it was made at
/// `marker` and it is whole, and `each` took every entry. What `each` was given counts
/// only then: the hash is checked last.
fn each_entry(
    dir: &Path,
    marker: &[u8],
    mut each: impl FnMut(usize, &[u8], &[u8]) -> Option<()>,
) -> Option<usize> {
    if marker.is_empty() {
        return None;
    }
    let mut file = std::fs::File::open(dir.join(FILE)).ok()?;
    let body = file.metadata().ok()?.len().checked_sub(HASH as u64)?;
    let mut reader = Hashed {
        inner: std::io::BufReader::with_capacity(64 * 1024, (&mut file).take(body)),
        hash: Sha256::new(),
    };
    let mut buf = [0u8; u16::MAX as usize];
    if reader.bytes(&mut buf, MAGIC.len())? != MAGIC {
        return None;
    }
    let marker_len = usize::from(reader.bytes(&mut buf, 1)?[0]);
    if reader.bytes(&mut buf, marker_len)? != marker {
        return None;
    }
    let count = u32::from_be_bytes(reader.bytes(&mut buf, 4)?.try_into().ok()?) as usize;
    // Never trust a count to size memory: each summary takes at least 3 bytes.
    let expected = count.min(usize::try_from(body / 3).ok()?);
    let mut key = [0u8; u8::MAX as usize];
    for _ in 0..count {
        let key_len = usize::from(reader.bytes(&mut buf, 1)?[0]);
        key[..key_len].copy_from_slice(reader.bytes(&mut buf, key_len)?);
        let value_len = u16::from_be_bytes(reader.bytes(&mut buf, 2)?.try_into().ok()?);
        let value = reader.bytes(&mut buf, usize::from(value_len))?;
        each(expected, &key[..key_len], value)?;
    }
    // Nothing after the last summary but the hash, and the hash holds.
    if reader.bytes(&mut buf, 1).is_some() {
        return None;
    }
    let computed = reader.hash.finalize();
    let mut hash = [0u8; HASH];
    file.read_exact(&mut hash).ok()?;
    (computed.as_slice() == hash).then_some(count)
}

/// The summaries in the pack in `dir`, in the order they were packed (id order), if
/// there is a pack, it was made at `marker`, it is whole and every summary in it reads.
pub(super) fn read(dir: &Path, marker: &[u8]) -> Option<Vec<CycleSummary>> {
    let mut out = Vec::new();
    let mut areas = Areas::default();
    each_entry(dir, marker, |expected, key, value| {
        if out.is_empty() {
            out.reserve_exact(expected);
        }
        out.push(decode_among(key, value, &mut areas)?);
        Some(())
    })?;
    Some(out)
}

/// A reader that hashes what it hands out.
struct Hashed<R> {
    inner: R,
    hash: Sha256,
}

impl<R: std::io::Read> Hashed<R> {
    /// The next `n` bytes (at most `buf`'s length), or None at the end or on an error.
    fn bytes<'b>(&mut self, buf: &'b mut [u8], n: usize) -> Option<&'b [u8]> {
        let got = buf.get_mut(..n)?;
        self.inner.read_exact(got).ok()?;
        self.hash.update(&*got);
        Some(got)
    }
}

/// The marker the pack in `dir` says it was made at, from its first bytes alone (the
/// whole pack is checked when it is read).
pub(super) fn marker_of(dir: &Path) -> Option<Vec<u8>> {
    let mut head = [0u8; MAGIC.len() + 1 + u8::MAX as usize];
    let mut file = std::fs::File::open(dir.join(FILE)).ok()?;
    let mut got = 0;
    while got < head.len() {
        match std::io::Read::read(&mut file, &mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(_) => return None,
        }
    }
    let rest = head[..got].strip_prefix(MAGIC)?;
    let (len, rest) = rest.split_first()?;
    Some(rest.get(..usize::from(*len))?.to_vec())
}

/// How many changed cycles a pack is brought up to date with at most; after more (a
/// restore, a big merge) it is made afresh from the cycles when next read.
const TOUCHED_MAX: usize = 5_000;

/// What one open database knows of the pack: the marker of the last pack it knows to be
/// current (seen at open, read or written), and the keys of the cycles changed since.
#[derive(Default)]
pub(super) struct Tracker {
    base: Option<Vec<u8>>,
    touched: BTreeSet<Vec<u8>>,
    /// Whether any cycle changed while this database was open.
    changed: bool,
}

impl Tracker {
    /// The pack in the folder is current at `marker`.
    pub(super) fn current(&mut self, marker: &[u8]) {
        self.base = Some(marker.to_vec());
        self.touched.clear();
    }

    /// These cycles are about to change (or did).
    pub(super) fn touch(&mut self, ids: impl IntoIterator<Item = CycleId>) {
        self.changed = true;
        if self.base.is_none() {
            return;
        }
        for id in ids {
            self.touched.insert(keys::cycle_key(id).to_vec());
            if self.touched.len() > TOUCHED_MAX {
                self.base = None;
                self.touched.clear();
                return;
            }
        }
    }

    /// Whether any cycle changed while this database was open.
    pub(super) fn changed(&self) -> bool {
        self.changed
    }

    /// The pack's marker and the changed keys, when the pack can be brought up to date.
    pub(super) fn changes(&self) -> Option<(&[u8], &BTreeSet<Vec<u8>>)> {
        Some((self.base.as_deref()?, &self.touched))
    }
}

/// The pack in `dir`, made at `base`, brought up to `marker` by taking the `touched`
/// cycles' stored summaries from `now` (None: the cycle is gone) and keeping the rest.
/// None when there is no whole pack at `base`.
pub(super) fn refreshed(
    dir: &Path,
    base: &[u8],
    touched: &BTreeSet<Vec<u8>>,
    marker: &[u8],
    now: impl Fn(&[u8]) -> Option<Option<Vec<u8>>>,
) -> Option<PackWriter> {
    let mut out = PackWriter::new(marker, 0)?;
    let mut changed = touched.iter().peekable();
    let put = |out: &mut PackWriter, key: &[u8]| -> Option<()> {
        match now(key)? {
            Some(value) => out.push(key, &value).then_some(()),
            None => Some(()),
        }
    };
    each_entry(dir, base, |_, key, value| {
        // Changed cycles that sort before this one are new: in key order, before it.
        while let Some(new) = changed.next_if(|c| c.as_slice() < key) {
            put(&mut out, new)?;
        }
        if changed.next_if(|c| c.as_slice() == key).is_some() {
            put(&mut out, key)
        } else {
            out.push(key, value).then_some(())
        }
    })?;
    for new in changed {
        put(&mut out, new)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cycle::{Cycle, CycleFields, Outcome};
    use chrono::{NaiveDate, TimeZone, Utc};

    fn cycles(n: u32) -> Vec<Cycle> {
        (1..=n)
            .map(|day| {
                let on = NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
                let fields = CycleFields::sample("running", on, Outcome::Failure);
                Cycle::new(
                    fields,
                    Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
                )
            })
            .collect()
    }

    fn pack(dir: &Path, marker: &[u8], cycles: &[Cycle]) {
        let mut writer = PackWriter::new(marker, cycles.len()).unwrap();
        for c in cycles {
            assert!(writer.push(&keys::cycle_key(c.id), &super::super::summaries::encode(c)));
        }
        writer.write(dir).unwrap();
    }

    #[test]
    fn a_pack_reads_back_at_its_marker_only() {
        let home = tempfile::tempdir().unwrap();
        let all = cycles(3);
        pack(home.path(), b"position-7", &all);
        let expected: Vec<CycleSummary> = all.iter().map(CycleSummary::from).collect();
        assert_eq!(read(home.path(), b"position-7"), Some(expected));
        assert_eq!(read(home.path(), b"position-8"), None);
        assert_eq!(read(home.path(), b""), None);
    }

    #[test]
    fn a_pack_cut_short_or_changed_is_not_believed() {
        let home = tempfile::tempdir().unwrap();
        pack(home.path(), b"m", &cycles(3));
        let path = home.path().join(FILE);
        let whole = std::fs::read(&path).unwrap();
        for cut in [0, 1, 9, whole.len() / 2, whole.len() - 1] {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert_eq!(read(home.path(), b"m"), None, "cut at {cut}");
        }
        // Any one byte changed, anywhere (header, counts, lengths, summaries, hash).
        for at in 0..whole.len() {
            let mut flipped = whole.clone();
            flipped[at] ^= 1;
            std::fs::write(&path, &flipped).unwrap();
            assert_eq!(read(home.path(), b"m"), None, "byte {at} changed");
        }
        let mut longer = whole.clone();
        longer.insert(whole.len() - HASH, 0);
        std::fs::write(&path, &longer).unwrap();
        assert_eq!(
            read(home.path(), b"m"),
            None,
            "a byte added before the hash"
        );
        std::fs::write(&path, &whole).unwrap();
        assert_eq!(read(home.path(), b"m").map(|s| s.len()), Some(3));
    }

    #[cfg(unix)]
    #[test]
    fn the_pack_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().unwrap();
        pack(home.path(), b"m", &cycles(1));
        let mode = std::fs::metadata(home.path().join(FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    /// What the store reads, with the pack in the folder or without it: always what the
    /// whole cycles say, through writes, edits, deletions and reopening.
    #[test]
    fn the_store_reads_the_pack_only_while_it_is_current() {
        use crate::store::Store;
        let home = tempfile::tempdir().unwrap();
        let dir = home.path();
        let truth = |store: &Store| store.summaries_from_cycles().unwrap();
        let store = Store::open(dir).unwrap();
        let mut ids = Vec::new();
        for c in cycles(4) {
            ids.push(store.create(c.fields, Utc::now()).unwrap().id);
        }
        assert!(!dir.join(FILE).exists());
        assert_eq!(store.summaries().unwrap(), truth(&store));
        assert!(dir.join(FILE).exists(), "the first read packs them");
        let packed = std::fs::read(dir.join(FILE)).unwrap();
        assert_eq!(store.summaries().unwrap(), truth(&store));
        assert_eq!(
            std::fs::read(dir.join(FILE)).unwrap(),
            packed,
            "read, not rewritten"
        );

        // An edit that keeps the count, a deletion, an addition: each is seen at once.
        let mut fields = store.get(ids[1]).unwrap().unwrap().fields;
        fields.outcome = Outcome::Success;
        store.update(ids[1], fields, Utc::now()).unwrap();
        assert_eq!(store.summaries().unwrap(), truth(&store));
        store.delete(ids[2]).unwrap();
        assert_eq!(store.summaries().unwrap(), truth(&store));
        store
            .create(cycles(5).pop().unwrap().fields, Utc::now())
            .unwrap();
        let expected = truth(&store);
        assert_eq!(store.summaries().unwrap(), expected);
        drop(store);

        // Reopened, and reopened with the pack damaged: the same answer.
        let store = Store::open(dir).unwrap();
        assert_eq!(store.summaries().unwrap(), expected);
        drop(store);
        let mut damaged = std::fs::read(dir.join(FILE)).unwrap();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x40;
        std::fs::write(dir.join(FILE), damaged).unwrap();
        let store = Store::open(dir).unwrap();
        assert_eq!(store.summaries().unwrap(), expected);
    }

    /// After writes by a window or a command, the pack left behind is current and says
    /// what the whole cycles say: each change is carried into it, not re-read.
    #[test]
    fn changes_are_carried_into_the_pack() {
        use crate::store::summaries::current_marker;
        use crate::store::Store;
        let home = tempfile::tempdir().unwrap();
        let dir = home.path();
        let check = |why: &str| {
            let store = Store::open(dir).unwrap();
            let marker = current_marker(store.t()).unwrap();
            assert_eq!(
                marker_of(dir),
                Some(marker.clone()),
                "{why}: the pack is current"
            );
            assert_eq!(
                read(dir, &marker),
                Some(store.summaries_from_cycles().unwrap()),
                "{why}"
            );
        };
        // Open the folder and log the cycle of day `day`, as `rebound log` does.
        let log_one = |day: u32| {
            let store = Store::open(dir).unwrap();
            let fields = cycles(day).pop().unwrap().fields;
            store.create(fields, Utc::now()).unwrap();
            store
        };
        let store = Store::open(dir).unwrap();
        let mut ids = Vec::new();
        for c in cycles(6) {
            ids.push(store.create(c.fields, Utc::now()).unwrap().id);
        }
        store.summaries().unwrap();
        drop(store);
        check("packed");

        // A preference moves the marker without changing a cycle.
        let store = Store::open(dir).unwrap();
        store
            .set_pref(
                &crate::prefs::REVIEW_DONE,
                &NaiveDate::from_ymd_opt(2026, 11, 8).unwrap(),
            )
            .unwrap();
        drop(store);
        check("a preference set");

        // As a command would: one new cycle, then closed.
        drop(log_one(7));
        check("one logged");

        // An edit, a deletion, a batch, a new cycle dated before all others.
        let store = Store::open(dir).unwrap();
        let mut fields = store.get(ids[3]).unwrap().unwrap().fields;
        fields.outcome = Outcome::Partial;
        fields.area = "swimming".into();
        store.update(ids[3], fields, Utc::now()).unwrap();
        store.delete(ids[0]).unwrap();
        let mut batch = store.begin_batch(Utc::now());
        for c in cycles(3) {
            batch.add(c.fields).unwrap();
        }
        batch.commit().unwrap();
        let mut early = cycles(1).pop().unwrap().fields;
        early.attempted_on = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        store.create(early, Utc::now()).unwrap();
        // As the window does between writes: read, change, read again.
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
        store.delete(ids[5]).unwrap();
        assert_eq!(
            store.summaries().unwrap(),
            store.summaries_from_cycles().unwrap()
        );
        drop(store);
        check("edited, deleted, batched");

        // Without a whole pack at open, a change packs every summary afresh at close.
        std::fs::write(dir.join(FILE), b"damaged").unwrap();
        drop(log_one(2));
        check("packed afresh");

        // A database to be checked against the journal at its next open leaves none.
        let store = log_one(2);
        store.engine.distrust();
        drop(store);
        assert!(!dir.join(FILE).exists());
    }
}
