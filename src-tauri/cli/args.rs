//! The command line's arguments, as clap reads them, and how each maps onto the core's
//! own types. Nothing here touches data.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use rebound_core::backup::readable;
use rebound_core::charts::{Kind, Theme};
use rebound_core::insights::Range;
use rebound_core::paths;

/// How many cycles `rebound list` shows unless told otherwise.
const DEFAULT_LIST_LIMIT: usize = 20;

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

    /// Open in the tray without the window (how a start at login opens Rebound)
    #[arg(long, hide = true)]
    pub in_tray: bool,

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
        /// Read one JSON object per line and log them all (all or none; any number of
        /// lines, each at most 1 MiB)
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
        /// Only what waits for you: outcomes to record and reflections to finish
        #[arg(long)]
        waiting: bool,
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
    /// Change some fields of one cycle, given as a JSON object on stdin (checked like
    /// any cycle; the other fields stay as they are)
    #[command(
        after_help = "Example:\n  echo '{\"outcome\": \"failure\", \"observation\": \"They went \
                            quiet at the pricing slide\"}' | rebound edit 0193a1b2"
    )]
    Edit {
        /// The cycle's id, or enough of its start to be unique
        id: String,
    },
    /// Delete one cycle (on your other computers too, when they next sync)
    Delete {
        /// The cycle's id, or enough of its start to be unique
        id: String,
    },
    /// Sync with your other computers through a folder your sync tool already keeps in
    /// step (Syncthing, Dropbox, iCloud Drive, OneDrive, a USB stick)
    #[command(
        after_help = "The folder is remembered after the first sync. Each computer writes only \
                      its own encrypted files there; the live database never goes in it.\nThe \
                      sync passphrase (the same on every computer) is needed the first time: it \
                      comes from REBOUND_PASSPHRASE, or is asked for without echo.\nSee \
                      docs/sync.md."
    )]
    Sync {
        /// The sync folder [default: the one used last time]
        #[arg(long, value_name = "DIR")]
        folder: Option<PathBuf>,
    },
    /// Rebuild data that will not open from Rebound's own records (its recovery
    /// journal, or the newest automatic backup); the damaged database is kept aside
    Recover,
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

impl ExportFormat {
    /// The readable format asked for, or None for a restorable backup.
    pub fn readable(self) -> Option<readable::Format> {
        match self {
            ExportFormat::Backup => None,
            ExportFormat::Csv => Some(readable::Format::Csv),
            ExportFormat::Markdown => Some(readable::Format::Markdown),
        }
    }
}
