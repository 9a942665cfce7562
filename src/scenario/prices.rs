//! The built-in price tables (`prices/*.toml`).
