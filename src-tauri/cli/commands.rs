//! One function per command: read what it needs, call one core function, print. Input
//! is checked before the database is opened, so a typo or a bad file costs nothing and
//! never locks the window out.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{ExportFormat, RangeArg, ThemeArg};
use super::format::{
    format_cycle, format_list, format_preview, format_stats, to_json_text, write_out,
};
use super::input::{
    new_passphrase, parse_line, passphrase_for, raw_lines, read_draft, read_patch,
    stdin_is_keyboard,
};
use super::sync_format::{format_deleted, format_edited};
use rebound_core::backup::auto;
use rebound_core::backup::restore::{cycles_word, Mode};
use rebound_core::backup::session::RestoreSession;
use rebound_core::charts::Kind;
use rebound_core::demo;
use rebound_core::error::{Error, Result};
use rebound_core::files::write_atomic;
use rebound_core::search::FilterInput;
use rebound_core::store::Store;
use rebound_core::use_cases::{self, Clock};

/// `rebound log [--jsonl]`: store the cycles on stdin and print their new ids.
pub fn log(data_dir: &Path, jsonl: bool, clock: Clock, out: &mut dyn Write) -> Result<()> {
    if !jsonl {
        // Read and parse the one cycle before opening the database, so bad input never
        // even reaches it.
        let draft = read_draft()?;
        let store = open_store(data_dir, clock)?;
        let cycle = use_cases::log_cycle(&store, draft, clock)?;
        return write_out(out, &format!("{}\n", cycle.id));
    }
    let parse = |n, line: Vec<u8>| parse_line(n, &line);
    let ids = if stdin_is_keyboard() {
        // A person typing: read every line first, so the data is not held meanwhile.
        let lines: Vec<_> = raw_lines(std::io::stdin().lock()).collect::<Result<_>>()?;
        let store = open_store(data_dir, clock)?;
        use_cases::log_lines(&store, lines.into_iter().map(Ok), &parse, clock)?
    } else {
        // A pipe or a file, of any length: read a line at a time while the batch is
        // written to the journal, so memory stays bounded. The ids are printed only
        // once the whole batch is saved. The first line is read before the data is
        // opened, so empty input or a first line that is not JSON costs nothing.
        let input = std::io::BufReader::with_capacity(1 << 20, std::io::stdin().lock());
        let mut lines = raw_lines(input);
        let Some(first) = lines.first_draft()? else {
            return Err(use_cases::log_stream_missing());
        };
        let store = open_store(data_dir, clock)?;
        use_cases::log_lines(
            &store,
            std::iter::once(Ok(first)).chain(lines),
            &parse,
            clock,
        )?
    };
    let mut text = String::with_capacity(ids.len() * 37);
    for id in &ids {
        text.push_str(&id.to_string());
        text.push('\n');
    }
    write_out(out, &text)
}

/// `rebound edit ID`: change the fields given as JSON on stdin.
pub fn edit(data_dir: &Path, id: &str, clock: Clock, out: &mut dyn Write) -> Result<()> {
    let patch = read_patch()?;
    let store = open_store(data_dir, clock)?;
    let (cycle, changed) = use_cases::edit_cycle_fields(&store, data_dir, id, patch, clock)?;
    write_out(out, &format_edited(&cycle, &changed))
}

/// `rebound delete ID`: delete one cycle.
pub fn delete(data_dir: &Path, id: &str, clock: Clock, out: &mut dyn Write) -> Result<()> {
    let store = open_store(data_dir, clock)?;
    let cycle = use_cases::delete_cycle(&store, id)?;
    write_out(out, &format_deleted(&cycle))
}

/// `rebound list`: the newest cycles, or those the filter finds.
pub fn list(
    data_dir: &Path,
    filter: &FilterInput,
    limit: usize,
    json: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    // Check the filter before opening anything, so a typo costs nothing.
    let filtered = !filter.check()?.is_empty();
    let store = open_store(data_dir, clock)?;
    let page = use_cases::list_cycles(&store, filter, limit)?;
    let cycles: Vec<_> = page.cycles.into_iter().map(|v| v.cycle).collect();
    if json {
        write_out(out, &to_json_text(&cycles)?)
    } else if cycles.is_empty() && filtered {
        write_out(
            out,
            "No cycles match. Try fewer words or a wider date range.\n",
        )
    } else {
        write_out(out, &format_list(&cycles, page.total))
    }
}

/// `rebound show ID`: one cycle with its nudges.
pub fn show(
    data_dir: &Path,
    id: &str,
    json: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open_store(data_dir, clock)?;
    let detail = use_cases::cycle_detail(&store, id)?;
    if json {
        write_out(out, &to_json_text(&detail)?)
    } else {
        write_out(out, &format_cycle(&detail.cycle.cycle, &detail.nudges))
    }
}

