//! Codes as small integers: a [`CodeTable`] interns the code ids of one analysis run, and a
//! step's codes are a [`CodeSet`], a bit set over the table's numbers.
//!
//! A study at XL has 400,000 steps, each with a handful of codes; held as sets of owned strings
//! they cost an allocation per code and a string comparison per lookup. Numbered once, a step's
//! codes are two machine words (a catalogue of up to 128 codes; more spill into a vector), a
//! lookup is a bit test, and merging the codes of several notes is an `or`.
//!
//! The table numbers its codes in the order of their ids, so a set's numbers in ascending order
//! are its codes in the order a `BTreeSet<String>` of them would list them.

use foldhash::{HashMap, HashMapExt};

use crate::model::Terrain;

/// The code ids of one analysis run, each numbered by its rank among them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeTable {
    names: Vec<String>,
    at: HashMap<String, u32>,
}

impl CodeTable {
    /// Every id of the catalogue (obstacles, enablers and unsorted codes, aliases too) and every
    /// id of `extra`.
    pub fn new<'a>(terrain: &'a Terrain, extra: impl IntoIterator<Item = &'a str>) -> CodeTable {
        let catalogue = terrain
            .all_features()
            .map(|(_, f)| f.id.as_str())
            .chain(terrain.unsorted.iter().map(|f| f.id.as_str()));
        CodeTable::of(catalogue.chain(extra))
    }

    /// A table of exactly these ids (repeats are numbered once).
    pub fn of<'a>(ids: impl IntoIterator<Item = &'a str>) -> CodeTable {
        let mut names: Vec<String> = ids.into_iter().map(str::to_string).collect();
        names.sort_unstable();
        names.dedup();
        let mut at = HashMap::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            at.insert(n.clone(), i as u32);
        }
        CodeTable { names, at }
    }

    /// The number of `code`, when the table has it.
    pub fn id(&self, code: &str) -> Option<u32> {
        self.at.get(code).copied()
    }

    /// Where each number of `narrower` (a table of some of these codes) lies in this table:
    /// the map a set of the narrower table is renumbered by.
    pub fn renumbering(&self, narrower: &CodeTable) -> Vec<u32> {
        (0..narrower.len() as u32)
            .map(|i| {
                self.id(narrower.name(i))
                    .expect("the wider table holds the narrower")
            })
            .collect()
    }

    /// The code numbered `id`.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The number of each of `codes` in this table, `None` for a code it does not have.
    pub fn ids(&self, codes: &[&str]) -> Vec<Option<u32>> {
        codes.iter().map(|c| self.id(c)).collect()
    }

    /// For each number of this table, the position of its code in `codes`, if there.
    pub fn positions(&self, codes: &[&str]) -> Vec<Option<usize>> {
        let mut pos = vec![None; self.len()];
        for (i, c) in codes.iter().enumerate() {
            if let Some(id) = self.id(c) {
                pos[id as usize].get_or_insert(i);
            }
        }
        pos
    }
}

/// Words held inline: codes numbered below 128 need no allocation.
const INLINE: usize = 2;

/// A set of code numbers of a [`CodeTable`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CodeSet {
    low: [u64; INLINE],
    high: Vec<u64>,
}

impl CodeSet {
    pub fn new() -> CodeSet {
        CodeSet::default()
    }

    pub fn insert(&mut self, id: u32) {
        let (word, bit) = (id as usize / 64, id % 64);
        if word < INLINE {
            self.low[word] |= 1 << bit;
        } else {
            let w = word - INLINE;
            if self.high.len() <= w {
                self.high.resize(w + 1, 0);
            }
            self.high[w] |= 1 << bit;
        }
    }

    pub fn contains(&self, id: u32) -> bool {
        let (word, bit) = (id as usize / 64, id % 64);
        let w = if word < INLINE {
            self.low[word]
        } else {
            self.high.get(word - INLINE).copied().unwrap_or(0)
        };
        w & (1 << bit) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.words().all(|w| w == 0)
    }

