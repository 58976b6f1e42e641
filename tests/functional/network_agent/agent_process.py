"""An agent in a process of its own, for restart tests: sync a pickled DataPlane, then idle.

Usage: python -m tests.functional.network_agent.agent_process HOST PREFIX STATE_DIR PICKLE
"""

from __future__ import annotations

import asyncio
import pickle
import sys

from kilocloud.network.agent.agent import DataPlaneAgent


async def main(host: str, prefix: str, state_dir: str, path: str) -> None:
    """Sync once, say so, and wait to be killed."""
    with open(path, "rb") as source:
        desired = pickle.load(source)
    await DataPlaneAgent(host, prefix, state_dir).sync(desired)
    print("synced", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
