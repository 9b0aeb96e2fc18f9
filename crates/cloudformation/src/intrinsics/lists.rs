//! The intrinsics that pick from or build lists: `Fn::Select`,
//! `Fn::Length`, `Fn::FindInMap`, `Fn::GetAZs`, `Fn::Cidr`.

use std::net::{Ipv4Addr, Ipv6Addr};

use parity_model::{Unknown, Value};
use serde_json::Value as Json;

use super::{Eval, Evaluator, is_opaque, mark, refs_of, unknown, unmark};
use crate::pointer;

impl Evaluator<'_> {
    pub(super) fn select(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let [index, list] = self.args::<2>(args, at, "[index, [values]]")?;
        let index_at = format!("{at}/0");
        let (index, index_sensitive) = unmark(self.arg(index, &index_at)?);
        let (list, list_sensitive) = unmark(self.arg(list, &format!("{at}/1"))?);
        let sensitive = index_sensitive || list_sensitive;
        if is_opaque(&index) || is_opaque(&list) {
            let mut refs = refs_of(&index);
            refs.extend(refs_of(&list));
            return Ok(mark(
                Value::Unknown(Unknown { refs, reason: None }),
                sensitive,
            ));
        }
        let index = self.count(
            &index,
            &index_at,
            "the index must be a non-negative integer",
        )?;
        match list {
            Value::List(items) => {
                let len = items.len();
                let item = items.into_iter().nth(index).ok_or_else(|| {
                    self.error(
                        at,
                        format!("index {index} is out of range for a list of {len}"),
                    )
                })?;
                Ok(mark(item, sensitive))
            }
            _ => Err(self.error(&format!("{at}/1"), "expected a list").into()),
        }
    }

    pub(super) fn length(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let (list, sensitive) = unmark(self.arg(args, at)?);
        match list {
            Value::List(items) => Ok(mark(Value::Number(items.len().into()), sensitive)),
            other if is_opaque(&other) => Ok(Value::Unknown(Unknown {
                refs: refs_of(&other),
                reason: None,
            })),
            _ => Err(self.error(at, "expected a list").into()),
        }
    }

    pub(super) fn find_in_map(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let items = args
            .as_array()
            .filter(|a| a.len() == 3 || a.len() == 4)
            .ok_or_else(|| {
                self.error(
                    at,
                    "expected [MapName, TopLevelKey, SecondLevelKey] and an optional {DefaultValue}",
                )
            })?;
        let mut keys = Vec::new();
        let mut sensitive = false;
        for (i, item) in items[..3].iter().enumerate() {
            let (key, key_sensitive) = unmark(self.arg(item, &format!("{at}/{i}"))?);
            sensitive |= key_sensitive;
            match key {
                Value::String(s) => keys.push(s),
                Value::Number(n) => keys.push(n.to_string()),
                other if is_opaque(&other) => {
                    return Ok(mark(
                        Value::Unknown(Unknown {
                            refs: refs_of(&other),
                            reason: None,
                        }),
                        sensitive,
                    ));
                }
                _ => {
                    return Err(self
                        .error(&format!("{at}/{i}"), "expected a string key")
                        .into());
                }
            }
        }
        let map_at = pointer::join("/Mappings", &keys[0]);
        let found = self
            .section("Mappings")
            .get(&keys[0])
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]));
        let default = items.get(3).and_then(|d| d.get("DefaultValue"));
        let value = match (found, default) {
            (Some(json), _) => {
                let at = pointer::join(&pointer::join(&map_at, &keys[1]), &keys[2]);
                self.value_required(json, &at)?
            }
            (None, Some(default)) => {
                self.value_required(default, &format!("{at}/3/DefaultValue"))?
            }
            (None, None) => {
                return Err(self
                    .error(
                        at,
                        format!("no mapping {}/{}/{}", keys[0], keys[1], keys[2]),
                    )
                    .into());
            }
        };
        Ok(mark(value, sensitive))
    }

    /// The availability zones an account sees in a region: only deploy time
    /// knows them.
    /// `Fn::GetAZs`: the zones of a region, which only the account knows;
    /// an empty name or none (`!GetAZs` alone, `""`, `null`) is the stack's
    /// region.
    pub(super) fn get_azs(&mut self, args: &Json, at: &str) -> Eval<Value> {
        if args.is_null() {
            return Ok(unknown("Fn::GetAZs"));
        }
        match unmark(self.arg(args, at)?).0 {
            Value::String(_) | Value::Unknown(_) | Value::Ref(_) | Value::Template(_) => {
                Ok(unknown("Fn::GetAZs"))
            }
            _ => Err(self.error(at, "expected a region name").into()),
        }
    }

    /// `Fn::Cidr [ipBlock, count, cidrBits]`: `count` consecutive blocks of
    /// `cidrBits` host bits each, from the start of `ipBlock`.
    pub(super) fn cidr(&mut self, args: &Json, at: &str) -> Eval<Value> {
        let [block, count, bits] = self.args::<3>(args, at, "[ipBlock, count, cidrBits]")?;
        let (block_at, count_at, bits_at) =
            (format!("{at}/0"), format!("{at}/1"), format!("{at}/2"));
        let (block, s1) = unmark(self.arg(block, &block_at)?);
        let (count, s2) = unmark(self.arg(count, &count_at)?);
        let (bits, s3) = unmark(self.arg(bits, &bits_at)?);
        let sensitive = s1 || s2 || s3;
        if is_opaque(&block) || is_opaque(&count) || is_opaque(&bits) {
            let mut refs = refs_of(&block);
            refs.extend(refs_of(&count));
            refs.extend(refs_of(&bits));
            return Ok(mark(
                Value::Unknown(Unknown { refs, reason: None }),
                sensitive,
            ));
        }
        let Value::String(block) = block else {
            return Err(self
                .error(&block_at, "expected an IP block such as 10.0.0.0/16")
                .into());
        };
        let count = self.count(
            &count,
            &count_at,
            "the count must be an integer from 1 to 256",
        )?;
        if !(1..=256).contains(&count) {
            return Err(self
                .error(&count_at, "the count must be an integer from 1 to 256")
                .into());
        }
        let bits = self.count(&bits, &bits_at, "cidrBits must be a non-negative integer")?;
        let blocks = cidr_blocks(&block, count, bits).map_err(|message| self.error(at, message))?;
        Ok(mark(
            Value::List(blocks.into_iter().map(Value::String).collect()),
            sensitive,
        ))
    }

    /// A non-negative integer given as a number or a string.
    fn count(&self, value: &Value, at: &str, message: &str) -> Eval<usize> {
        let n = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        n.and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| self.error(at, message).into())
    }
}

