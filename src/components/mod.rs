//! One module per AWS service kind.
