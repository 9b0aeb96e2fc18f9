//! Exit statuses, as diff(1) has them.

/// Every compared area is in parity.
pub const IN_PARITY: u8 = 0;
/// At least one difference was found.
pub const DIVERGED: u8 = 1;
/// The comparison could not be made: bad input or bad usage.
pub const TROUBLE: u8 = 2;
