//! The vocabulary every stage of iac-parity shares: [`Value`], [`Resource`],
//! [`Side`], [`Area`], [`Severity`] and [`Finding`].
//!
//! Both loaders produce the same [`Value`] type, so nothing after loading needs
//! to know which tool a value came from. This crate does no I/O and cannot fail.
//!
//! ```
//! use parity_model::{Value, Ref};
//! let arn = Value::Template(vec![
//!     Ref::attribute("aws_secretsmanager_secret.db", "arn").into(),
//!     ":username::".into(),
//! ]);
//! assert_eq!(arn.to_string(), "${aws_secretsmanager_secret.db.arn}:username::");
//! ```

mod finding;
mod location;
mod map;
mod resource;
mod secrets;
mod value;

pub use finding::{Area, Finding, FindingSide, Fix, FixLanguage, Severity, Status};
pub use location::{ConfigStep, Location, Locations, Position, ResourceLocation, SourceLine};
pub use map::Map;
pub use resource::{Action, Resource, ResourceId, Side};
pub use secrets::{Secrets, can_carry_secret};
pub use value::{Conditional, Masked, Ref, TemplatePart, Unknown, Value};
