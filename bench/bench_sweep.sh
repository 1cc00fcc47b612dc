#!/bin/sh
# SPDX-License-Identifier: MIT
# Whole-process wall time of a one-process sweep: 1000 KV lengths x 2 schemes, CSV to /dev/null.
# Best of 5 runs (start-up, preset loading, 2000 full evaluations and the output). Target < 100 ms.
set -eu
bin=${1:-build/app/mla-studio}
best=""
for i in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$bin" sweep --axis seq-len --from 128 --to 131072 --points 1000 --log --scheme mha,mla-reuse >/dev/null
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "sweep, 1000 points x 2 schemes, whole process (best of 5): $best ms (target < 100 ms)"
