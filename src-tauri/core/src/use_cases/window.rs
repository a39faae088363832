//! This computer's window: its remembered size and the theme chosen in Settings. Both
//! live in settings.json beside the database (`local_settings`), not in the journal: a
//! restore, or another computer, never changes how this window looks.

use std::path::Path;

use crate::error::Result;
use crate::local_settings::{self, Appearance, ThemeChoice};

/// The size to open the window at: the one saved, else `default`, fitted to a screen of
/// `screen` logical pixels.
pub fn window_size(data_dir: &Path, default: (u32, u32), screen: Option<(u32, u32)>) -> (u32, u32) {
    local_settings::load(data_dir)
        .0
        .window
        .fitted(default, screen)
}

/// Remember the window's size (logical pixels), unless it is already what is saved.
pub fn remember_window_size(data_dir: &Path, width: u32, height: u32) -> Result<()> {
    let saved = local_settings::load(data_dir).0.window;
    if saved.width == Some(width) && saved.height == Some(height) {
        return Ok(());
    }
    local_settings::update(data_dir, |s| {
        s.window.width = Some(width);
        s.window.height = Some(height);
    })
    .map(|_| ())
}

/// How the window looks.
pub fn appearance(data_dir: &Path) -> Appearance {
    local_settings::load(data_dir).0.appearance
}

/// Choose light, dark or the system's theme.
pub fn set_theme(data_dir: &Path, theme: ThemeChoice) -> Result<Appearance> {
    Ok(local_settings::update(data_dir, |s| s.appearance.theme = theme)?.appearance)
}

/// Whether the page found `system-ui` the same as `sans-serif` here, if it has looked.
pub fn plain_sans(data_dir: &Path) -> Option<bool> {
    local_settings::load(data_dir).0.fonts.plain_sans
}

/// Keep what the page found of `system-ui` here (written only when it changed).
pub fn remember_plain_sans(data_dir: &Path, same: bool) -> Result<()> {
    if plain_sans(data_dir) != Some(same) {
        local_settings::update(data_dir, |s| s.fonts.plain_sans = Some(same))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_and_theme_survive_and_fit() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let default = (1100, 760);
        assert_eq!(
            window_size(dir.path(), default, Some((1920, 1080))),
            default
        );
        assert_eq!(
            window_size(dir.path(), default, Some((800, 600))),
            (800, 600)
        );
        remember_window_size(dir.path(), 1300, 900).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            window_size(dir.path(), default, Some((1280, 800))),
            (1280, 800)
        );
        assert_eq!(window_size(dir.path(), default, None), (1300, 900));
        assert_eq!(appearance(dir.path()).theme, ThemeChoice::System);
        set_theme(dir.path(), ThemeChoice::Dark).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(appearance(dir.path()).theme, ThemeChoice::Dark);
        assert_eq!(window_size(dir.path(), default, None), (1300, 900), "kept");
    }
}
