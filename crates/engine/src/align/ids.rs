//! Words and values as integer ids, read once: scoring compares and looks
//! up integers, and allocates nothing per candidate.
//!
//! Ids are given in the strings' order, so that a set of ids sorted by id
//! is in the order of its strings: sums over shared words add them in the
//! same order as over the strings, and ties broken by id are broken by
//! text.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// The strings that ids stand for, in order.
#[derive(Debug, Default)]
pub struct Vocabulary {
    strings: Vec<String>,
}

impl Vocabulary {
    /// The vocabulary of two sides' sets, and each set as its ids in
    /// increasing order.
    pub fn intern<'s>(
        terraform: &'s [BTreeSet<String>],
        cloudformation: &'s [BTreeSet<String>],
    ) -> (Vocabulary, Vec<Vec<u32>>, Vec<Vec<u32>>) {
        // Each distinct string once, by a first id in the order met; then
        // the distinct strings sorted (far fewer than all of them), and
        // the first ids mapped to their place in that order.
        let mut first: FastMap<&str, u32> = FastMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let mut read = |sets: &'s [BTreeSet<String>]| -> Vec<Vec<u32>> {
            sets.iter()
                .map(|set| {
                    set.iter()
                        .map(|s| {
                            *first.entry(s.as_str()).or_insert_with(|| {
                                distinct.push(s.as_str());
                                u32::try_from(distinct.len() - 1)
                                    .expect("fewer than 2^32 distinct strings")
                            })
                        })
                        .collect()
                })
                .collect()
        };
        let (mut tf, mut cfn) = (read(terraform), read(cloudformation));
        let mut order: Vec<u32> = (0..distinct.len())
            .map(|at| u32::try_from(at).expect("fewer than 2^32 distinct strings"))
            .collect();
        order.sort_unstable_by_key(|at| distinct[*at as usize]);
        let mut place = vec![0u32; distinct.len()];
        for (at, id) in order.iter().enumerate() {
            place[*id as usize] = u32::try_from(at).expect("fewer than 2^32 distinct strings");
        }
        // A set's strings are in order, so its ids are increasing.
        for ids in tf.iter_mut().chain(cfn.iter_mut()).flatten() {
            *ids = place[*ids as usize];
        }
        let strings = order
            .iter()
            .map(|id| distinct[*id as usize].to_owned())
            .collect();
        (Vocabulary { strings }, tf, cfn)
    }

    /// The string an id stands for.
    pub fn text(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
}

/// The ids two sets (in increasing order) share, in increasing order.
pub fn shared<'s>(a: &'s [u32], b: &'s [u32]) -> impl Iterator<Item = u32> + 's {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let id = a[i];
                    i += 1;
                    j += 1;
                    return Some(id);
                }
            }
        }
        None
    })
}

/// A hasher for maps only looked up, never walked, whose keys are small
/// integers or short strings: a multiply and a rotate per word written,
/// with no defence against keys chosen to collide (the keys are ours).
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(
                chunk.try_into().expect("a chunk of eight bytes"),
            ));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// A hash map with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn ids_sort_as_their_strings_and_both_sides_share_them() {
        let (vocabulary, tf, cfn) = Vocabulary::intern(
            &[set(&["orders", "api"]), set(&["billing"])],
            &[set(&["orders", "zeta", "billing"])],
        );
        let text = |ids: &[u32]| ids.iter().map(|i| vocabulary.text(*i)).collect::<Vec<_>>();
        assert_eq!(text(&tf[0]), ["api", "orders"]);
        assert_eq!(text(&tf[1]), ["billing"]);
        assert_eq!(text(&cfn[0]), ["billing", "orders", "zeta"]);
        assert!(tf[0].windows(2).all(|w| w[0] < w[1]));
        let both: Vec<u32> = shared(&tf[0], &cfn[0]).collect();
        assert_eq!(text(&both), ["orders"]);
        assert_eq!(shared(&tf[1], &tf[0]).count(), 0);
    }
}