/// `rebound export`: a backup (encrypted unless `plain`) or a readable copy.
pub fn export(
    data_dir: &Path,
    file: &Path,
    plain: bool,
    format: ExportFormat,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    refuse_folder(file)?;
    if let Some(format) = format.readable() {
        let store = open_store(data_dir, clock)?;
        let summary = use_cases::export_readable(&store, file, format, clock)?;
        let said = format!(
            "wrote {} to {} (a readable copy; only a backup can be restored)\n",
            cycles_word(summary.cycles),
            summary.path.display()
        );
        return write_out(out, &said);
    }
    // Ask for the passphrase before opening the database, so the window is not locked
    // out while someone types.
    let passphrase = if plain { None } else { Some(new_passphrase()?) };
    let store = open_store(data_dir, clock)?;
    let summary = use_cases::export_backup(&store, file, passphrase.as_deref(), clock)?;
    let how = if summary.encrypted {
        "an encrypted backup; open it with the passphrase"
    } else {
        "a plain backup; anyone who can open the file can read it"
    };
    let said = format!(
        "wrote {} to {} ({how})\n",
        cycles_word(summary.cycles),
        summary.path.display()
    );
    write_out(out, &said)
}

/// `rebound import FILE`: restore a backup, or with `dry_run` say what it would change.
pub fn import(
    data_dir: &Path,
    file: &Path,
    mode: Mode,
    dry_run: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    // Check the whole file before the database is even opened.
    let mut session = RestoreSession::open(file, data_dir)?;
    let passphrase = if session.is_encrypted() {
        Some(passphrase_for(file)?)
    } else {
        None
    };
    session.check(passphrase.as_deref(), clock)?;
    let store = open_store(data_dir, clock)?;
    if dry_run {
        let preview = session.preview(&store)?;
        return write_out(out, &format_preview(&preview, mode));
    }
    let (_store, summary) = session.apply(&store, data_dir, mode, clock)?;
    let mut text = format!("{}\n", summary.message);
    if let Some(snapshot) = &summary.snapshot {
        text.push_str(&format!(
            "Your data as it was before is kept in {}\n",
            snapshot.display()
        ));
    }
    write_out(out, &text)
}

/// What `rebound chart` draws.
pub struct ChartRequest {
    pub kind: Kind,
    pub file: PathBuf,
    pub theme: ThemeArg,
    pub range: RangeArg,
    pub area: Option<String>,
}

/// `rebound chart KIND --out FILE`: one chart as an SVG file.
pub fn chart(
    data_dir: &Path,
    asked: ChartRequest,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    refuse_folder(&asked.file)?;
    let store = open_store(data_dir, clock)?;
    let dashboard = use_cases::dashboard(&store, asked.range.into(), asked.area, clock)?;
    let view = use_cases::chart_view(&dashboard, asked.kind, asked.theme.into())?;
    write_atomic(&asked.file, view.svg.as_bytes())?;
    let said = format!(
        "wrote the {} chart to {}: {}\n",
        asked.kind.as_str(),
        asked.file.display(),
        view.sentence
    );
    write_out(out, &said)
}

/// `rebound stats`: every measure in words, or as JSON.
pub fn stats(
    data_dir: &Path,
    range: RangeArg,
    json: bool,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open_store(data_dir, clock)?;
    let dashboard = use_cases::dashboard(&store, range.into(), None, clock)?;
    if json {
        write_out(out, &to_json_text(&dashboard)?)
    } else {
        write_out(out, &format_stats(&dashboard))
    }
}

/// `rebound demo`: a made-up history in a new or empty folder.
pub fn demo(
    data_dir: &Path,
    cycles: usize,
    seed: u64,
    clock: Clock,
    out: &mut dyn Write,
) -> Result<()> {
    let store = open_store(data_dir, clock)?;
    let summary = demo::write_demo(&store, cycles, seed, clock)?;
    let first = summary
        .first_day
        .map_or("today".to_string(), |d| d.to_string());
    let said = format!(
        "wrote a made-up history to {}: {} cycles in {} areas from {first}, and {} \
         resilience check-ins. Open it with: rebound --data-dir {}\n",
        data_dir.display(),
        summary.cycles,
        summary.areas,
        summary.checkins,
        data_dir.display()
    );
    write_out(out, &said)
}

/// Open the data, and make today's automatic backup first if one is due (the window
/// makes them too; a person who only uses the command line gets them the same).
pub(super) fn open_store(data_dir: &Path, clock: Clock) -> Result<Store> {
    let store = Store::open(data_dir)?;
    if let Err(e) = auto::run_if_due(&store, data_dir, clock) {
        eprintln!("rebound: today's automatic backup was not made: {e}");
    }
    Ok(store)
}

/// `rebound recover`: rebuild data that will not open from Rebound's own records.
pub fn recover(data_dir: &Path, clock: Clock, out: &mut dyn Write) -> Result<()> {
    match Store::open(data_dir) {
        Ok(_) => {
            let said = format!(
                "the data in {} opens as it is; there is nothing to recover\n",
                data_dir.display()
            );
            return write_out(out, &said);
        }
        Err(
            e @ (Error::AlreadyOpen { .. } | Error::FutureSchema { .. } | Error::DiskFull { .. }),
        ) => return Err(e),
        Err(_) => {}
    }
    let (_store, report) = use_cases::recover(data_dir, clock)?;
    write_out(out, &format!("{}\n", report.sentence()))
}

fn refuse_folder(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder; give a file name",
            path.display()
        )));
    }
    Ok(())
}
