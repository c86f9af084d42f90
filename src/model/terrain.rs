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
    /// Codes brought in (from a REFI-QDA project) and not yet filed as obstacles or enablers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsorted: Vec<Feature>,
    /// Where each id is, made on the first lookup (every step's codes are looked up many
    /// times over while loading and analysing).
    #[serde(skip)]
    pub index: FeatureIndex,
}

/// Feature ids to their class and position, made once; a hint that a lookup checks, so that
/// a catalogue changed after it was made still answers rightly.
#[derive(Default)]
pub struct FeatureIndex(
    std::sync::OnceLock<std::collections::HashMap<String, (FeatureClass, usize)>>,
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
    /// The id of the code this one sits under, where the codebook is a hierarchy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The obstacle or enabler with this id, and which of the two it is.
    pub fn feature(&self, id: &str) -> Option<(FeatureClass, &Feature)> {
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

    pub fn obstacle(&self, id: &str) -> Option<&Feature> {
        match self.feature(id) {
            Some((FeatureClass::Obstacle, f)) => Some(f),
            _ => self.obstacles.iter().find(|f| f.id == id),
        }
    }

    pub fn enabler(&self, id: &str) -> Option<&Feature> {
        match self.feature(id) {
            Some((FeatureClass::Enabler, f)) => Some(f),
            _ => self.enablers.iter().find(|f| f.id == id),
        }
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The position of a theme in the catalogue, for ordering journeys by theme.
    pub fn theme_index(&self, id: &str) -> usize {
        self.themes
            .iter()
            .position(|t| t.id == id)
            .unwrap_or(self.themes.len())
    }

    /// Every obstacle then every enabler.
    pub fn features(&self) -> impl Iterator<Item = (FeatureClass, &Feature)> {
        self.obstacles
            .iter()
            .map(|f| (FeatureClass::Obstacle, f))
            .chain(self.enablers.iter().map(|f| (FeatureClass::Enabler, f)))
    }
}
