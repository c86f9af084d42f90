//! The terrain catalogue (`assets/terrain.ron`): the kinds of obstacle and enabler a journey can
//! meet, and the themes journeys are grouped by.
//!
//! Each kind carries what every view needs to show it: labels in English and Norwegian, a
//! definition, how the map draws it (shape, glyph with an ASCII fallback, colour) and where in
//! the sources it comes from. No drawing happens here; the colour is a name that the UI maps.

use serde::{Deserialize, Serialize};

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terrain {
    pub obstacles: Vec<Feature>,
    pub enablers: Vec<Feature>,
    pub themes: Vec<Theme>,
    /// Groups of codes, for the codebook and the REFI-QDA export (a code names its own with
    /// [`Feature::category`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// Codes not yet filed as obstacles or enablers (brought in from a REFI-QDA project).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsorted: Vec<Feature>,
    /// Where each id is, made on the first lookup (every step's codes are looked up many
    /// times over while loading and analysing).
    #[serde(skip)]
    pub index: FeatureIndex,
}

/// Feature ids to their class and position, made once; a hint that a lookup checks, so that
/// a catalogue changed after it was made still answers rightly. Whether any code is an alias
/// is remembered too, and is no hint: whoever sets `merged_into` on a code of a catalogue
/// already looked up resets the index (`Terrain::index = Default::default()`), as the
/// functions of [`crate::model::codebook`] do.
#[derive(Default)]
pub struct FeatureIndex(
    std::sync::OnceLock<std::collections::HashMap<String, (FeatureClass, usize)>>,
    /// Whether any code is an alias: when none is, resolving a code costs nothing.
    std::sync::OnceLock<bool>,
);

impl Clone for FeatureIndex {
    fn clone(&self) -> Self {
        FeatureIndex::default()
    }
}

impl PartialEq for FeatureIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for FeatureIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeatureIndex")
    }
}

/// An obstacle or enabler kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    pub id: String,
    /// English label.
    pub en: String,
    /// Norwegian label, verbatim from the source where it has one.
    pub no: String,
    pub shape: Shape,
    /// One glyph of display width 1.
    pub glyph: String,
    /// One printable ASCII character, for `--ascii`.
    pub ascii: String,
    pub color: NamedColor,
    pub definition: String,
    /// Study and section it comes from ("001, Analyse av likheter og forskjeller").
    pub source: String,
    /// Whose words the Norwegian label `no` is: the source's, or the encoders' own.
    #[serde(default, skip_serializing_if = "Origin::is_unmarked")]
    pub origin: Origin,
    /// The id of a [`Category`] this code is filed under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Set when this code was merged into another: it stays in the catalogue as an alias, so
    /// that notes using it still resolve, and counts as that code everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

/// A group of codes in the codebook, optionally of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub en: String,
    pub no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<FeatureClass>,
}

/// A group of journeys with a common course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub en: String,
    pub no: String,
    /// The landscape image of the theme's course.
    pub image: String,
    pub source: String,
    /// Whose words the Norwegian label `no` is.
    #[serde(default, skip_serializing_if = "Origin::is_unmarked")]
    pub origin: Origin,
    /// Whose image `image` is: the source's landscape image (translated), or the encoders'.
    #[serde(default, skip_serializing_if = "Origin::is_unmarked")]
    pub image_origin: Origin,
}

/// Whose words a catalogue label or theme image is, so that a reader can tell the sources'
/// vocabulary from the encoders'. Written in files as `Source("001, Diskusjon")` or
/// `Coined("after «…» (000, Drøfting)")`; a catalogue that says nothing is `Unmarked`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Origin {
    /// Not said (a catalogue written before origins were marked).
    #[default]
    Unmarked,
    /// The source's own words. The locator names the study and section as the journeys'
    /// locators do ("002, Drøfting, p. 21"); where the label shortens or rearranges the
    /// source's words, the locator quotes them in «».
    Source(String),
    /// The encoders' coinage; the text says what it rests on (the nearest words of the
    /// source, with their locator).
    Coined(String),
}

