//! Prints a big valid scenario: `cargo run --release --example big_scenario -- 50000 > big.toml`
//! (the argument is the number of components; see `gen.rs`).

mod gen;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    print!("{}", gen::big_scenario(n.max(1)));
}
