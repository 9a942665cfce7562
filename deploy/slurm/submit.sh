#!/bin/bash
# Submits an slsim sweep to Slurm as N shards (a job array) and the merge
# (a job that runs once every shard succeeded); prints the merge job's id.
#
#   deploy/slurm/submit.sh N SCENARIO OUT [slsim sweep options...]
#
# e.g. deploy/slurm/submit.sh 100 scenarios/mytodolist.toml /shared/sweeps/memory \
#          --vary lambda.list-todos.memory_mb=512,1024,1769 --set sweep.replications=10
# Results: OUT/sweep/ (OUT must be on a file system every node sees).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -lt 3 ]; then
    echo "usage: $0 N SCENARIO OUT [slsim sweep options...]" >&2
    exit 2
fi
n=$1
scenario=$2
out=$3
shift 3
mkdir -p "$out"
array=$(sbatch --parsable --array="0-$((n - 1))" --export=ALL,SHARDS="$n" \
    --output="$out/slurm-%A_%a.out" "$here/sweep.sbatch" "$scenario" "$out" "$@")
array=${array%%;*}
sbatch --parsable --dependency="afterok:$array" --output="$out/slurm-merge-%j.out" \
    "$here/merge.sbatch" "$out"
