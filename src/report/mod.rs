//! Writing results: JSON, CSV (atomically), and the human summary.
