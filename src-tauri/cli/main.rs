//! `rebound`, the command line: a console program on every system (so its output shows
//! in a Windows prompt too), without the window's libraries.

fn main() -> std::process::ExitCode {
    rebound_cli::main()
}
