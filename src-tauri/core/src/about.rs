//! What the About panel says: the version, where the data and the backups live, the
//! licence, and the sources of the scales and figures Rebound cites. Plain data built
//! from constants and the data folder; no Tauri, no I/O.

use std::path::Path;

use serde::Serialize;

/// One work Rebound takes an idea, a scale or a number from, with what it is used for
/// and, where it matters, the limits of that evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub title: &'static str,
    pub citation: &'static str,
    pub used_for: &'static str,
    pub limits: Option<&'static str>,
}

/// The sources, in the order the panel lists them.
pub const SOURCES: &[Source] = &[
    Source {
        title: "How to Build Resilience Through Iterative Failure",
        citation: "Essay, Think and Save the World",
        used_for: "The method itself: small, bounded failures on purpose, each followed by \
                   the loop attempt, observe, extract, adjust.",
        limits: None,
    },
    Source {
        title: "Brief Resilience Scale",
        citation: "Smith, B. W., Dalen, J., Wiggins, K., Tooley, E., Christopher, P. and \
                   Bernard, J. (2008). The Brief Resilience Scale: assessing the ability to \
                   bounce back. International Journal of Behavioral Medicine, 15(3), 194–200.",
        used_for: "The optional resilience check-in: its six items, verbatim, and its scoring.",
        limits: Some("A self-report of how quickly you feel you bounce back, not a diagnosis."),
    },
    Source {
        title: "The Eighty Five Percent Rule for optimal learning",
        citation: "Wilson, R. C., Shenhav, A., Straccia, M. and Cohen, J. D. (2019). \
                   Nature Communications, 10, 4646.",
        used_for: "The default target band for how often attempts in an area succeed \
                   (about 85 %).",
        limits: Some(
            "Shown for gradient-descent learners on two-choice tasks, not for people. \
             Treat it as a starting point, not a law.",
        ),
    },
    Source {
        title: "Transformed up-down methods in psychoacoustics",
        citation: "Levitt, H. (1971). Journal of the Acoustical Society of America, 49(2B), \
                   467–477. With: García-Pérez, M. A. (1998). Forced-choice staircases with \
                   fixed step sizes: asymptotic and small-sample properties. Vision Research, \
                   38(12), 1861–1881.",
        used_for: "The staircase behind each area's suggested next difficulty, and the \
                   success rate a rule settles near (4 up, 1 down: about 84 %).",
        limits: Some(
            "Worked out for perception trials set by an experimenter, not for attempts a \
             person chooses in a life: an analogy. Change the rule if it doesn't fit you.",
        ),
    },
    Source {
        title: "A new vector partition of the probability score",
        citation: "Murphy, A. H. (1973). Journal of Applied Meteorology, 12(4), 595–600.",
        used_for: "Splitting the Brier score of your predictions into reliability and \
                   resolution (shown from 30 predictions).",
        limits: Some(
            "With few predictions in each 10 % bin the parts are mostly noise, which is \
             why they wait for 30.",
        ),
    },
];

/// The licence Rebound is released under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Licence {
    pub name: &'static str,
    pub summary: &'static str,
    pub copyright: &'static str,
}

pub const LICENCE: Licence = Licence {
    name: "MIT",
    summary: "Free to use, copy, change and share, with the copyright notice kept. \
              It comes with no warranty.",
    copyright: "Copyright (c) 2026 The Rebound engineers",
};

/// Where backups go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backups {
    /// How exported backups are placed.
    pub exported: &'static str,
    /// What happens automatically, said before the folder.
    pub automatic: &'static str,
    /// The folder automatic backups default to.
    pub automatic_dir: String,
}

/// Everything the About panel shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub name: &'static str,
    pub version: &'static str,
    pub description: &'static str,
    pub data_dir: String,
    /// What uninstalling does to the data folder.
    pub uninstall: &'static str,
    pub backups: Backups,
    pub licence: Licence,
    pub sources: &'static [Source],
}

/// The About panel's contents for a Rebound whose data lives in `data_dir`.
pub fn about(data_dir: &Path) -> About {
    // A damaged settings file reads as the defaults; the Backup view says so.
    let (settings, _) = crate::local_settings::load(data_dir);
    let backups = settings.backups;
    About {
        name: "Rebound",
        version: env!("CARGO_PKG_VERSION"),
        description: env!("CARGO_PKG_DESCRIPTION"),
        data_dir: data_dir.display().to_string(),
        uninstall: "Uninstalling Rebound leaves this folder alone. To remove your data, \
                    delete the folder yourself (export a backup first if you may want it back).",
        backups: Backups {
            exported: "Backups you export are saved wherever you choose in the save dialog.",
            automatic: if backups.enabled {
                "Once a day Rebound also keeps an automatic backup (plain JSON, the newest \
                 few kept) in this folder; choose another, or turn them off, in the Backup view:"
            } else {
                "Automatic daily backups are turned off (turn them on in the Backup view). \
                 When on, they go to this folder:"
            },
            automatic_dir: backups.folder_in(data_dir).display().to_string(),
        },
        licence: LICENCE,
        sources: SOURCES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_packages_and_backups_default_inside_the_data_folder() {
        let dir = Path::new("/home/someone/.local/share/org.rebound.Rebound");
        let about = about(dir);
        assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(about.data_dir, dir.display().to_string());
        assert_eq!(
            about.backups.automatic_dir,
            dir.join("backups").display().to_string()
        );
    }

    #[test]
    fn a_figure_from_outside_research_on_people_says_so() {
        let wilson = SOURCES
            .iter()
            .find(|s| s.title.contains("Eighty Five Percent"))
            .expect("the 85 % rule is cited");
        assert!(wilson.citation.contains("10, 4646"));
        assert!(wilson.limits.is_some_and(|l| l.contains("not for people")));
        let staircase = SOURCES
            .iter()
            .find(|s| s.title.contains("up-down"))
            .expect("the staircase is cited");
        assert!(staircase.limits.is_some_and(|l| l.contains("an analogy")));
    }
}
