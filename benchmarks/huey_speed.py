"""Huey throughput on Redis with 1 and 4 consumer processes (issue 23 item 7).

Enqueues --jobs small jobs on a throwaway queue name (so a running Accord is not disturbed), then starts
P consumer processes (each like `accord worker --workers 1`: one thread) and times how long they take
to drain the queue. Each job does what a light Accord job does: a round trip to Redis (a counter bump).
Run: .venv/bin/python benchmarks/huey_speed.py [--jobs 5000] [--redis redis://127.0.0.1:6379/15]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
import uuid

import redis
from huey import RedisHuey


def _queue(url: str, name: str) -> tuple[RedisHuey, object]:
    huey = RedisHuey(name, url=url, results=False)
    counter = redis.Redis.from_url(url)

    @huey.task()
    def bump() -> None:
        counter.incr(f"{name}:done")

    return huey, bump


def _consume(url: str, name: str) -> None:
    huey, _ = _queue(url, name)
    huey.create_consumer(workers=1, worker_type="thread", periodic=False).run()


def run(url: str, jobs: int, processes: int) -> float:
    """Jobs per second drained by `processes` consumers."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    huey, bump = _queue(url, name)
    for _ in range(jobs):
        bump()  # type: ignore[operator]
    store = redis.Redis.from_url(url)
    consumers = [multiprocessing.Process(target=_consume, args=(url, name)) for _ in range(processes)]
    started = time.perf_counter()
    for p in consumers:
        p.start()
    while int(store.get(f"{name}:done") or 0) < jobs:
        time.sleep(0.01)
    took = time.perf_counter() - started
    for p in consumers:
        p.terminate()
        p.join()
    huey.flush()
    store.delete(f"{name}:done")
    return jobs / took


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    for processes in (1, 4):
        rate = run(args.redis, args.jobs, processes)
        print(
            f"{processes} consumer process(es): {rate:,.0f} jobs/s ({args.jobs} jobs, includes process start)"
        )


if __name__ == "__main__":
    main()
