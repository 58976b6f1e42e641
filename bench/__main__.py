"""`python -m bench <name> [args]`: run bench/<name>.py's main(argv)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
NOT_BENCHMARKS = {"load", "balancer"}


def benchmarks() -> list[str]:
    """Names of the benchmark modules in this package."""
    names = (m.name for m in pkgutil.iter_modules([str(HERE)]))
    return sorted(n for n in names if n not in NOT_BENCHMARKS and not n.startswith("_"))


def main(argv: list[str]) -> int:
    """Dispatch to one benchmark, or list them."""
    if not argv or argv[0] not in benchmarks():
        print(f"usage: python -m bench {{{','.join(benchmarks())}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{argv[0]}")
    return module.main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
