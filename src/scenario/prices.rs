//! The built-in price tables (`prices/*.toml`).

/// Placeholder.
pub fn for_region(_region: &str) -> Option<crate::cost::PriceTable> {
    None
}
