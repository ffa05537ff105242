"""Child process of run.py: times one kernel's run() and prints a JSON report.

    python measure.py [--hotloop [--threshold N]] KERNEL.py

With --hotloop, the JIT is enabled before the kernel module is imported, so its
code is compiled as a user's would be. Interpreter startup is not timed.
"""

import argparse
import importlib.util
import json
import sys
import time


def load_kernel(path):
    spec = importlib.util.spec_from_file_location("kernel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kernel")
    parser.add_argument("--hotloop", action="store_true")
    parser.add_argument("--threshold", type=int)
    options = parser.parse_args()
    if options.hotloop:
        import hotloop

        hotloop.enable(options.threshold)
        if not hotloop.is_enabled():
            sys.exit("measure.py: hotloop did not enable; is it built for this Python?")
    kernel = load_kernel(options.kernel)
    start = time.perf_counter()
    result = kernel.run()
    seconds = time.perf_counter() - start
    report = {"seconds": seconds, "result": repr(result)}
    if options.hotloop:
        stats = hotloop.stats()
        for key in ("traces_compiled", "iterations_compiled", "iterations_interpreted", "compile_ms_median"):
            report[key] = stats[key]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