    pub fn len(&self) -> usize {
        self.words().map(|w| w.count_ones() as usize).sum()
    }

    /// Adds every number of `other`.
    pub fn union_with(&mut self, other: &CodeSet) {
        for (a, b) in self.low.iter_mut().zip(&other.low) {
            *a |= b;
        }
        if self.high.len() < other.high.len() {
            self.high.resize(other.high.len(), 0);
        }
        for (a, b) in self.high.iter_mut().zip(&other.high) {
            *a |= b;
        }
    }

    /// The numbers in both.
    pub fn intersection(&self, other: &CodeSet) -> CodeSet {
        let mut low = self.low;
        for (a, b) in low.iter_mut().zip(&other.low) {
            *a &= b;
        }
        let mut high: Vec<u64> = self
            .high
            .iter()
            .zip(&other.high)
            .map(|(a, b)| a & b)
            .collect();
        while high.last() == Some(&0) {
            high.pop();
        }
        CodeSet { low, high }
    }

    /// Whether every number of `self` is in `other`.
    pub fn is_subset(&self, other: &CodeSet) -> bool {
        let theirs = other.words().chain(std::iter::repeat(0));
        self.words().zip(theirs).all(|(a, b)| a & !b == 0)
    }

    /// The set with each number `i` as `map[i]`.
    pub fn renumber(&self, map: &[u32]) -> CodeSet {
        let mut out = CodeSet::new();
        for i in self.iter() {
            out.insert(map[i as usize]);
        }
        out
    }

    /// The numbers, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words().enumerate().flat_map(|(i, mut w)| {
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let bit = w.trailing_zeros();
                    w &= w - 1;
                    i as u32 * 64 + bit
                })
            })
        })
    }

    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        self.low.iter().chain(&self.high).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_ids_order_and_sets_list_them_so() {
        let t = CodeTable::of(["wall", "fog", "wall", "b"]);
        assert_eq!(t.len(), 3, "a repeat is numbered once");
        assert_eq!(
            (t.id("b"), t.id("fog"), t.id("wall")),
            (Some(0), Some(1), Some(2))
        );
        assert_eq!(t.id("nothing"), None);
        let mut s = CodeSet::new();
        s.insert(2);
        s.insert(0);
        let names: Vec<&str> = s.iter().map(|i| t.name(i)).collect();
        assert_eq!(names, ["b", "wall"]);
        assert_eq!(t.positions(&["wall", "x", "b"]), [Some(2), None, Some(0)]);
        // Renumbered into a table with one more code before them all.
        let wider = CodeTable::of(["a", "b", "fog", "wall"]);
        let map: Vec<u32> = (0..3).map(|i| wider.id(t.name(i)).unwrap()).collect();
        let moved = s.renumber(&map);
        let names: Vec<&str> = moved.iter().map(|i| wider.name(i)).collect();
        assert_eq!(names, ["b", "wall"]);
    }

    #[test]
    fn a_set_holds_numbers_past_the_inline_words() {
        let mut a = CodeSet::new();
        assert!(a.is_empty());
        for id in [0, 63, 64, 127, 128, 300] {
            a.insert(id);
        }
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 63, 64, 127, 128, 300]);
        assert_eq!(a.len(), 6);
        assert!(a.contains(300) && !a.contains(299) && !a.contains(5000));
        let mut b = CodeSet::new();
        b.insert(300);
        assert!(b.is_subset(&a) && !a.is_subset(&b));
        b.insert(1);
        assert!(!b.is_subset(&a));
        assert_eq!(b.intersection(&a).iter().collect::<Vec<_>>(), [300]);
        assert_eq!(a.intersection(&b), b.intersection(&a));
        b.union_with(&a);
        assert_eq!(b.len(), 7);
        assert!(a.is_subset(&b));
    }
}
