//! The command line: the same binary as the window, run with a subcommand. A thin host
//! over `ops`, `backup` and `charts`: it parses arguments, calls one core function,
//! prints the result, and turns an error into one line on stderr and a non-zero exit.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::Value;

use rebound_core::backup;
use rebound_core::charts::{Kind, Theme};
use rebound_core::cycle::Cycle;
use rebound_core::demo;
use rebound_core::error::{Error, Result};
use rebound_core::insights::{Dashboard, Range};
use rebound_core::nudges::Nudge;
use rebound_core::ops::{self, Clock};
use rebound_core::paths;
use rebound_core::readable;
use rebound_core::restore::{self, Mode, Preview};
use rebound_core::search::FilterInput;
use rebound_core::store::Store;
use rebound_core::text::one_line;

/// Largest input `rebound log` reads from stdin.
const MAX_STDIN_BYTES: u64 = 64 * 1024 * 1024;
/// How many cycles `rebound list` shows unless told otherwise.
const DEFAULT_LIST_LIMIT: usize = 20;
/// How much of an attempt one line of `rebound list` shows.
const LIST_ATTEMPT_CHARS: usize = 60;

#[derive(Debug, Parser)]
#[command(
    name = "rebound",
    version,
    about = "Rebound: build resilience by failing on purpose, in small bounded doses, and \
             learning from each failure.",
    long_about = "Rebound: build resilience by failing on purpose, in small bounded doses, and \
                  learning from each failure.\n\nWith no command, opens the Rebound window. \
                  With a command, works on the same data without a window.",
    after_help = "Cycle fields (JSON): see docs/cycle-fields.md"
)]
pub struct Cli {
    /// Folder with Rebound's data [default: the platform's app-data folder, the one the window uses]
    #[arg(long, global = true, env = paths::DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log a cycle given as a JSON object on stdin, and print its new id
    #[command(
        after_help = "Example:\n  echo '{\"area\": \"client pitches\", \"attempt\": \"Pitched \
                            above my usual rate\", \"outcome\": \"failure\", \"difficulty\": 6, \
                            \"stakes\": 3, \"effort\": 4, \"safety\": 3}' | rebound log"
    )]
    Log {
        /// Read one JSON object per line and log them all (all or none)
        #[arg(long)]
        jsonl: bool,
    },
    /// List cycles, newest attempt first; search and filter them
    List {
        /// Print the cycles as a JSON array
        #[arg(long)]
        json: bool,
        /// How many cycles to show
        #[arg(long, value_name = "N", default_value_t = DEFAULT_LIST_LIMIT,
              value_parser = parse_limit)]
        limit: usize,
        /// Only cycles whose text holds every word of TEXT (any case, any text field)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Only cycles in this area (any case)
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
        /// Only cycles with this outcome: success, partial, failure or pending
        #[arg(long, value_name = "OUTCOME")]
        outcome: Option<String>,
        /// Only attempts on or after this day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only attempts on or before this day (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
    /// Show one cycle
    Show {
        /// The cycle's id, or enough of its start to be unique
        id: String,
        /// Print the cycle as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write every cycle to a file: an encrypted backup, unless told otherwise
    #[command(
        after_help = "The passphrase comes from REBOUND_PASSPHRASE, or is asked for \
                            without echo.\nOpen an encrypted backup without Rebound: age -d FILE \
                            (or rage -d FILE)."
    )]
    Export {
        /// Where to write the file
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Write the backup as plain JSON, without a passphrase (anyone can read it)
        #[arg(long)]
        plain: bool,
        /// A backup (restorable), or a readable CSV or Markdown file
        #[arg(long, value_enum, default_value_t = ExportFormat::Backup)]
        format: ExportFormat,
    },
    /// Restore a backup file: merge it (the default) or replace everything with it
    #[command(
        after_help = "Merge adds new cycles and takes the newer copy of changed ones. \
                            Replace makes your cycles exactly the backup's.\nEither way a \
                            snapshot of your data is kept first, in the data folder's \
                            snapshots/.\nAn encrypted backup's passphrase comes from \
                            REBOUND_PASSPHRASE, or is asked for without echo."
    )]
    Import {
        /// The backup file to read
        file: PathBuf,
        /// Add new cycles and take the newer copy of changed ones (the default)
        #[arg(long, conflicts_with = "replace")]
        merge: bool,
        /// Make your cycles exactly the backup's
        #[arg(long)]
        replace: bool,
        /// Check the file and say what would change, without changing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Draw a chart as an SVG file
    Chart {
        /// Which chart
        kind: ChartKind,
        /// Where to write the SVG
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Colours for a light or dark background
        #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
        theme: ThemeArg,
        /// How far back the chart looks
        #[arg(long, value_enum, default_value_t = RangeArg::All)]
        range: RangeArg,
        /// The area the difficulty ladder shows [default: the one practised last]
        #[arg(long, value_name = "AREA")]
        area: Option<String>,
    },
    /// Print what your cycles show: evidence, recovery, aftermath, loop quality,
    /// calibration, predictions and check-ins
    Stats {
        /// Print every measure as JSON
        #[arg(long)]
        json: bool,
        /// How far back to look
        #[arg(long, value_enum, default_value_t = RangeArg::All)]
        range: RangeArg,
    },
    /// Write a made-up, realistic history into a new or empty data folder, to try
    /// Rebound (refuses a folder that holds cycles)
    #[command(
        after_help = "Example:\n  rebound demo --data-dir /tmp/rebound-demo --cycles 400 --seed 7"
    )]
    Demo {
        /// How many cycles to make
        #[arg(long, value_name = "N", default_value_t = 300)]
        cycles: usize,
        /// The same seed makes the same history
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A backup file that Rebound can restore
    Backup,
    /// A spreadsheet, one row per cycle
    Csv,
    /// A document to read or print
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ChartKind {
    /// Setbacks followed by another genuine attempt, over time
    Evidence,
    /// Days from each setback to the next genuine attempt, with the rolling median
    Recovery,
    /// Stress and the sense of a verdict after setbacks
    Aftermath,
    /// Difficulty per attempt in one area, by outcome, with the suggested next band
    Ladder,
    /// Attempts per day over the last 52 weeks
    Calendar,
    /// Loop closed, adjustment tested, tested and better, by month
    Loops,
    /// Brief Resilience Scale score at each check-in
    Brs,
    /// Predicted success against what happened, and the Brier score over time
    Prediction,
}

impl From<ChartKind> for Kind {
    fn from(kind: ChartKind) -> Kind {
        match kind {
            ChartKind::Evidence => Kind::Evidence,
            ChartKind::Recovery => Kind::Recovery,
            ChartKind::Aftermath => Kind::Aftermath,
            ChartKind::Ladder => Kind::Ladder,
            ChartKind::Calendar => Kind::Calendar,
            ChartKind::Loops => Kind::Loops,
            ChartKind::Brs => Kind::Brs,
            ChartKind::Prediction => Kind::Prediction,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RangeArg {
    /// The last 30 days
    #[value(name = "30d")]
    Days30,
    /// The last 90 days
    #[value(name = "90d")]
    Days90,
    /// The last year
    #[value(name = "1y")]
    Year,
    /// Everything
    All,
}

impl From<RangeArg> for Range {
    fn from(range: RangeArg) -> Range {
        match range {
            RangeArg::Days30 => Range::Days30,
            RangeArg::Days90 => Range::Days90,
            RangeArg::Year => Range::Year,
            RangeArg::All => Range::All,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

impl From<ThemeArg> for Theme {
    fn from(theme: ThemeArg) -> Theme {
        match theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        }
    }
}

fn parse_limit(text: &str) -> std::result::Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{text:?} is not a whole number of 1 or more")),
    }
}

/// Parse the arguments and run: a subcommand headless, or the window.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let data_dir = match paths::resolve_data_dir(cli.data_dir) {
        Ok(dir) => dir,
        Err(e) => return fail(&e),
    };
    let Some(command) = cli.command else {
        return crate::desktop::run(data_dir);
    };
    let mut out = io::stdout().lock();
    match run(command, &data_dir, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        // `rebound list | head` closes the pipe early; that is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(error: &Error) -> ExitCode {
    eprintln!("rebound: {error}");
    ExitCode::FAILURE
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("could not write the output", e))
}

fn to_json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| Error::Storage(format!("could not encode the output: {e}")))
}

