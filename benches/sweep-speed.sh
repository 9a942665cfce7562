#!/usr/bin/env bash
# Sweep speed: wall time of the same sweep with the default thread count
# (one per core) and with --threads 1, alternated K times; prints each
# run, the medians, their ratio and the runs (points x replications) per
# second. A benchmark, not a test: the machine may be shared, so the load
# average is printed before each run.
#
#   benches/sweep-speed.sh [K] [extra slsim sweep options...]
#
# Default sweep: MyTodoList from 10:00 to 11:00 (0.7 M requests a run),
# 4 memory sizes x 2 replications = 8 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
k=${1:-3}
shift || true
cargo build --locked --release >/dev/null 2>&1
slsim=./target/release/slsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(scenarios/mytodolist.toml --set simulation.duration=1h --set simulation.start=10:00
    --set cost.projection=once
    --vary lambda.list-todos.memory_mb=512,1024,1769,3008 --set sweep.replications=2
    # The scenario's [sweep] also varies the load: today's only, as before it had one.
    --vary 'workload.users.arrival="diurnal(mean=120, peak=220, period=24h)"' "$@")

wall() { # prints the wall seconds of one sweep
    local start end
    start=$(date +%s.%N)
    "$slsim" sweep "${args[@]}" --quiet --out "$tmp/out" "$@" 2>"$tmp/stderr" \
        || { cat "$tmp/stderr" >&2; exit 1; }
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
declare -a all one
for i in $(seq "$k"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    a=$(wall)
    load1=$(cut -d' ' -f1 /proc/loadavg)
    b=$(wall --threads 1)
    all+=("$a")
    one+=("$b")
    printf 'round %d: default threads %.2f s (load %s), --threads 1 %.2f s (load %s)\n' \
        "$i" "$a" "$load" "$b" "$load1"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
runs=$(sed -n 's/^  "runs": \([0-9]*\),$/\1/p' "$tmp/out/sweep.json")
ma=$(median "${all[@]}")
mo=$(median "${one[@]}")
printf 'cores: %s; runs per sweep: %s\n' "$(nproc)" "$runs"
div() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
printf 'median wall: default %.2f s, --threads 1 %.2f s; ratio %.3f\n' "$ma" "$mo" "$(div "$ma" "$mo")"
printf 'runs per second: default %.2f, --threads 1 %.2f\n' "$(div "$runs" "$ma")" "$(div "$runs" "$mo")"
