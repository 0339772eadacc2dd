"""``python -m ingest_flows.api_server --port N``: Prefect's API for one run, dying with its parent.

Started by ``ingest_flows.runtime.temporary_api_server``. It runs the same uvicorn command as
Prefect's ephemeral mode (``prefect.server.api.server:create_app``, no UI, 127.0.0.1), after
asking the kernel to kill it when the process that started it dies, so that a run killed with
SIGKILL leaves no server behind.
"""

from __future__ import annotations

import argparse
import sys

from ingest_flows.runtime import die_with_parent


def main(argv: list[str] | None = None) -> None:
    """Parse ``--port`` and serve Prefect's API on 127.0.0.1 until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent-pid", type=int, help="the pid of the process that started it")
    args = parser.parse_args(argv)
    die_with_parent(args.parent_pid)
    import uvicorn

    sys.argv = [
        "uvicorn",
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]
    uvicorn.main()


if __name__ == "__main__":
    main()
