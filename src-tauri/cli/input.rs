//! What the command line reads from the person: cycles as JSON on stdin, and backup
//! passphrases from the environment or the terminal (never echoed). Parsing only; the
//! core checks every field.

use std::io::{self, BufRead, IsTerminal, Read};
use std::path::Path;

use serde_json::Value;

use rebound_core::backup;
use rebound_core::cycle::CycleDraft;
use rebound_core::error::{Error, FieldError, Result};
use rebound_core::use_cases::Parsed;

/// Largest input `rebound log` (one cycle) and `rebound edit` read from stdin.
const MAX_STDIN_BYTES: u64 = 64 * 1024 * 1024;
/// Longest line `rebound log --jsonl` reads: one cycle, with every text field at its
/// longest, is far shorter. The input as a whole has no limit; it is read line by line.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Environment variable holding the backup passphrase, for scripts.
pub const PASSPHRASE_ENV: &str = "REBOUND_PASSPHRASE";

/// The passphrase for a new encrypted backup: from REBOUND_PASSPHRASE, or asked twice
/// without echo.
pub fn new_passphrase() -> Result<String> {
    if let Some(passphrase) = passphrase_from_env() {
        backup::check_new_passphrase(&passphrase)?;
        return Ok(passphrase);
    }
    let first = ask("Passphrase for the backup (not shown): ")?;
    backup::check_new_passphrase(&first)?;
    let second = ask("The same passphrase again: ")?;
    if first != second {
        return Err(Error::Usage(
            "the two passphrases differ; nothing was written, try again".into(),
        ));
    }
    Ok(first)
}

/// The passphrase of an encrypted backup: from REBOUND_PASSPHRASE, or asked without echo.
pub fn passphrase_for(file: &Path) -> Result<String> {
    match passphrase_from_env() {
        Some(passphrase) => Ok(passphrase),
        None => ask(&format!("Passphrase for {} (not shown): ", file.display())),
    }
}

pub(super) fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}

/// The sync passphrase, the first time this computer syncs: from REBOUND_PASSPHRASE, or
/// asked without echo (twice when this is the first computer, which chooses it).
pub fn sync_passphrase(first_computer: bool) -> Result<String> {
    if let Some(passphrase) = passphrase_from_env() {
        return Ok(passphrase);
    }
    let no_terminal = format!(
        "the first sync on this computer needs the sync passphrase and there is no terminal to \
         ask on; set {PASSPHRASE_ENV}"
    );
    if !first_computer {
        return ask_or(
            "Sync passphrase (the one you chose on your other computer; not shown): ",
            &no_terminal,
        );
    }
    let first = ask_or(
        "Choose a sync passphrase (use the same on every computer; not shown): ",
        &no_terminal,
    )?;
    backup::check_new_passphrase(&first)?;
    let second = ask_or("The same passphrase again: ", &no_terminal)?;
    if first != second {
        return Err(Error::Usage(
            "the two passphrases differ; nothing was synced, try again".into(),
        ));
    }
    Ok(first)
}

fn ask(prompt: &str) -> Result<String> {
    ask_or(
        prompt,
        &format!(
            "a passphrase is needed and there is no terminal to ask on; set {PASSPHRASE_ENV}, \
             or use --plain for a backup without one"
        ),
    )
}

fn ask_or(prompt: &str, no_terminal: &str) -> Result<String> {
    // Only ask a person at a keyboard; a script or a pipe must say it with the variable.
    let at_keyboard = io::stdin().is_terminal() && io::stderr().is_terminal();
    let answer = if at_keyboard {
        rpassword::prompt_password(prompt).ok()
    } else {
        None
    };
    answer.ok_or_else(|| Error::Usage(no_terminal.to_string()))
}

/// Read the one JSON draft for `rebound log` from stdin.
pub fn read_draft() -> Result<Value> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        eprintln!("rebound: reading a cycle as JSON from the keyboard; end with Ctrl-D (see rebound log --help)");
    }
    let mut text = String::new();
    stdin
        .lock()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::io("could not read stdin as UTF-8 text", e))?;
    if text.len() as u64 > MAX_STDIN_BYTES {
        return Err(Error::TooLarge("the input".into(), MAX_STDIN_BYTES));
    }
    let mut drafts = parse_drafts(&text, false)?;
    Ok(drafts.pop().map_or(Value::Null, |(_, d)| d))
}

/// Whether `rebound log --jsonl` reads from a person at a keyboard (then the lines are
/// read whole before the data is opened, so the window is not locked out while someone
/// types).
pub fn stdin_is_keyboard() -> bool {
    let keyboard = io::stdin().is_terminal();
    if keyboard {
        eprintln!("rebound: reading cycles as JSON, one per line, from the keyboard; end with Ctrl-D (see rebound log --help)");
    }
    keyboard
}

