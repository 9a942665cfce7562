#!/usr/bin/env python3
"""CPU time of two slsim binaries on the bundled scenarios, alternating.

Usage: benches/cpu_compare.py NEW_BINARY OLD_BINARY RUNS OLD_SOURCE_DIR
(run from the project root; OLD_SOURCE_DIR holds the old revision's
scenarios/). Like ../shared/tools/compare-speed, but flips the order every
round and reads user + system CPU time from wait4, so time spent waiting
for a core on a loaded machine does not count. Prints min and median of
each and the ratios new/old (below 1.0 = faster).
"""
import os, statistics, subprocess, sys, tempfile, time, resource
new, old, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
olddir = sys.argv[4]
cases = [("scenarios/mytodolist.toml", ["--set", "simulation.duration=6h"]),
         ("scenarios/simfaas-reference.toml", ["--set", "simulation.duration=3000000s"])]
out = tempfile.mkdtemp()
print(f"{'scenario':36} {'old min':>8} {'new min':>8} {'ratio':>6} {'old med':>8} {'new med':>8} {'ratio':>6}  (user+sys CPU s, {runs} alternating runs)")
for scen, extra in cases:
    t = {"new": [], "old": []}
    for i in range(runs):
        order = (("new", new, scen), ("old", old, os.path.join(olddir, scen)))
        if i % 2: order = order[::-1]
        for tag, b, s in order:
            p = subprocess.Popen([b, "run", s, "--quiet", "--out", out] + extra, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, st, ru = os.wait4(p.pid, 0)
            assert st == 0, (tag, st)
            t[tag].append(ru.ru_utime + ru.ru_stime)
    o, n = t["old"], t["new"]
    print(f"{scen:36} {min(o):8.3f} {min(n):8.3f} {min(n)/min(o):6.3f} {statistics.median(o):8.3f} {statistics.median(n):8.3f} {statistics.median(n)/statistics.median(o):6.3f}", flush=True)
