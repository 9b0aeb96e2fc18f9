//! ARNs that templates spell otherwise than the Terraform attribute that
//! holds them.
//!
//! The AWS provider keeps a resource's ARN in its `arn` attribute, and a
//! Terraform configuration refers to it: `${aws_ssm_parameter.token.arn}`.
//! A template says the same thing in other ways, which the table describes
//! per CloudFormation type:
//! - `arn_from_ref`: CDK builds some ARNs from the resource's `Ref`
//!   (`arn:aws:ssm:us-east-1:123456789012:parameter` + `Ref Token`), where
//!   CloudFormation has no `Fn::GetAtt` for it, or where CDK does not use
//!   it: such a string is read as the `Fn::GetAtt` that is the ARN;
//! - `get_att_suffix`: an attribute that is the ARN followed by a text (a
//!   log group's `Fn::GetAtt Arn` ends in `:*`, the provider's `arn` does
//!   not) is read as the reference followed by that text.
//!
//! The comparison reads CloudFormation values so, the suffixes always
//! ([`with_get_att_suffixes`]: that is what the attribute is), the ARNs
//! built from a `Ref` when the value does not match as it is
//! ([`read_arns`]: a Terraform configuration may build the ARN from the
//! name too), so that a reference on one side meets the same reference on
//! the other; reports show the values as the template has them.

use parity_model::{Ref, TemplatePart, Value};

use crate::table::CloudFormationType;

/// The parts of a CloudFormation string (or reference) with the ARNs it
/// builds from a `Ref` read as the `Fn::GetAtt` that is the ARN; `None`
/// when there are none. `type_of` says what the table knows of the type of
/// the resource a reference target names.
pub fn read_arns<'t>(
    parts: &[TemplatePart],
    type_of: &dyn Fn(&str) -> Option<&'t CloudFormationType>,
) -> Option<Vec<TemplatePart>> {
    let mut out: Vec<TemplatePart> = Vec::with_capacity(parts.len());
    let mut changed = false;
    for part in parts {
        let found = match part {
            TemplatePart::Ref(r) if r.attribute.is_none() => type_of(&r.target)
                .and_then(|cfn| cfn.arn_from_ref.as_ref())
                .and_then(|arn| arn_start(&out, &arn.formats).map(|at| (r, arn, at))),
            _ => None,
        };
        match found {
            Some((r, arn, at)) => {
                truncate_at(&mut out, at);
                out.push(TemplatePart::Ref(Ref::attribute(
                    r.target.clone(),
                    arn.attribute.clone(),
                )));
                changed = true;
            }
            None => out.push(part.clone()),
        }
    }
    changed.then(|| merge_literals(out))
}

/// The parts of a CloudFormation string (or reference) with each
/// `Fn::GetAtt` that is a Terraform attribute followed by a text
/// (`get_att_suffix`) followed by that text; `None` when there is none.
pub fn with_get_att_suffixes<'t>(
    parts: &[TemplatePart],
    type_of: &dyn Fn(&str) -> Option<&'t CloudFormationType>,
) -> Option<Vec<TemplatePart>> {
    let mut out: Vec<TemplatePart> = Vec::with_capacity(parts.len() + 1);
    let mut changed = false;
    for part in parts {
        out.push(part.clone());
        if let TemplatePart::Ref(Ref {
            target,
            attribute: Some(attribute),
        }) = part
            && let Some(suffix) = type_of(target).and_then(|c| c.get_att_suffix.get(attribute))
        {
            out.push(TemplatePart::Literal(suffix.clone()));
            changed = true;
        }
    }
    changed.then(|| merge_literals(out))
}

/// Adjacent literals as one, empty ones left out.
fn merge_literals(parts: Vec<TemplatePart>) -> Vec<TemplatePart> {
    let mut merged: Vec<TemplatePart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (merged.last_mut(), part) {
            (_, TemplatePart::Literal(text)) if text.is_empty() => {}
            (Some(TemplatePart::Literal(last)), TemplatePart::Literal(text)) => {
                last.push_str(&text)
            }
            (_, part) => merged.push(part),
        }
    }
    merged
}

