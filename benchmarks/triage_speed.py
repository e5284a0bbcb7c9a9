"""Triage speed on this machine: model load time, latency per message (p50/p99), batch throughput, peak RSS.

Run: `.venv/bin/python benchmarks/triage_speed.py`. Single messages are timed with the BLAS held to one
thread ("one core"); the batch uses --threads BLAS threads (default: all cores), which `embed.pooled`
turns into that many worker threads, and is timed three times on fresh texts (nothing cached), median shown.
Targets (issue 18, every head loaded: complaint, severity, anger, threats, category): p50 <= 25 ms single
core, model load <= 2 s, RSS <= 600 MB (issue 3 also asked batch >= 200 msg/s).
"""

from __future__ import annotations

import argparse
import os
import sys

_ap = argparse.ArgumentParser()
_ap.add_argument("--threads", default=str(os.cpu_count() or 1))
_ap.add_argument("--n", type=int, default=300)
ARGS = _ap.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = ARGS.threads

import resource  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

SAMPLES = [
    "My order still hasn't arrived and nobody answers my emails. Fix it by Friday or we cancel our contract.",
    "Thanks for the quick turnaround on the report, looks great!",
    "You charged us $450 twice this month. This is the third time. Refund it now.",
    "Can you send me the login details for the new dashboard?",
    "Your driver was rude to our receptionist and left the boxes in the rain.",
    "The site has been down since 9am, we are losing sales every hour, our lawyer is asking questions.",
]


def main() -> None:
    t0 = time.perf_counter()
    from accord.triage.engine import triage, triage_many
    from accord.triage.model import get_model

    model = get_model()
    model.predict(["warm up"])  # loads the encoder weights too
    load_s = time.perf_counter() - t0
    texts = [SAMPLES[i % len(SAMPLES)] + f" (ref {i})" for i in range(ARGS.n)]
    lat, cpu = [], []
    with threadpool_limits(limits=1, user_api="blas"):
        for text in texts[:200]:
            t, c = time.perf_counter(), time.process_time()
            triage(text)
            lat.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    rates = []
    for run in range(3):
        fresh = [SAMPLES[i % len(SAMPLES)] + f" (batch {run}.{i})" for i in range(ARGS.n)]  # nothing cached
        t = time.perf_counter()
        triage_many(fresh)
        rates.append(len(fresh) / (time.perf_counter() - t))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model: {model.version}   batch threads: {ARGS.threads}")
    print(f"model load: {load_s:.2f} s")
    print(
        f"single, one core: p50 {np.percentile(lat, 50):.1f} ms   p99 {np.percentile(lat, 99):.1f} ms   "
        f"{1000 / np.mean(lat):.0f} msg/s"
    )
    print(f"single, CPU time: p50 {np.percentile(cpu, 50):.1f} ms   (load average {os.getloadavg()[0]:.1f})")
    runs = ", ".join(f"{r:.0f}" for r in rates)
    print(f"batch: {np.median(rates):.0f} msg/s ({ARGS.n} messages; runs: {runs})")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
