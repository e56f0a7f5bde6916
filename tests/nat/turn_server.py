"""The NAT suite's TURN server started from Python (omnirtc.TurnServer): same
arguments and output as turn_server.c.

    python3 turn_server.py CONFIG_FILE STATS_FILE STOP_FILE
"""

import asyncio
import json
import os
import sys

from omnirtc import TurnAllocation, TurnServer


async def main(config_file: str, stats_file: str, stop_file: str) -> None:
    with open(config_file) as f:
        server = TurnServer(json.load(f))

    def report(kind: str):
        def handler(a: TurnAllocation) -> None:
            print(f"turn: {kind} user={a.username} client={a.client_address} relay={a.relay_address} "
                  f"protocol={a.protocol}", flush=True)
        return handler

    server.on("allocationcreated", report("allocation-created"))
    server.on("allocationdeleted", report("allocation-deleted"))

    def write_stats() -> None:
        with open(stats_file + ".tmp", "w") as f:
            json.dump(server.stats(), f)
        os.replace(stats_file + ".tmp", stats_file)

    while not os.path.exists(stop_file):
        write_stats()
        await asyncio.sleep(0.1)
    write_stats()
    await server.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