/// Run one subcommand against the data in `data_dir`, writing results to `out`.
pub fn run(command: Command, data_dir: &Path, out: &mut dyn Write) -> Result<()> {
    let clock = Clock::system();
    match command {
        Command::Log { jsonl } => {
            // Read and parse everything before opening the database, so bad input
            // never even reaches it.
            let drafts = read_drafts(jsonl)?;
            let store = Store::open(data_dir)?;
            let cycles = if jsonl {
                ops::log_cycles(&store, drafts, clock)?
            } else {
                let draft = drafts.into_iter().next().map_or(Value::Null, |(_, d)| d);
                vec![ops::log_cycle(&store, draft, clock)?]
            };
            let ids: String = cycles.iter().map(|c| format!("{}\n", c.id)).collect();
            write_out(out, &ids)
        }
        Command::List {
            json,
            limit,
            search,
            area,
            outcome,
            from,
            to,
        } => {
            let filter = FilterInput {
                search,
                area,
                outcome,
                from,
                to,
            };
            // Check the filter before opening anything, so a typo costs nothing.
            let checked = filter.check()?;
            let store = Store::open(data_dir)?;
            let (cycles, total) = if checked.is_empty() {
                (store.recent(limit, 0)?, store.count())
            } else {
                let page = ops::search_cycles(&store, &filter, limit, 0)?;
                let cycles: Vec<Cycle> = page.cycles.into_iter().map(|v| v.cycle).collect();
                (cycles, page.total)
            };
            if json {
                write_out(out, &to_json_text(&cycles)?)
            } else if cycles.is_empty() && !checked.is_empty() {
                write_out(
                    out,
                    "No cycles match. Try fewer words or a wider date range.\n",
                )
            } else {
                write_out(out, &format_list(&cycles, total))
            }
        }
        Command::Show { id, json } => {
            let store = Store::open(data_dir)?;
            let detail = ops::cycle_detail(&store, &id)?;
            if json {
                write_out(out, &to_json_text(&detail)?)
            } else {
                write_out(out, &format_cycle(&detail.cycle.cycle, &detail.nudges))
            }
        }
        Command::Export {
            out: file,
            plain,
            format,
        } => {
            refuse_folder(&file)?;
            let readable = match format {
                ExportFormat::Backup => None,
                ExportFormat::Csv => Some(readable::Format::Csv),
                ExportFormat::Markdown => Some(readable::Format::Markdown),
            };
            if let Some(format) = readable {
                let store = Store::open(data_dir)?;
                let summary = readable::export(&store, &file, format, clock.now)?;
                return write_out(
                    out,
                    &format!(
                        "wrote {} to {} (a readable copy; only a backup can be restored)\n",
                        restore::cycles_word(summary.cycles),
                        summary.path.display()
                    ),
                );
            }
            // Ask for the passphrase before opening the database, so the window is
            // not locked out while someone types.
            let passphrase = if plain { None } else { Some(new_passphrase()?) };
            let store = Store::open(data_dir)?;
            let summary = backup::export(&store, &file, clock.now, passphrase.as_deref())?;
            let how = if summary.encrypted {
                "an encrypted backup; open it with the passphrase"
            } else {
                "a plain backup; anyone who can open the file can read it"
            };
            write_out(
                out,
                &format!(
                    "wrote {} to {} ({how})\n",
                    restore::cycles_word(summary.cycles),
                    summary.path.display()
                ),
            )
        }
        Command::Import {
            file,
            merge: _,
            replace,
            dry_run,
        } => {
            let mode = if replace { Mode::Replace } else { Mode::Merge };
            // Check the whole file before the database is even opened.
            let bytes = backup::read_bytes(&file)?;
            let passphrase = if backup::is_encrypted(&bytes) {
                Some(passphrase_for(&file)?)
            } else {
                None
            };
            let checked =
                backup::open_bytes(&bytes, passphrase.as_deref(), clock.latest_backup_day())?;
            let store = Store::open(data_dir)?;
            if dry_run {
                let preview = restore::preview(&store, &checked)?;
                return write_out(out, &format_preview(&preview, mode));
            }
            let (_store, summary) = restore::apply(&store, data_dir, &checked, mode, clock.now)?;
            let mut text = format!("{}\n", summary.message);
            if let Some(snapshot) = &summary.snapshot {
                text.push_str(&format!(
                    "Your data as it was before is kept in {}\n",
                    snapshot.display()
                ));
            }
            write_out(out, &text)
        }
        Command::Chart {
            kind,
            out: file,
            theme,
            range,
            area,
        } => {
            refuse_folder(&file)?;
            let kind = Kind::from(kind);
            let store = Store::open(data_dir)?;
            let dashboard = ops::dashboard(&store, range.into(), area, clock)?;
            let view = ops::chart_view(&dashboard, kind, theme.into())?;
            backup::write_atomic(&file, view.svg.as_bytes())?;
            write_out(
                out,
                &format!(
                    "wrote the {} chart to {}: {}\n",
                    kind.as_str(),
                    file.display(),
                    view.sentence
                ),
            )
        }
        Command::Stats { json, range } => {
            let store = Store::open(data_dir)?;
            let dashboard = ops::dashboard(&store, range.into(), None, clock)?;
            if json {
                write_out(out, &to_json_text(&dashboard)?)
            } else {
                write_out(out, &format_stats(&dashboard))
            }
        }
        Command::Demo { cycles, seed } => {
            let store = Store::open(data_dir)?;
            let summary = demo::write_demo(&store, cycles, seed, clock)?;
            write_out(
                out,
                &format!(
                    "wrote a made-up history to {}: {} cycles in {} areas from {}, and {} \
                     resilience check-ins. Open it with: rebound --data-dir {}\n",
                    data_dir.display(),
                    summary.cycles,
                    summary.areas,
                    summary
                        .first_day
                        .map_or("today".to_string(), |d| d.to_string()),
                    summary.checkins,
                    data_dir.display()
                ),
            )
        }
    }
}