impl Origin {
    pub fn is_unmarked(&self) -> bool {
        matches!(self, Origin::Unmarked)
    }

    /// Two words for tight places: "source's words" or "encoders' coinage" (nothing if unmarked).
    pub fn tag(&self) -> Option<&'static str> {
        match self {
            Origin::Unmarked => None,
            Origin::Source(_) => Some("source's words"),
            Origin::Coined(_) => Some("encoders' coinage"),
        }
    }

    /// A phrase for legends and exports: "source's words (001, Diskusjon)" or "encoders'
    /// coinage (after …)"; nothing if unmarked.
    pub fn describe(&self) -> Option<String> {
        match self {
            Origin::Unmarked => None,
            Origin::Source(at) => Some(format!("source's words ({at})")),
            Origin::Coined(why) => Some(format!("encoders' coinage ({why})")),
        }
    }
}

/// How the map draws a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    /// A ridge across the route.
    Wall,
    /// Shading over the steps where it holds.
    Fog,
    /// Water across the route: the ground moves.
    Water,
    /// A glyph beside the step.
    Marker,
    /// An enabler that carries the route.
    Path,
    /// An enabler that crosses an obstacle.
    Bridge,
}

/// Whether a kind is an obstacle or an enabler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FeatureClass {
    Obstacle,
    Enabler,
}

/// One of the terminal's 16 named colours, written in files in snake_case (`"light_red"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String", into = "String")]
pub enum NamedColor {
    Black,
    Red,
    Green,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    Gray,
    DarkGray,
    LightRed,
    LightGreen,
    LightYellow,
    LightBlue,
    LightMagenta,
    LightCyan,
    White,
}

impl NamedColor {
    pub const ALL: [NamedColor; 16] = [
        NamedColor::Black,
        NamedColor::Red,
        NamedColor::Green,
        NamedColor::Yellow,
        NamedColor::Blue,
        NamedColor::Magenta,
        NamedColor::Cyan,
        NamedColor::Gray,
        NamedColor::DarkGray,
        NamedColor::LightRed,
        NamedColor::LightGreen,
        NamedColor::LightYellow,
        NamedColor::LightBlue,
        NamedColor::LightMagenta,
        NamedColor::LightCyan,
        NamedColor::White,
    ];

    /// `#rrggbb` for the colour on paper and in QDA programs: a white page, so the light
    /// variants are deepened enough to read and white itself is a light grey.
    pub fn paper_hex(self) -> &'static str {
        match self {
            NamedColor::Black => "#222222",
            NamedColor::Red => "#c0392b",
            NamedColor::Green => "#2e7d32",
            NamedColor::Yellow => "#b58900",
            NamedColor::Blue => "#1f5fa8",
            NamedColor::Magenta => "#8e3a8e",
            NamedColor::Cyan => "#00838f",
            NamedColor::Gray => "#7f8c8d",
            NamedColor::DarkGray => "#4d4d4d",
            NamedColor::LightRed => "#e06666",
            NamedColor::LightGreen => "#5fa55a",
            NamedColor::LightYellow => "#d4a017",
            NamedColor::LightBlue => "#5b9bd5",
            NamedColor::LightMagenta => "#c06cc0",
            NamedColor::LightCyan => "#3aa6b9",
            NamedColor::White => "#bdbdbd",
        }
    }

    /// The named colour nearest to `#rrggbb` on paper (by squared RGB distance), if it is a
    /// colour at all.
    pub fn nearest_hex(hex: &str) -> Option<NamedColor> {
        let rgb = |h: &str| -> Option<(i32, i32, i32)> {
            let h = h.strip_prefix('#').unwrap_or(h);
            if h.len() != 6 || !h.is_ascii() {
                return None;
            }
            let part = |i: usize| i32::from_str_radix(&h[i..i + 2], 16).ok();
            Some((part(0)?, part(2)?, part(4)?))
        };
        let (r, g, b) = rgb(hex)?;
        NamedColor::ALL.into_iter().min_by_key(|c| {
            let (cr, cg, cb) = rgb(c.paper_hex()).unwrap_or((0, 0, 0));
            (cr - r).pow(2) + (cg - g).pow(2) + (cb - b).pow(2)
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            NamedColor::Black => "black",
            NamedColor::Red => "red",
            NamedColor::Green => "green",
            NamedColor::Yellow => "yellow",
            NamedColor::Blue => "blue",
            NamedColor::Magenta => "magenta",
            NamedColor::Cyan => "cyan",
            NamedColor::Gray => "gray",
            NamedColor::DarkGray => "dark_gray",
            NamedColor::LightRed => "light_red",
            NamedColor::LightGreen => "light_green",
            NamedColor::LightYellow => "light_yellow",
            NamedColor::LightBlue => "light_blue",
            NamedColor::LightMagenta => "light_magenta",
            NamedColor::LightCyan => "light_cyan",
            NamedColor::White => "white",
        }
    }
}

