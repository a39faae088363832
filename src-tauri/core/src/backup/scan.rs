//! Reading a backup document as a stream, a piece at a time, so that a backup of any
//! size is checked in bounded memory: the top-level fields are handed over as their
//! JSON text, and the items of the `cycles` list one by one, while the list's exact
//! bytes are hashed for the document's checksum. Nothing here knows what a field means
//! (that is `check`); this only finds where each value begins and ends.
//!
//! Values are delimited here (strings with their escapes, nested lists and objects) and
//! parsed by serde_json there, so every value that is used is checked as JSON; a field
//! nobody asked for is skipped without being held, however deep it nests.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

use crate::error::Error;

/// A top-level field other than the cycles is at most this long as text (a century of
/// daily check-ins takes about 2 MB).
const FIELD_MAX: usize = 64 << 20;
/// One item of the cycles list is at most this long as text; the longest cycle Rebound
/// accepts is far shorter, so a longer one is refused by its fields' limits long before.
const CYCLE_MAX: usize = 64 << 20;
/// Lists and objects nested deeper than this, anywhere, end the reading.
const DEPTH_MAX: usize = 1 << 20;
const BUFFER: usize = 1 << 16;

/// Why a document could not be read as one JSON object.
#[derive(Debug)]
pub(super) enum Problem {
    /// Nothing but blanks.
    Empty,
    /// The first thing in it is not `{`: the bytes buffered from there on, for telling
    /// other JSON from what is not JSON at all.
    NotObject(Vec<u8>),
    /// It ends inside the document.
    Eof,
    /// It is not JSON at this line and column (1-based).
    Syntax { line: usize, column: usize },
    /// A value far longer, or nested far deeper, than any Rebound backup holds.
    Oversized(&'static str),
    /// The bytes could not be read.
    Io(io::Error),
    /// The one being handed the pieces stopped the reading.
    Stopped(Error),
}

/// The one handed the pieces of a document.
pub(super) trait Visit {
    /// Whether to be handed the top-level field `key` (other fields are skipped).
    fn wants(&self, key: &str) -> bool;
    /// A top-level field and the text of its value. The `cycles` field comes here only
    /// when it is not a list, or comes twice.
    fn field(&mut self, key: String, text: Vec<u8>);
    /// The item at `position` (from 1) of the `cycles` list, as text.
    fn cycle(&mut self, position: usize, text: &[u8]) -> Result<(), Error>;
}

/// What reading a whole document found besides what the visitor was handed.
pub(super) struct Scanned {
    /// The SHA-256 state over the `cycles` list's exact bytes, if it had a list.
    pub cycles_hash: Option<Sha256>,
}

/// Read one JSON object from `input`, handing its pieces to `visit`.
pub(super) fn scan(input: &mut dyn Read, visit: &mut dyn Visit) -> Result<Scanned, Problem> {
    let mut r = Input::new(input);
    r.skip_blanks()?;
    match r.peek()? {
        None => return Err(Problem::Empty),
        Some(b'{') => r.bump(),
        Some(_) => return Err(Problem::NotObject(r.buf[r.pos..r.end].to_vec())),
    }
    let mut cycles_hash = None;
    r.skip_blanks()?;
    if r.peek()? == Some(b'}') {
        r.bump();
    } else {
        loop {
            r.skip_blanks()?;
            let key = r.key()?;
            r.skip_blanks()?;
            r.expect(b':')?;
            r.skip_blanks()?;
            if key == "cycles" && cycles_hash.is_none() && r.peek()? == Some(b'[') {
                cycles_hash = Some(r.cycles(visit)?);
            } else if visit.wants(&key) {
                let text = r.kept(FIELD_MAX, "a field")?;
                visit.field(key, text);
            } else {
                r.value()?;
            }
            r.skip_blanks()?;
            match r.peek()? {
                Some(b',') => r.bump(),
                Some(b'}') => {
                    r.bump();
                    break;
                }
                None => return Err(Problem::Eof),
                Some(_) => return Err(r.syntax()),
            }
        }
    }
    r.skip_blanks()?;
    if r.peek()?.is_some() {
        return Err(r.syntax());
    }
    Ok(Scanned { cycles_hash })
}

/// The bytes being read, a buffer at a time. The span from `mark` to `pos` is handed
/// to the hash and the kept text (when either is on) before the buffer moves on.
struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    mark: usize,
    hash: Option<Sha256>,
    keep: Option<Vec<u8>>,
    keep_max: usize,
    keep_what: &'static str,
    /// Lines ended before this buffer, and the stream offset where the current line
    /// began when it began before this buffer: for error positions.
    lines_before: usize,
    line_start: u64,
    offset: u64,
}