/// The blocks `Fn::Cidr` makes, or why it cannot.
pub(super) fn cidr_blocks(
    block: &str,
    count: usize,
    host_bits: usize,
) -> Result<Vec<String>, String> {
    let bad = || format!("{block:?} is not an IP block such as 10.0.0.0/16");
    let (address, prefix) = block.split_once('/').ok_or_else(bad)?;
    let prefix: u32 = prefix.parse().map_err(|_| bad())?;
    let (start, width, v6) = match address.parse::<Ipv4Addr>() {
        Ok(v4) => (u128::from(u32::from(v4)), 32u32, false),
        Err(_) => (
            u128::from(address.parse::<Ipv6Addr>().map_err(|_| bad())?),
            128,
            true,
        ),
    };
    let host_bits = u32::try_from(host_bits).unwrap_or(u32::MAX);
    if prefix > width || host_bits > width {
        return Err(bad());
    }
    let new_prefix = width - host_bits;
    if new_prefix < prefix {
        return Err(format!(
            "blocks of {host_bits} host bits do not fit in {block}"
        ));
    }
    let available = 1u128.checked_shl(new_prefix - prefix).unwrap_or(u128::MAX);
    if (count as u128) > available {
        return Err(format!(
            "{block} holds {available} blocks of {host_bits} host bits, not {count}"
        ));
    }
    let host_mask = if host_bits >= 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    let network_mask = if prefix == 0 {
        0
    } else {
        !((1u128 << (width - prefix)) - 1) & if v6 { u128::MAX } else { u128::from(u32::MAX) }
    };
    let first = start & network_mask & !host_mask;
    let step = host_mask.wrapping_add(1);
    Ok((0..count as u128)
        .map(|i| {
            let address = first.wrapping_add(i.wrapping_mul(step));
            if v6 {
                format!("{}/{new_prefix}", Ipv6Addr::from(address))
            } else {
                format!("{}/{new_prefix}", Ipv4Addr::from(address as u32))
            }
        })
        .collect())
}