impl TryFrom<String> for NamedColor {
    type Error = String;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        NamedColor::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = NamedColor::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown colour '{name}' — expected one of {}",
                    names.join(", ")
                )
            })
    }
}

impl From<NamedColor> for String {
    fn from(c: NamedColor) -> String {
        c.name().to_string()
    }
}

/// The namespace of terreng's name-based REFI-QDA GUIDs (UUID v5).
pub const REFI_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x27ec1845_d333_4327_8f33_85266b765388);

/// The REFI-QDA GUID of a catalogue code: the same in every project and codebook terreng
/// writes, so that a project comes back to the same ids.
pub fn refi_code_guid(id: &str) -> String {
    uuid::Uuid::new_v5(&REFI_NAMESPACE, format!("code:{id}").as_bytes()).to_string()
}

impl Terrain {
    /// The obstacle or enabler with this id, and which of the two it is; an alias (a code
    /// merged into another) answers with the code it was merged into.
    pub fn feature(&self, id: &str) -> Option<(FeatureClass, &Feature)> {
        let found = self.raw_feature(id)?;
        if found.1.merged_into.is_none() {
            return Some(found);
        }
        self.raw_feature(self.resolve(id))
            .filter(|(_, f)| f.merged_into.is_none())
    }

    /// The obstacle or enabler with exactly this id, an alias as itself.
    pub fn raw_feature(&self, id: &str) -> Option<(FeatureClass, &Feature)> {
        let index = self.index.0.get_or_init(|| {
            let mut map = std::collections::HashMap::new();
            for (i, f) in self.enablers.iter().enumerate().rev() {
                map.insert(f.id.clone(), (FeatureClass::Enabler, i));
            }
            // Obstacles first, as the search below finds them first.
            for (i, f) in self.obstacles.iter().enumerate().rev() {
                map.insert(f.id.clone(), (FeatureClass::Obstacle, i));
            }
            map
        });
        if let Some(&(class, i)) = index.get(id) {
            let list = match class {
                FeatureClass::Obstacle => &self.obstacles,
                FeatureClass::Enabler => &self.enablers,
            };
            if let Some(f) = list.get(i).filter(|f| f.id == id) {
                return Some((class, f));
            }
        }
        if let Some(f) = self.obstacles.iter().find(|f| f.id == id) {
            return Some((FeatureClass::Obstacle, f));
        }
        self.enablers
            .iter()
            .find(|f| f.id == id)
            .map(|f| (FeatureClass::Enabler, f))
    }

