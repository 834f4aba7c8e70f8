# Locust user for the loadr bench (bench/lib/tools/locust.ts). FastHttpUser, one GET.
# BENCH_USER_RATE > 0: constant_throughput(BENCH_USER_RATE) per user (the latency suite's fixed
# rate = users x BENCH_USER_RATE); otherwise no wait (closed loop, the throughput suite).
import os

import locust.runners as _runners
from locust import FastHttpUser, constant, constant_throughput, task

# Debian's python3-locust 2.12.1 ships an empty version string (locust/_version.py), so a worker
# announces "" and the master rejects it as "an old (pre 2.0) worker". Master and workers both
# load this file before connecting, so give both the same non-empty version.
if not _runners.__version__:
    _runners.__version__ = "2.12.1-debian"

_RATE = float(os.environ.get("BENCH_USER_RATE", "0"))
_PATH = os.environ.get("BENCH_PATH", "/")


class BenchUser(FastHttpUser):
    wait_time = constant_throughput(_RATE) if _RATE > 0 else constant(0)
    network_timeout = 10.0
    connection_timeout = 10.0

    @task
    def root(self):
        self.client.get(_PATH, name="root")
