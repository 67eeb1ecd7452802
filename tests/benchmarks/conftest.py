"""Keep the benchmark suite out of the default test run.

The suite is run by ``python tests/benchmarks/run.py``; its helpers are
checked cheaply by ``tests/test_benchmark_harness.py``. Nothing here is
collected, not even under ``--doctest-modules`` (the contenders import
NumPy and micrograd, which the default test run need not have).
"""

collect_ignore_glob = ["*.py"]
