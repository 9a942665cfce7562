//! Policies chosen once per run: which idle environment takes a request.
