#!/usr/bin/env python3
"""Run SimFaaS's ServerlessSimulator on the reference model and print its
statistics as `key value` lines (read by compare-simfaas.sh, next to this
script).

Model (SimFaaS paper defaults, as in slsim's examples/simfaas.rs):
  Poisson arrivals 0.9/s; warm service exp(mean 1.991 s); cold service
  exp(mean 2.244 s) = warm + 0.253 s of cold-start overhead (SimFaaS takes
  *rates*: warm_service_rate = 1/1.991, cold_service_rate = 1/2.244, and
  draws the whole cold response from one exponential; slsim draws
  const(0.253 s) + exp(1.991 s): same mean); expiration threshold 600 s.

  pip install simfaas
  python3 tools/simfaas-comparison/simfaas_reference.py [--max-time 1e6] [--seed 1] [--shifted-cold]
"""
import argparse
import time

import numpy as np
from simfaas.ServerlessSimulator import ServerlessSimulator
from simfaas.SimProcess import ExpSimProcess, SimProcess


class ShiftedExp(SimProcess):
    """const(shift) + exp(mean): slsim's cold start exactly."""

    def __init__(self, shift, mean):
        super().__init__()
        self.shift = shift
        self.mean = mean

    def generate_trace(self):
        return self.shift + np.random.exponential(self.mean)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rate", type=float, default=0.9)
    p.add_argument("--max-time", type=float, default=1e6)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shifted-cold", action="store_true",
                   help="cold service = 0.253 + exp(1.991) instead of exp(2.244)")
    a = p.parse_args()
    np.random.seed(a.seed)

    warm_mean, cold_extra = 1.991, 0.253
    if a.shifted_cold:
        cold = ShiftedExp(cold_extra, warm_mean)
    else:
        cold = ExpSimProcess(rate=1.0 / (warm_mean + cold_extra))
    sim = ServerlessSimulator(
        arrival_rate=a.rate,
        warm_service_process=ExpSimProcess(rate=1.0 / warm_mean),
        cold_service_process=cold,
        expiration_threshold=600,
        max_time=a.max_time,
        maximum_concurrency=1_000_000,
    )
    t0 = time.perf_counter()
    sim.generate_trace(debug_print=False, progress=False)
    r = sim.get_result_dict()
    wall = time.perf_counter() - t0
    print(f"model poisson({a.rate}/s) warm exp(1.991s) cold "
          + ("0.253s+exp(1.991s)" if a.shifted_cold else "exp(2.244s)")
          + " expiration 600s")
    print(f"simulated_seconds {sim.get_trace_end():.0f}")
    print(f"seed {a.seed}")
    print(f"requests {r['reqs_total']}")
    print(f"cold_starts {r['reqs_cold']}")
    print(f"p_cold {r['prob_cold']:.6f}")
    print(f"mean_environments {r['inst_count_avg']:.4f}")
    print(f"mean_concurrency {r['inst_running_count_avg']:.4f}")
    print(f"events {len(sim.hist_times) - 1}")
    print(f"wall_seconds {wall:.3f}")
    print(f"requests_per_wall_second {r['reqs_total'] / wall:.0f}")


if __name__ == "__main__":
    main()
