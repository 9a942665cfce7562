//! Key-popularity models in the scenario format: `uniform(n=1000)` and
//! `zipf(n=100000, s=1.1)`, with their bounds and hints. Part of
//! [`super`]'s value syntax.

use super::{bad, number, split_call, within, Bad};
use crate::dist::keys::Keys;
use crate::model::{MAX_KEYS, MAX_ZIPF_S};
use crate::scenario::error::did_you_mean;
use crate::scenario::numbers;

const KEYS_FORM: &str =
    "one of uniform(n=1000) or zipf(n=100000, s=1.1); omit `keys` for uniform over many keys";

/// Parses a key-popularity model.
pub fn keys(s: &str) -> Result<Keys, Bad> {
    let c = split_call(s, "a key model", KEYS_FORM)?;
    let n = |f: &str| -> Result<u64, Bad> {
        let v = number(c.need("n", 0, f)?, "n")?;
        within(v, (1.0, MAX_KEYS), "n", f)?;
        if v.fract() != 0.0 {
            return Err(bad(
                format!("n {} is not a whole number", numbers::show(v)),
                "n counts distinct keys, e.g. n=1000",
            ));
        }
        Ok(v as u64)
    };
    match c.name {
        "uniform" => {
            let f = "uniform(n=1000): n keys (1..=1e12), each as likely";
            c.check(&["n"], f)?;
            Ok(Keys::Uniform { n: n(f)? })
        }
        "zipf" => {
            let f = "zipf(n=100000, s=1.1): n keys (1..=1e12); key k has weight k^-s, s 0..=10 (0 = uniform)";
            c.check(&["n", "s"], f)?;
            let n = n(f)?;
            let s = within(number(c.need("s", 1, f)?, "s")?, (0.0, MAX_ZIPF_S), "s", f)?;
            Keys::zipf(n, s).ok_or_else(|| bad("zipf parameters out of range", f))
        }
        other => {
            let hint = did_you_mean(other, ["uniform", "zipf"])
                .map_or_else(|| KEYS_FORM.to_string(), |h| format!("{h}; {KEYS_FORM}"));
            Err(bad(format!("unknown key model `{other}`"), hint))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_models_parse_with_bounds() {
        assert_eq!(keys("uniform(n=1000)").unwrap(), Keys::Uniform { n: 1000 });
        assert_eq!(keys("uniform(1_000)").unwrap(), Keys::Uniform { n: 1000 });
        match keys("zipf(n=1e5, s=1.1)").unwrap() {
            Keys::Zipf { n, s, .. } => assert_eq!((n, s), (100_000, 1.1)),
            k => panic!("{k:?}"),
        }
        for bad in [
            "zipf(n=0, s=1)",
            "zipf(n=10)",
            "zipf(n=10, s=-1)",
            "zipf(n=10, s=11)",
            "uniform(n=2.5)",
            "uniform(n=1e13)",
            "uniform(m=3)",
            "zipff(n=3, s=1)",
            "zipf",
            "",
        ] {
            let e = keys(bad).unwrap_err();
            assert!(e.hint.is_some(), "{bad}: {e:?}");
        }
        assert!(keys("zipff(n=3, s=1)")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("zipf"));
    }
}
