//! `rebound` with no command opens the window. The window is a program of its own,
//! `rebound-window`, installed beside this one (the .deb and .rpm put both in
//! /usr/bin; a build puts both in the target folder), so that no command ever pays for
//! loading the window's libraries. This module finds it and hands over; it never
//! imports the window's code.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use rebound_core::error::Error;

use crate::fail;

/// The window's program, in the same folder as this one.
pub const WINDOW_PROGRAM: &str = "rebound-window";

/// Open the window on `data_dir` (or its default), by handing over to the window's
/// program; `in_tray`: start in the tray without the window.
pub fn open(data_dir: Option<PathBuf>, in_tray: bool) -> ExitCode {
    let program = match beside_this_program() {
        Ok(program) => program,
        Err(e) => return fail(&e),
    };
    let mut command = Command::new(&program);
    if let Some(dir) = data_dir {
        command.arg("--data-dir").arg(dir);
    }
    if in_tray {
        command.arg("--in-tray");
    }
    hand_over(command, &program)
}

/// Where the window's program should be: beside the running `rebound`.
fn beside_this_program() -> Result<PathBuf, Error> {
    let this = std::env::current_exe()
        .map_err(|e| Error::io("could not find where rebound is installed", e))?;
    let name = format!("{WINDOW_PROGRAM}{}", std::env::consts::EXE_SUFFIX);
    Ok(this.with_file_name(OsStr::new(&name)))
}

fn not_started(program: &Path, source: std::io::Error) -> Error {
    Error::io(
        format!(
            "could not open the window ({}); reinstall Rebound, or in a source tree build \
             the window with `cargo build`",
            program.display()
        ),
        source,
    )
}

/// On Unix the window replaces this process: the same process id, terminal and exit
/// status, as if it had been started directly.
#[cfg(unix)]
fn hand_over(mut command: Command, program: &Path) -> ExitCode {
    use std::os::unix::process::CommandExt;
    // exec only returns if the program could not be started.
    let error = command.exec();
    fail(&not_started(program, error))
}

/// Elsewhere (Windows) the window starts on its own and this console program returns
/// at once, so the prompt is free again.
#[cfg(not(unix))]
fn hand_over(mut command: Command, program: &Path) -> ExitCode {
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(&not_started(program, e)),
    }
}
