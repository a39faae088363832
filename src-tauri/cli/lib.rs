//! The command line, `rebound`: a program of its own over the core, which never loads
//! the window's libraries (Tauri, GTK, WebKit), so a command starts in milliseconds.
//! A thin host: `args` says what was asked, `input` reads stdin and passphrases,
//! `commands` calls one core function per command, `format` prints the result (`sync`
//! and `sync_format` the same for `rebound sync`), and `window` hands over to the
//! window's program when no command is given. An error becomes one line on stderr and
//! a non-zero exit.

mod args;
mod commands;
mod format;
mod guidance;
mod input;
mod sync;
mod sync_format;
mod window;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use rebound_core::backup::restore::Mode;
use rebound_core::error::{Error, Result};
use rebound_core::paths;
use rebound_core::search::FilterInput;
use rebound_core::use_cases::Clock;

pub use args::{Cli, Command};
pub use format::{format_cycle, format_list, format_preview, format_stats};
pub use input::{parse_drafts, PASSPHRASE_ENV};
pub use window::WINDOW_PROGRAM;

/// The `rebound` program: a command runs here, without a window; no command opens the
/// window on the same data.
pub fn main() -> ExitCode {
    keep_new_files_private();
    let asked = Cli::parse();
    let Some(command) = asked.command else {
        return window::open(asked.data_dir, asked.in_tray);
    };
    match paths::resolve_data_dir(asked.data_dir) {
        Ok(data_dir) => execute(command, &data_dir),
        Err(e) => fail(&e),
    }
}

/// Run one command and turn its outcome into an exit code, its error into one line.
pub fn execute(command: Command, data_dir: &Path) -> ExitCode {
    let mut out = io::stdout().lock();
    match run(command, data_dir, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        // `rebound list | head` closes the pipe early; that is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Everything this process creates (sled's files, exports) is readable by its owner
/// only: 0600 files, 0700 folders. The core also sets these modes itself on what it
/// writes; this covers files made by libraries.
#[cfg(unix)]
fn keep_new_files_private() {
    rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o077));
}

#[cfg(not(unix))]
fn keep_new_files_private() {}

/// Say what went wrong in one line, and exit with 1.
pub fn fail(error: &Error) -> ExitCode {
    eprintln!("rebound: {error}");
    ExitCode::FAILURE
}

/// Run one subcommand against the data in `data_dir`, writing results to `out`.
pub fn run(command: Command, data_dir: &Path, out: &mut dyn Write) -> Result<()> {
    let clock = Clock::system();
    match command {
        Command::Log { jsonl } => commands::log(data_dir, jsonl, clock, out),
        Command::List {
            json,
            limit,
            search,
            area,
            outcome,
            from,
            to,
            waiting,
        } => {
            let filter = FilterInput {
                search,
                area,
                outcome,
                from,
                to,
                waiting: waiting.then_some(true),
            };
            if waiting {
                guidance::waiting(data_dir, &filter, limit, json, clock, out)
            } else {
                commands::list(data_dir, &filter, limit, json, clock, out)
            }
        }
        Command::Show { id, json } => commands::show(data_dir, &id, json, clock, out),
        Command::Export {
            out: file,
            plain,
            format,
        } => commands::export(data_dir, &file, plain, format, clock, out),
        Command::Import {
            file,
            merge: _,
            replace,
            dry_run,
        } => {
            let mode = if replace { Mode::Replace } else { Mode::Merge };
            commands::import(data_dir, &file, mode, dry_run, clock, out)
        }
        Command::Chart {
            kind,
            out: file,
            theme,
            range,
            area,
        } => {
            let asked = commands::ChartRequest {
                kind: kind.into(),
                file,
                theme,
                range,
                area,
            };
            commands::chart(data_dir, asked, clock, out)
        }
        Command::Stats { json, range } => commands::stats(data_dir, range, json, clock, out),
        Command::Demo { cycles, seed } => commands::demo(data_dir, cycles, seed, clock, out),
        Command::Recover => commands::recover(data_dir, clock, out),
        Command::Edit { id } => commands::edit(data_dir, &id, clock, out),
        Command::Delete { id } => commands::delete(data_dir, &id, clock, out),
        Command::Sync { folder } => sync::sync(data_dir, folder, clock, out),
    }
}
