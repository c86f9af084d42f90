//! The user's settings: `config.ron` in the user's config folder (on Linux
//! `~/.config/terreng/config.ron`, or the file named by `TERRENG_CONFIG`). Every field is
//! optional and patches the defaults; the command line overrides the file.
//!
//! ```ron
//! Config(theme: Light, ascii: false)
//! ```

use std::path::PathBuf;

use serde::Deserialize;

use crate::store::{Problem, parse};
use crate::ui::theme::ThemeName;

/// Settings from the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub theme: Option<ThemeName>,
    pub ascii: Option<bool>,
}

/// Where the config file is looked for.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TERRENG_CONFIG") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "terreng").map(|d| d.config_dir().join("config.ron"))
}

/// Where the user's keymap is looked for: the file `TERRENG_KEYMAP` names, else `keymap.ron`
/// in the config folder (on Linux `~/.config/terreng/keymap.ron`). See
/// [`crate::app::keymap`].
pub fn keymap_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TERRENG_KEYMAP") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "terreng").map(|d| d.config_dir().join("keymap.ron"))
}

/// The config file's settings; defaults when there is none, and a problem when it is broken
/// (the app then starts with the defaults and says so).
pub fn load() -> (Config, Option<Problem>) {
    let Some(path) = path() else {
        return (Config::default(), None);
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return (Config::default(), None);
    };
    let name = path.display().to_string();
    let parsed = parse::as_text(&name, &bytes, "Config").and_then(|text| parse::parse(&name, text));
    match parsed {
        Ok(c) => (c, None),
        Err(p) => (Config::default(), Some(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_optional_and_unknown_ones_are_errors() {
        let c: Config = parse::parse("c", "Config(theme: Light)").unwrap();
        assert_eq!(
            c,
            Config {
                theme: Some(ThemeName::Light),
                ascii: None
            }
        );
        let c: Config = parse::parse("c", "()").unwrap();
        assert_eq!(c, Config::default());
        let e = parse::parse::<Config>("c", "Config(colour: Light)").unwrap_err();
        assert!(
            e.to_string().starts_with("c:1:8: unknown field 'colour'"),
            "{e}"
        );
    }
}
