#!/usr/bin/env bash
# Runs the SimFaaS reference model in slsim (examples/simfaas.rs, release
# build) and in SimFaaS (simfaas_reference.py, next to this script), then
# prints a comparison table. Runs from the repository root.
#
#   tools/simfaas-comparison/compare-simfaas.sh [SLSIM_SIM_SECONDS] [SIMFAAS_SIM_SECONDS]
#
# Defaults: 1e6 simulated seconds for both. SimFaaS needs `pip install
# simfaas`; set PYTHON to pick the interpreter (default: python3).
# Speed is compared per wall-second, so the two horizons may differ.
# slsim's run is short (~0.2 s at 1e6 s), so one burst of noise on a shared
# machine swings it; it is run SLSIM_REPEAT times (default 5, same seed, so
# identical statistics) and the run with the median wall time is reported.
# SimFaaS runs once.
set -euo pipefail
cd "$(dirname "$0")/../.."

SL_T="${1:-1e6}"
SF_T="${2:-1e6}"
PYTHON="${PYTHON:-python3}"
SEED="${SEED:-1}"

cargo build --release --example simfaas >&2
REPEAT="${SLSIM_REPEAT:-5}"
runs=()
for _ in $(seq "$REPEAT"); do
  runs+=("$(./target/release/examples/simfaas --duration "$SL_T" --seed "$SEED")")
done
walls=$(for r in "${runs[@]}"; do awk '$1 == "wall_seconds" { print $2 }' <<<"$r"; done)
echo "slsim wall seconds over $REPEAT runs: $(tr '\n' ' ' <<<"$walls")" >&2
median=$(sort -g <<<"$walls" | awk -v n="$REPEAT" 'NR == int((n + 1) / 2)')
out_sl=""
for r in "${runs[@]}"; do
  if [ "$(awk '$1 == "wall_seconds" { print $2 }' <<<"$r")" = "$median" ]; then out_sl="$r"; break; fi
done
out_sf=$("$PYTHON" tools/simfaas-comparison/simfaas_reference.py --max-time "$SF_T" --seed "$SEED")

get() { awk -v k="$2" '$1 == k { print $2 }' <<<"$1"; }

printf '%s\n' "$out_sl" | sed 's/^/slsim   | /' >&2
printf '%s\n' "$out_sf" | sed 's/^/simfaas | /' >&2

rps_sl=$(get "$out_sl" requests_per_wall_second)
rps_sf=$(get "$out_sf" requests_per_wall_second)
ratio=$(awk -v a="$rps_sl" -v b="$rps_sf" 'BEGIN { printf "%.0f", a / b }')

echo
echo "SimFaaS reference model: Poisson 0.9/s, warm exp(1.991 s), cold +0.253 s, keep-alive 600 s"
printf '| %-28s | %14s | %14s |\n' "" "slsim" "SimFaaS"
printf '|%s|%s|%s|\n' "------------------------------" "----------------" "----------------"
printf '| %-28s | %14s | %14s |\n' "simulated seconds" "$(get "$out_sl" simulated_seconds)" "$(get "$out_sf" simulated_seconds)"
printf '| %-28s | %14s | %14s |\n' "requests" "$(get "$out_sl" requests)" "$(get "$out_sf" requests)"
printf '| %-28s | %14s | %14s |\n' "events" "$(get "$out_sl" events)" "$(get "$out_sf" events)"
printf '| %-28s | %14s | %14s |\n' "wall seconds (slsim: median)" "$(get "$out_sl" wall_seconds)" "$(get "$out_sf" wall_seconds)"
printf '| %-28s | %14s | %14s |\n' "requests per wall-second" "$rps_sl" "$rps_sf"
printf '| %-28s | %14s | %14s |\n' "P(cold)" "$(get "$out_sl" p_cold)" "$(get "$out_sf" p_cold)"
printf '| %-28s | %14s | %14s |\n' "mean live environments" "$(get "$out_sl" mean_environments)" "$(get "$out_sf" mean_environments)"
printf '| %-28s | %14s | %14s |\n' "mean busy (concurrency)" "$(get "$out_sl" mean_concurrency)" "$(get "$out_sf" mean_concurrency)"
echo
echo "speed ratio (requests per wall-second, slsim / SimFaaS): ${ratio}x"