/// Environment variable holding the backup passphrase, for scripts.
pub const PASSPHRASE_ENV: &str = "REBOUND_PASSPHRASE";

/// The passphrase for a new encrypted backup: from REBOUND_PASSPHRASE, or asked twice
/// without echo.
fn new_passphrase() -> Result<String> {
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
fn passphrase_for(file: &Path) -> Result<String> {
    match passphrase_from_env() {
        Some(passphrase) => Ok(passphrase),
        None => ask(&format!("Passphrase for {} (not shown): ", file.display())),
    }
}

fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}

fn ask(prompt: &str) -> Result<String> {
    // Only ask a person at a keyboard; a script or a pipe must say it with the variable.
    let at_keyboard = io::stdin().is_terminal() && io::stderr().is_terminal();
    let answer = if at_keyboard {
        rpassword::prompt_password(prompt).ok()
    } else {
        None
    };
    answer.ok_or_else(|| {
        Error::Usage(format!(
            "a passphrase is needed and there is no terminal to ask on; set {PASSPHRASE_ENV}, \
             or use --plain for a backup without one"
        ))
    })
}

/// What `rebound import --dry-run` prints.
pub fn format_preview(p: &Preview, mode: Mode) -> String {
    let range = match (p.first_day, p.last_day) {
        (Some(first), Some(last)) => format!(", attempts from {first} to {last}"),
        _ => String::new(),
    };
    let mut text = format!(
        "A backup from {} with {}{range}.\n  new: {}\n  changed: {} ({} newer in the backup)\n  \
         identical: {}\n  only here: {}\n",
        p.exported_at.format("%Y-%m-%d"),
        restore::cycles_word(p.in_file),
        p.new,
        p.changed,
        p.newer_in_file,
        p.identical,
        p.only_here,
    );
    text.push_str(if p.changes_nothing(mode) {
        "Restoring it would change nothing. (dry run: nothing was changed)\n"
    } else if mode == Mode::Replace {
        "Replace would make your cycles exactly the backup's. (dry run: nothing was changed)\n"
    } else {
        "Merge would add the new cycles and take the newer copy of changed ones. (dry run: nothing was changed)\n"
    });
    text
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

/// Read the JSON drafts for `rebound log` from stdin, each with its line number.
fn read_drafts(jsonl: bool) -> Result<Vec<(usize, Value)>> {
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
    parse_drafts(&text, jsonl)
}

/// Parse `rebound log` input into JSON values with their line numbers, naming the line
/// of any problem.
pub fn parse_drafts(text: &str, jsonl: bool) -> Result<Vec<(usize, Value)>> {
    use rebound_core::error::FieldError;
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

/// The table `rebound list` prints.
pub fn format_list(cycles: &[Cycle], total: usize) -> String {
    if cycles.is_empty() {
        return "No cycles yet. Log your first attempt in the window, or with rebound log \
                (see rebound log --help).\n"
            .to_string();
    }
    let area_width = cycles
        .iter()
        .map(|c| c.fields.area.chars().count().min(24))
        .max()
        .unwrap_or(4)
        .max(4);
    let mut text = format!(
        "{:<36}  {:<10}  {:<7}  {:<area_width$}  ATTEMPT\n",
        "ID", "DATE", "OUTCOME", "AREA"
    );
    for cycle in cycles {
        let f = &cycle.fields;
        text.push_str(&format!(
            "{}  {}  {:<7}  {:<area_width$}  {}\n",
            cycle.id,
            f.attempted_on,
            f.outcome,
            one_line(&f.area, 24),
            one_line(&f.attempt, LIST_ATTEMPT_CHARS),
        ));
    }
    if total > cycles.len() {
        text.push_str(&format!(
            "({} of {total} cycles; --limit N shows more)\n",
            cycles.len()
        ));
    }
    text
}

/// The page `rebound show` prints.
pub fn format_cycle(cycle: &Cycle, nudges: &[Nudge]) -> String {
    let f = &cycle.fields;
    let scale = |v: Option<u8>, max: u8| v.map_or("-".to_string(), |v| format!("{v}/{max}"));
    let mark = |done: bool| if done { "done" } else { "not yet" };
    let stages = cycle.stages();
    let mut text = format!(
        "{}\n\n  id          {}\n  area        {}\n  attempted   {}\n  outcome     {}\n  \
         difficulty  {}   stakes {}   effort {}   safety {}\n  \
         aftermath   stress {}   identity {}\n  \
         stages      attempt {} · observe {} · extract {} · adjust {}\n  \
         logged      {}   updated {}\n",
        f.attempt,
        cycle.id,
        f.area,
        f.attempted_on,
        f.outcome,
        scale(Some(f.difficulty), 10),
        scale(Some(f.stakes), 5),
        scale(Some(f.effort), 5),
        scale(Some(f.safety), 5),
        scale(f.stress, 10),
        scale(f.identity, 10),
        mark(stages.attempt),
        mark(stages.observe),
        mark(stages.extract),
        mark(stages.adjust),
        cycle.created_at.format("%Y-%m-%d %H:%M UTC"),
        cycle.updated_at.format("%Y-%m-%d %H:%M UTC"),
    );
    if let Some(p) = f.predicted_success {
        text.push_str(&format!("  predicted   {p}% chance of success\n"));
    }
    if let Some(tested) = f.tests_cycle {
        let answer = |v: Option<&str>| v.unwrap_or("-").to_string();
        text.push_str(&format!(
            "  tests       the adjustment of {tested}   applied {}   result {}\n",
            answer(f.applied.map(|a| a.as_str())),
            answer(f.result.map(|r| r.as_str())),
        ));
    }
    for (note, body) in f.notes() {
        text.push_str(&format!("\n{}\n", note.label()));
        for line in body.lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    if !nudges.is_empty() {
        text.push_str("\nSuggestions\n");
        for nudge in nudges {
            text.push_str(&format!(
                "  [{} · {}] {}\n",
                nudge.field,
                nudge.rule.name(),
                one_line(&nudge.message, 2000)
            ));
        }
    }
    text
}

/// The summary `rebound stats` prints: each measure's sentence and its key numbers.
pub fn format_stats(d: &Dashboard) -> String {
    let s = &d.sentences;
    let pct = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.0}%"));
    let mut text = format!(
        "Rebound: {} cycles, {} (today {})\n\n",
        d.cycles,
        d.range.phrase(),
        d.today
    );
    let mut section = |title: &str, lines: &[String]| {
        text.push_str(title);
        text.push('\n');
        for line in lines {
            text.push_str("  ");
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
    };
    section(
        "Evidence",
        &[
            s.evidence.clone(),
            format!("total {} · open {}", d.evidence.total, d.evidence.open),
        ],
    );
    section(
        "Recovery time",
        &[
            s.recovery.clone(),
            format!(
                "median {} days over {} returns · {} setbacks waiting",
                d.recovery
                    .median_days
                    .map_or("–".to_string(), |m| format!("{m:.1}")),
                d.recovery.returns,
                d.recovery.open_count
            ),
        ],
    );
    let mut aftermath = vec![s.aftermath.clone()];
    for c in &d.aftermath.changes {
        let one = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1}"));
        aftermath.push(format!(
            "last {} days against the {} before: stress {} → {}, verdict {} → {}",
            c.days,
            c.days,
            one(c.stress_before),
            one(c.stress_recent),
            one(c.identity_before),
            one(c.identity_recent)
        ));
    }
    section("Aftermath", &aftermath);
    let mut loops = vec![s.loops.clone(), s.safety.clone()];
    for g in &d.loops.safety {
        loops.push(format!(
            "{}: loop closed {} · tested {} · better {}",
            g.label,
            pct(g.completed.percent),
            pct(g.tested.percent),
            pct(g.better.percent)
        ));
    }
    section("Loop quality", &loops);
    let mut calibration: Vec<String> = d
        .calibration
        .iter()
        .map(|c| one_line(&c.sentence(d.band), 400))
        .collect();
    if calibration.is_empty() {
        calibration.push("No areas yet.".to_string());
    }
    calibration.push(format!(
        "target band {}–{}% (change it in the window's dashboard)",
        d.band.low, d.band.high
    ));
    section("Calibration", &calibration);
    section("Predictions", std::slice::from_ref(&s.prediction));
    section("Practice", std::slice::from_ref(&s.practice));
    section("Brief Resilience Scale", std::slice::from_ref(&s.brs));
    text
}
