//! [`Map`]: the names and values of a map value or of a resource's
//! properties.

use std::borrow::Borrow;
use std::fmt;

use crate::Value;

/// Values by name, in name order, kept as one sorted vector.
///
/// Most maps a plan or a template holds have a handful of entries (a port
/// mapping, a tag, a health check) and there are hundreds of thousands of
/// them in a large project: a B-tree node sized for eleven entries costs
/// about ten times what such a map holds, and following its pointers costs
/// time. A sorted vector holds exactly its entries, iterates in the same
/// order a `BTreeMap` would (reports depend on it) and finds a name by
/// binary search. Inserting into the middle shifts the entries after it,
/// which is cheap at these sizes; a map built from many entries at once
/// (`collect`) is sorted once.
#[derive(Clone, PartialEq, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    pub const fn new() -> Map {
        Map {
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).ok().map(|at| &self.entries[at].1)
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).ok().map(|at| &mut self.entries[at].1)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it had.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.remove_entry(key).map(|(_, value)| value)
    }

    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(String, Value)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).ok().map(|at| self.entries.remove(at))
    }

    /// The entry for `key`, to fill it in place when it is absent.
    pub fn entry(&mut self, key: String) -> Entry<'_> {
        match self.position(&key) {
            Ok(at) => Entry::Occupied(OccupiedEntry { map: self, at }),
            Err(at) => Entry::Vacant(VacantEntry { map: self, at, key }),
        }
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn first_key_value(&self) -> Option<(&String, &Value)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

/// The value of a name that is there (panics when it is not, as a
/// `BTreeMap` does).
impl<Q> std::ops::Index<&Q> for Map
where
    String: Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = Value;

    fn index(&self, key: &Q) -> &Value {
        self.get(key).expect("no entry for this name")
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Built from entries in any order; of several with the same name the last
/// one wins, as inserting them one by one would.
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(entries: I) -> Map {
        let mut entries: Vec<(String, Value)> = entries.into_iter().collect();
        sort_keeping_last(&mut entries);
        entries.shrink_to_fit();
        Map { entries }
    }
}

impl<const N: usize> From<[(String, Value); N]> for Map {
    fn from(entries: [(String, Value); N]) -> Map {
        entries.into_iter().collect()
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, entries: I) {
        let before = self.entries.len();
        self.entries.extend(entries);
        if self.entries.len() > before {
            // The new entries come after the old ones, so a stable sort
            // leaves each name's newest entry last.
            sort_keeping_last(&mut self.entries);
        }
    }
}

/// Sorts by name (stably) and keeps, of each name, the entry that came last.
fn sort_keeping_last(entries: &mut Vec<(String, Value)>) {
    if entries.is_sorted_by(|a, b| a.0 < b.0) {
        return;
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // `dedup_by` keeps the first of a run and passes (later, earlier): move
    // the later value into the earlier slot before dropping the later one.
    entries.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(&mut later.1, &mut earlier.1);
            true
        } else {
            false
        }
    });
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'m> IntoIterator for &'m Map {
    type Item = (&'m String, &'m Value);
    type IntoIter = Iter<'m>;

    fn into_iter(self) -> Iter<'m> {
        self.iter()
    }
}

impl<'m> IntoIterator for &'m mut Map {
    type Item = (&'m String, &'m mut Value);
    type IntoIter = IterMut<'m>;

    fn into_iter(self) -> IterMut<'m> {
        self.iter_mut()
    }
}

/// The entries of a [`Map`], in name order.
#[derive(Clone)]
pub struct Iter<'m>(std::slice::Iter<'m, (String, Value)>);

impl<'m> Iterator for Iter<'m> {
    type Item = (&'m String, &'m Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// The entries of a [`Map`], in name order, values writable.
pub struct IterMut<'m>(std::slice::IterMut<'m, (String, Value)>);

impl<'m> Iterator for IterMut<'m> {
    type Item = (&'m String, &'m mut Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl ExactSizeIterator for IterMut<'_> {}

/// A place in a [`Map`] for one name: [`Map::entry`].
pub enum Entry<'m> {
    Occupied(OccupiedEntry<'m>),
    Vacant(VacantEntry<'m>),
}

pub struct OccupiedEntry<'m> {
    map: &'m mut Map,
    at: usize,
}

pub struct VacantEntry<'m> {
    map: &'m mut Map,
    at: usize,
    key: String,
}

impl<'m> Entry<'m> {
    pub fn or_insert(self, value: Value) -> &'m mut Value {
        self.or_insert_with(|| value)
    }

    pub fn or_insert_with(self, make: impl FnOnce() -> Value) -> &'m mut Value {
        match self {
            Entry::Occupied(occupied) => occupied.into_mut(),
            Entry::Vacant(vacant) => vacant.insert(make()),
        }
    }
}

impl<'m> OccupiedEntry<'m> {
    pub fn get(&self) -> &Value {
        &self.map.entries[self.at].1
    }

    pub fn get_mut(&mut self) -> &mut Value {
        &mut self.map.entries[self.at].1
    }

    pub fn into_mut(self) -> &'m mut Value {
        &mut self.map.entries[self.at].1
    }
}

impl<'m> VacantEntry<'m> {
    pub fn insert(self, value: Value) -> &'m mut Value {
        self.map.entries.insert(self.at, (self.key, value));
        &mut self.map.entries[self.at].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn keeps_names_in_order_whatever_order_they_come_in() {
        let mut map = Map::new();
        for name in ["b", "c", "a"] {
            assert_eq!(map.insert(name.to_owned(), s(name)), None);
        }
        let names: Vec<&String> = map.keys().collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(map.insert("b".to_owned(), s("B")), Some(s("b")));
        assert_eq!(map.get("b"), Some(&s("B")));
        assert_eq!(map.remove("a"), Some(s("a")));
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn of_repeated_names_the_last_wins_as_with_inserts() {
        let map: Map = [("b", "1"), ("a", "2"), ("b", "3"), ("a", "4"), ("c", "5")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), s(v)))
            .collect();
        let entries: Vec<(&String, &Value)> = map.iter().collect();
        assert_eq!(
            entries,
            [
                (&"a".to_owned(), &s("4")),
                (&"b".to_owned(), &s("3")),
                (&"c".to_owned(), &s("5"))
            ]
        );
        let mut extended = map.clone();
        extended.extend([("a".to_owned(), s("6")), ("d".to_owned(), s("7"))]);
        assert_eq!(extended.get("a"), Some(&s("6")));
        assert_eq!(extended.keys().last().map(String::as_str), Some("d"));
    }

    #[test]
    fn entries_fill_in_place() {
        let mut map = Map::new();
        *map.entry("n".to_owned()).or_insert(Value::Null) = s("x");
        map.entry("n".to_owned()).or_insert_with(|| s("y"));
        map.entry("m".to_owned()).or_insert(Value::Null);
        assert_eq!(map.get("n"), Some(&s("x")));
        assert_eq!(map.first_key_value(), Some((&"m".to_owned(), &Value::Null)));
    }
}
