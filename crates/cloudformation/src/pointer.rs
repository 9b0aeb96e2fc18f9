//! JSON pointers (RFC 6901) into templates and manifests, the locations
//! errors and diagnostics name.

/// `at` followed by one more key, with `~` and `/` escaped.
pub(crate) fn join(at: &str, key: &str) -> String {
    format!("{at}/{}", escape(key))
}

/// A key as one pointer segment: `~` and `/` escaped.
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