    /// The id a code counts as: for an alias (`merged_into`), the code it was merged into,
    /// followed through any chain of merges; otherwise the id itself, known or not. A chain
    /// that loops or leads nowhere (which `terreng check` reports) stops at its last known id.
    /// This is the one function every count applies to a code as it reads it.
    pub fn resolve<'a>(&'a self, id: &'a str) -> &'a str {
        let any_alias = *self.index.1.get_or_init(|| {
            self.all_features()
                .map(|(_, f)| f)
                .chain(self.unsorted.iter())
                .any(|f| f.merged_into.is_some())
        });
        if !any_alias {
            return id;
        }
        let mut current = id;
        // A chain longer than the catalogue loops.
        for _ in 0..=self.obstacles.len() + self.enablers.len() + self.unsorted.len() {
            let next = self
                .raw_feature(current)
                .map(|(_, f)| f)
                .or_else(|| self.unsorted.iter().find(|f| f.id == current))
                .and_then(|f| f.merged_into.as_deref());
            match next {
                Some(next) if self.known(next) => current = next,
                _ => return current,
            }
        }
        current
    }

    /// Whether a code with this id is in the catalogue (an alias or an unsorted code too).
    pub fn known(&self, id: &str) -> bool {
        self.raw_feature(id).is_some() || self.unsorted.iter().any(|f| f.id == id)
    }

    pub fn obstacle(&self, id: &str) -> Option<&Feature> {
        match self.feature(id) {
            Some((FeatureClass::Obstacle, f)) => Some(f),
            _ => None,
        }
    }

    pub fn enabler(&self, id: &str) -> Option<&Feature> {
        match self.feature(id) {
            Some((FeatureClass::Enabler, f)) => Some(f),
            _ => None,
        }
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The position of a theme in the catalogue, for ordering journeys by theme.
    pub fn theme_index(&self, id: &str) -> usize {
        self.themes
            .iter()
            .position(|t| t.id == id)
            .unwrap_or(self.themes.len())
    }

    /// Every obstacle then every enabler, aliases left out: the codes that count.
    pub fn features(&self) -> impl Iterator<Item = (FeatureClass, &Feature)> {
        self.all_features().filter(|(_, f)| f.merged_into.is_none())
    }

    /// Every obstacle then every enabler, aliases too (for the codebook and its checks).
    pub fn all_features(&self) -> impl Iterator<Item = (FeatureClass, &Feature)> {
        self.obstacles
            .iter()
            .map(|f| (FeatureClass::Obstacle, f))
            .chain(self.enablers.iter().map(|f| (FeatureClass::Enabler, f)))
    }

    /// The codes merged into `id` (directly or through a chain), in catalogue order.
    pub fn aliases_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Feature> + 'a {
        self.all_features()
            .map(|(_, f)| f)
            .chain(self.unsorted.iter())
            .filter(move |f| f.merged_into.is_some() && f.id != id && self.resolve(&f.id) == id)
    }
}

impl FeatureClass {
    /// "obstacle" or "enabler".
    pub fn name(self) -> &'static str {
        match self {
            FeatureClass::Obstacle => "obstacle",
            FeatureClass::Enabler => "enabler",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(extra: &str) -> Result<Theme, ron::error::SpannedError> {
        ron::from_str(&format!(
            r#"(id: "t", en: "T", no: "T", image: "I", source: "001"{extra})"#
        ))
    }

    #[test]
    fn an_origin_left_out_is_unmarked_and_one_written_is_read() {
        let t = theme("").unwrap();
        assert_eq!(
            (t.origin.clone(), t.image_origin.clone()),
            (Origin::Unmarked, Origin::Unmarked)
        );
        assert_eq!(t.origin.describe(), None);
        let t = theme(r#", origin: Source("001, Diskusjon"), image_origin: Coined("after «x»")"#)
            .unwrap();
        assert_eq!(t.origin, Origin::Source("001, Diskusjon".into()));
        assert_eq!(t.origin.tag(), Some("source's words"));
        assert_eq!(
            t.image_origin.describe().as_deref(),
            Some("encoders' coinage (after «x»)")
        );
        // Unmarked is not written back, so old catalogues round-trip unchanged.
        let out = ron::to_string(&theme("").unwrap()).unwrap();
        assert!(!out.contains("origin"), "{out}");
    }
}