impl<R: Read> Input<R> {
    fn new(inner: R) -> Input<R> {
        Input {
            inner,
            buf: vec![0; BUFFER],
            pos: 0,
            end: 0,
            mark: 0,
            hash: None,
            keep: None,
            keep_max: 0,
            keep_what: "",
            lines_before: 0,
            line_start: 0,
            offset: 0,
        }
    }

    /// Hand the span read since `mark` to the hash and the kept text.
    fn flush(&mut self) -> Result<(), Problem> {
        let span = &self.buf[self.mark..self.pos];
        if let Some(hash) = &mut self.hash {
            hash.update(span);
        }
        if let Some(keep) = &mut self.keep {
            if keep.len() + span.len() > self.keep_max {
                return Err(Problem::Oversized(self.keep_what));
            }
            keep.extend_from_slice(span);
        }
        self.mark = self.pos;
        Ok(())
    }

    /// Make sure a byte is buffered at `pos`; false at the end of the input.
    fn fill(&mut self) -> Result<bool, Problem> {
        if self.pos < self.end {
            return Ok(true);
        }
        self.flush()?;
        let done = &self.buf[..self.end];
        let newlines = done.iter().filter(|&&b| b == b'\n').count();
        if let Some(last) = done.iter().rposition(|&b| b == b'\n') {
            self.line_start = self.offset + last as u64 + 1;
        }
        self.lines_before += newlines;
        self.offset += self.end as u64;
        self.pos = 0;
        self.mark = 0;
        self.end = loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Problem::Io(e)),
            }
        };
        Ok(self.end > 0)
    }

    fn peek(&mut self) -> Result<Option<u8>, Problem> {
        Ok(if self.fill()? {
            Some(self.buf[self.pos])
        } else {
            None
        })
    }

    fn bump(&mut self) {
        self.pos += 1;
    }

    /// A syntax error at the byte about to be read.
    fn syntax(&self) -> Problem {
        let here = &self.buf[..self.pos.min(self.end)];
        let (line, column) = match here.iter().rposition(|&b| b == b'\n') {
            Some(last) => (
                self.lines_before + here.iter().filter(|&&b| b == b'\n').count(),
                self.pos - last,
            ),
            None => (
                self.lines_before,
                (self.offset + self.pos as u64 - self.line_start) as usize + 1,
            ),
        };
        Problem::Syntax {
            line: line + 1,
            column,
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Problem> {
        match self.peek()? {
            Some(b) if b == byte => {
                self.bump();
                Ok(())
            }
            None => Err(Problem::Eof),
            Some(_) => Err(self.syntax()),
        }
    }

    fn skip_blanks(&mut self) -> Result<(), Problem> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek()? {
            self.bump();
        }
        Ok(())
    }

    /// A string, from its opening quote to just past its closing one.
    fn string(&mut self) -> Result<(), Problem> {
        self.expect(b'"')?;
        loop {
            if !self.fill()? {
                return Err(Problem::Eof);
            }
            match memchr::memchr2(b'"', b'\\', &self.buf[self.pos..self.end]) {
                None => self.pos = self.end,
                Some(at) if self.buf[self.pos + at] == b'"' => {
                    self.pos += at + 1;
                    return Ok(());
                }
                Some(at) => {
                    // A backslash: the next byte is escaped, whatever it is.
                    self.pos += at + 1;
                    if !self.fill()? {
                        return Err(Problem::Eof);
                    }
                    self.bump();
                }
            }
        }
    }

    /// One value of any kind, skipped over. Lists and objects are matched bracket for
    /// bracket without recursion; what lies between is left for serde_json to check
    /// when the value is used.
    fn value(&mut self) -> Result<(), Problem> {
        match self.peek()? {
            None => Err(Problem::Eof),
            Some(b'"') => self.string(),
            Some(b'{' | b'[') => self.nested(),
            Some(b',' | b':' | b'}' | b']') => Err(self.syntax()),
            Some(_) => {
                // A number, true, false or null: up to the next delimiter.
                while let Some(b) = self.peek()? {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.bump();
                }
                Ok(())
            }
        }
    }

    fn nested(&mut self) -> Result<(), Problem> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            let Some(b) = self.peek()? else {
                return Err(Problem::Eof);
            };
            match b {
                b'"' => self.string()?,
                b'{' | b'[' => {
                    if open.len() >= DEPTH_MAX {
                        return Err(Problem::Oversized("nesting"));
                    }
                    open.push(if b == b'{' { b'}' } else { b']' });
                    self.bump();
                }
                b'}' | b']' => {
                    if open.pop() != Some(b) {
                        return Err(self.syntax());
                    }
                    self.bump();
                    if open.is_empty() {
                        return Ok(());
                    }
                }
                _ => self.bump(),
            }
        }
    }

    /// Read one value and return its text, at most `max` bytes of it.
    fn kept(&mut self, max: usize, what: &'static str) -> Result<Vec<u8>, Problem> {
        self.kept_into(Vec::new(), max, what)
    }

    fn kept_into(
        &mut self,
        mut into: Vec<u8>,
        max: usize,
        what: &'static str,
    ) -> Result<Vec<u8>, Problem> {
        self.flush()?;
        into.clear();
        self.keep = Some(into);
        self.keep_max = max;
        self.keep_what = what;
        let read = self.value().and_then(|()| self.flush());
        let kept = self.keep.take().unwrap_or_default();
        read.map(|()| kept)
    }

    /// A field's name.
    fn key(&mut self) -> Result<String, Problem> {
        match self.peek()? {
            Some(b'"') => {}
            None => return Err(Problem::Eof),
            Some(_) => return Err(self.syntax()),
        }
        let at = self.syntax();
        let text = self.kept(FIELD_MAX, "a field's name")?;
        serde_json::from_slice(&text).map_err(|_| at)
    }

    /// The `cycles` list, item by item, hashing its exact bytes from `[` to `]`.
    fn cycles(&mut self, visit: &mut dyn Visit) -> Result<Sha256, Problem> {
        self.flush()?;
        self.hash = Some(Sha256::new());
        self.expect(b'[')?;
        self.skip_blanks()?;
        let mut item = Vec::new();
        if self.peek()? == Some(b']') {
            self.bump();
        } else {
            let mut position = 0;
            loop {
                position += 1;
                item = self.kept_into(item, CYCLE_MAX, "a cycle")?;
                visit.cycle(position, &item).map_err(Problem::Stopped)?;
                self.skip_blanks()?;
                match self.peek()? {
                    Some(b',') => {
                        self.bump();
                        self.skip_blanks()?;
                    }
                    Some(b']') => {
                        self.bump();
                        break;
                    }
                    None => return Err(Problem::Eof),
                    Some(_) => return Err(self.syntax()),
                }
            }
        }
        self.flush()?;
        Ok(self.hash.take().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Seen {
        fields: Vec<(String, String)>,
        cycles: Vec<(usize, String)>,
    }

    impl Visit for Seen {
        fn wants(&self, key: &str) -> bool {
            key != "skip"
        }
        fn field(&mut self, key: String, text: Vec<u8>) {
            self.fields.push((key, String::from_utf8(text).unwrap()));
        }
        fn cycle(&mut self, position: usize, text: &[u8]) -> Result<(), Error> {
            self.cycles
                .push((position, String::from_utf8(text.to_vec()).unwrap()));
            Ok(())
        }
    }

    fn scanned(text: &str) -> Result<(Seen, Option<String>), Problem> {
        let mut seen = Seen::default();
        // One byte at a time, so that every value crosses a buffer's end.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let whole = scan(&mut text.as_bytes(), &mut Seen::default()).map(|s| s.cycles_hash);
        let out = scan(&mut Trickle(text.as_bytes()), &mut seen)?;
        let hex = |h: Sha256| format!("{:x}", h.finalize());
        let hash = out.cycles_hash.map(hex);
        assert_eq!(whole.ok().flatten().map(hex), hash);
        Ok((seen, hash))
    }

    #[test]
    fn fields_and_cycles_come_out_as_their_exact_text() {
        let text = "{ \"a\" : 1 ,\"b\":\"x\\\"}]\" ,\n \"cycles\": [ {\"k\": [1, {\"v\": \"]\"}]} ,\n\
                    {\"k\":2} ], \"skip\": [[[{}]], {\"x\": \"]\"}], \"c\": {\"d\": [true, null]}}  \n";
        let (seen, hash) = scanned(text).map_err(|e| format!("{e:?}")).unwrap();
        assert_eq!(
            seen.fields,
            [
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "\"x\\\"}]\"".to_string()),
                ("c".to_string(), "{\"d\": [true, null]}".to_string()),
            ]
        );
        assert_eq!(
            seen.cycles,
            [
                (1, "{\"k\": [1, {\"v\": \"]\"}]}".to_string()),
                (2, "{\"k\":2}".to_string())
            ]
        );
        let list = "[ {\"k\": [1, {\"v\": \"]\"}]} ,\n{\"k\":2} ]";
        assert_eq!(hash, Some(format!("{:x}", Sha256::digest(list))));
    }

    #[test]
    fn an_empty_list_and_an_empty_object_read() {
        let (seen, hash) = scanned("{\"cycles\":[]}").unwrap();
        assert!(seen.cycles.is_empty());
        assert_eq!(hash, Some(format!("{:x}", Sha256::digest("[]"))));
        let (seen, hash) = scanned(" {} ").unwrap();
        assert!(seen.fields.is_empty() && hash.is_none());
    }

    #[test]
    fn a_second_cycles_field_or_one_that_is_not_a_list_is_handed_over_as_a_field() {
        let (seen, hash) = scanned("{\"cycles\": {\"a\": 1}}").unwrap();
        assert!(hash.is_none());
        assert_eq!(seen.fields[0].0, "cycles");
        let (seen, hash) = scanned("{\"cycles\": [], \"cycles\": [1]}").unwrap();
        assert!(hash.is_some());
        assert_eq!(seen.fields, [("cycles".to_string(), "[1]".to_string())]);
    }

    #[test]
    fn what_is_not_one_json_object_is_named() {
        assert!(matches!(scanned(" \n"), Err(Problem::Empty)));
        assert!(matches!(scanned("[1]"), Err(Problem::NotObject(_))));
        assert!(matches!(scanned("{\"a\": [1, 2"), Err(Problem::Eof)));
        assert!(matches!(scanned("{\"a\": \"open"), Err(Problem::Eof)));
        assert!(matches!(scanned("{\"a\": 1"), Err(Problem::Eof)));
        assert!(matches!(
            scanned("{\"a\": 1}\n x"),
            Err(Problem::Syntax { line: 2, column: 2 })
        ));
        assert!(matches!(
            scanned("{\"a\": [1}"),
            Err(Problem::Syntax { line: 1, column: 9 })
        ));
        assert!(matches!(scanned("{a: 1}"), Err(Problem::Syntax { .. })));
        assert!(matches!(scanned("{\"a\" 1}"), Err(Problem::Syntax { .. })));
        assert!(matches!(
            scanned("{\"cycles\": [1 2]}"),
            Err(Problem::Syntax { .. })
        ));
    }

    #[test]
    fn a_deep_value_that_is_skipped_costs_no_recursion() {
        let deep = format!(
            "{{\"skip\": {}{}}}",
            "[".repeat(200_000),
            "]".repeat(200_000)
        );
        assert!(scanned(&deep).is_ok());
    }
}