/// Where, in the parts before a `Ref`, one of `formats` starts and runs up
/// to the `Ref`: the part index and the character offset in it.
fn arn_start(before: &[TemplatePart], formats: &[String]) -> Option<(usize, usize)> {
    // The parts as characters; a part only deploy time knows (a
    // pseudo-parameter) is one wildcard.
    let mut tokens: Vec<(Token, usize, usize)> = Vec::new();
    for (i, part) in before.iter().enumerate() {
        match part {
            TemplatePart::Literal(text) => {
                tokens.extend(text.char_indices().map(|(at, c)| (Token::Char(c), i, at)));
            }
            TemplatePart::Unknown(_) => tokens.push((Token::Wild, i, 0)),
            TemplatePart::Ref(_) => tokens.clear(),
        }
    }
    let starts = (0..tokens.len()).rev().filter(|&p| {
        tokens[p..]
            .iter()
            .take(4)
            .map(|(t, _, _)| *t)
            .eq("arn:".chars().map(Token::Char))
    });
    for p in starts {
        let rest: Vec<Token> = tokens[p..].iter().map(|(t, _, _)| *t).collect();
        if formats
            .iter()
            .filter_map(|f| f.strip_suffix("{ref}"))
            .any(|format| matches(format, &rest))
        {
            let (_, part, at) = tokens[p];
            return Some((part, at));
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    /// A value only deploy time knows.
    Wild,
}

/// Whether `tokens` is spelled as `format`: `{partition}`, `{region}` and
/// `{account}` stand for any text without `:`, other text for itself.
fn matches(format: &str, tokens: &[Token]) -> bool {
    match format.strip_prefix('{') {
        Some(rest) => {
            let Some((name, rest)) = rest.split_once('}') else {
                return false;
            };
            if !matches!(name, "partition" | "region" | "account") {
                return false;
            }
            let run = tokens
                .iter()
                .take_while(|t| **t != Token::Char(':'))
                .count();
            (0..=run).rev().any(|n| matches(rest, &tokens[n..]))
        }
        None => match format.chars().next() {
            None => tokens.is_empty(),
            Some(c) => {
                tokens.first() == Some(&Token::Char(c))
                    && matches(&format[c.len_utf8()..], &tokens[1..])
            }
        },
    }
}

/// Whether a default is an ARN spelled with `{partition}`, `{region}` or
/// `{account}`: one the table cannot write out, since they are the
/// deployment's (a service-linked role's ARN).
pub(crate) fn is_arn_format(format: &str) -> bool {
    format.starts_with("arn:")
        && ["{partition}", "{region}", "{account}"]
            .iter()
            .any(|placeholder| format.contains(placeholder))
}

/// Whether a string, or a template of literals and parts only deploy time
/// knows (`arn:${AWS::Partition}:iam::…`), is spelled as `format`
/// ([`is_arn_format`]); a template that references a resource is not.
pub(crate) fn spelled_as(format: &str, value: &Value) -> bool {
    let mut tokens: Vec<Token> = Vec::new();
    match value.unmarked().0 {
        Value::String(text) => tokens.extend(text.chars().map(Token::Char)),
        Value::Template(parts) => {
            for part in parts {
                match part {
                    TemplatePart::Literal(text) => tokens.extend(text.chars().map(Token::Char)),
                    TemplatePart::Unknown(_) => tokens.push(Token::Wild),
                    TemplatePart::Ref(_) => return false,
                }
            }
        }
        _ => return false,
    }
    matches(format, &tokens)
}

/// Keeps the parts before `(part, offset)`.
fn truncate_at(parts: &mut Vec<TemplatePart>, (part, offset): (usize, usize)) {
    let kept = match parts.get(part) {
        Some(TemplatePart::Literal(text)) => Some(text[..offset].to_owned()),
        _ => None,
    };
    parts.truncate(part);
    if let Some(text) = kept {
        parts.push(TemplatePart::Literal(text));
    }
}

#[cfg(test)]
mod tests;