/// The lines of `rebound log --jsonl` from `input`, each with its number, read one at a
/// time (any number of lines; each at most [`MAX_LINE_BYTES`]), for [`parse_line`]. A
/// line that is too long ends the stream with an error naming it.
pub fn raw_lines<R: BufRead>(input: R) -> RawLines<R> {
    RawLines {
        input,
        line: 0,
        done: false,
    }
}

/// See [`raw_lines`].
pub struct RawLines<R> {
    input: R,
    line: usize,
    done: bool,
}

impl<R: BufRead> RawLines<R> {
    fn next_line(&mut self) -> Result<Option<(usize, Vec<u8>)>> {
        let mut buffer = Vec::new();
        self.line += 1;
        let n = self.line;
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(|e| Error::io(format!("could not read line {n} of stdin"), e))?;
        if read == 0 {
            return Ok(None);
        }
        if buffer.last() != Some(&b'\n') && buffer.len() > MAX_LINE_BYTES {
            return Err(Error::Invalid(vec![FieldError::new(
                "cycle",
                format!(
                    "on line {n} is longer than {} MiB; each line holds one cycle as one \
                     JSON object (see rebound log --help); nothing was logged",
                    MAX_LINE_BYTES >> 20
                ),
            )]));
        }
        Ok(Some((n, buffer)))
    }

    /// The first line that is not blank, parsed (to check the input before the data is
    /// opened), and the line as it was read.
    pub fn first_draft(&mut self) -> Result<Option<(usize, Vec<u8>)>> {
        while let Some(line) = self.next().transpose()? {
            if parse_line(line.0, &line.1)?.is_some() {
                return Ok(Some(line));
            }
        }
        Ok(None)
    }
}

impl<R: BufRead> Iterator for RawLines<R> {
    type Item = Result<(usize, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_line().transpose();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}

/// The draft on line `n` of `rebound log --jsonl` (or why it is not one): `None` for a
/// blank line, an error naming the line when it is not UTF-8 or not JSON.
pub fn parse_line(n: usize, line: &[u8]) -> Result<Parsed> {
    let text = std::str::from_utf8(line).map_err(|_| {
        Error::Invalid(vec![FieldError::new(
            "cycle",
            format!("on line {n} is not UTF-8 text; nothing was logged"),
        )])
    })?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    CycleDraft::from_json_text(text).map(Some).map_err(|e| {
        Error::Invalid(vec![FieldError::new(
            "cycle",
            format!("is not valid JSON: {e} (line {n})"),
        )])
    })
}

/// Read the JSON object of fields to change for `rebound edit` from stdin.
pub fn read_patch() -> Result<Value> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        eprintln!("rebound: reading the fields to change as JSON from the keyboard; end with Ctrl-D (see rebound edit --help)");
    }
    let mut text = String::new();
    stdin
        .lock()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::io("could not read stdin as UTF-8 text", e))?;
    if text.trim().is_empty() {
        return Err(Error::Usage(
            "the changes are missing: pipe a JSON object of the fields to change into rebound \
             edit (see rebound edit --help); nothing was changed"
                .into(),
        ));
    }
    serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "the changes are not valid JSON ({e}); nothing was changed"
        ))
    })
}

/// Parse `rebound log` input into JSON values with their line numbers, naming the line
/// of any problem.
pub fn parse_drafts(text: &str, jsonl: bool) -> Result<Vec<(usize, Value)>> {
    let bad = |line: Option<usize>, e: serde_json::Error| {
        let at = line.map_or(String::new(), |n| format!(" (line {n})"));
        Error::Invalid(vec![FieldError::new(
            "cycle",
            format!("is not valid JSON: {e}{at}"),
        )])
    };
    if !jsonl {
        if text.trim().is_empty() {
            return Err(Error::Invalid(vec![FieldError::new(
                "cycle",
                "is missing: pipe one JSON object into rebound log (see rebound log --help)",
            )]));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| bad(None, e))?;
        if value.is_array() {
            return Err(Error::Invalid(vec![FieldError::new(
                "cycle",
                "must be one JSON object, not a list; for many cycles use --jsonl with one object per line",
            )]));
        }
        return Ok(vec![(1, value)]);
    }
    let mut drafts = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(line).map_err(|e| bad(Some(n + 1), e))?;
        drafts.push((n + 1, value));
    }
    if drafts.is_empty() {
        return Err(Error::Invalid(vec![FieldError::new(
            "cycle",
            "is missing: pipe one JSON object per line into rebound log --jsonl",
        )]));
    }
    Ok(drafts)
}
