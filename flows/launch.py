"""The Prefect runner behind ``ingest run`` and ``ingest serve``.

The command line (``ingest.cli``) never imports Prefect or this package: it checks the
arguments, holds the output's lock and finds this runner through the entry point group
``ingest.runners`` (declared in pyproject.toml), whose interface ``ingest.run.runner`` defines.
Everything Prefect needs around a run lives here: its settings, its log file, the temporary API
server, and the flow call itself.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from ingest.run.progress import ProgressListener
from ingest.run.runner import RunRefused, RunRequest

# Prefect settings for a one-off run, used only where the user has not set them. The first run on
# a fresh PREFECT_HOME migrates a database for 14-18 s, close to Prefect's 20 s start-up timeout.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
}

# Prefect's logging for a one-off run: its console output goes to the run's log file.
RUN_LOGGING_CONFIG = Path(__file__).with_name("logging.yml")
# The variables that name a logging configuration of the user's own: then it is theirs to route.
USER_LOGGING_SETTINGS = ("PREFECT_LOGGING_SETTINGS_PATH", "PREFECT_LOGGING_CONFIG_PATH")


def configure_prefect(log_file: Path | None = None) -> None:
    """Quiet, offline-friendly Prefect defaults for a run (user settings win).

    With ``log_file``, what Prefect would print on the terminal goes to that file, in this
    process and in the worker processes, which inherit the environment.
    """
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if not os.environ.get("PREFECT_API_URL"):
        # The temporary server is thrown away with its logs: don't ship them to it.
        os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    if log_file is not None and not any(os.environ.get(n) for n in USER_LOGGING_SETTINGS):
        os.environ["PREFECT_LOGGING_SETTINGS_PATH"] = str(RUN_LOGGING_CONFIG)
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_FILENAME"] = str(log_file)


def stop_temporary_server() -> None:
    """Stop a temporary server Prefect's ephemeral mode started, however the run ended.

    A run starts its own (``temporary_api_server``), so this only acts when something else made
    Prefect start one. Prefect stops it at exit, but not when the run was ended by a signal: it
    would outlive us.
    """
    server_module = sys.modules.get("prefect.server.api.server")
    if server_module is None:  # ephemeral mode never started: nothing to stop
        return
    server = server_module.SubprocessASGIServer()  # the one ephemeral mode started, if any
    if server.running:
        server.stop()


def describe_startup(api_url: str | None) -> str:
    """What the run says while Prefect starts, before anything can be counted.

    >>> describe_startup(None)
    "starting Prefect and its temporary API server (about 6 s; 20 s on a machine's first run)"
    >>> describe_startup("http://127.0.0.1:4200/api")
    'starting Prefect, with the server at http://127.0.0.1:4200/api'
    """
    if api_url:
        return f"starting Prefect, with the server at {api_url}"
    return (
        "starting Prefect and its temporary API server (about 6 s; 20 s on a machine's first run)"
    )


class PrefectRunner:
    """Runs the ``ingest`` flow once, or serves it on a schedule (``ingest.run.runner.Runner``)."""

    def run(
        self, request: RunRequest, progress: ProgressListener, log_file: Path
    ) -> dict[str, Any]:
        """Run the flow in this process and return its summary; the caller holds the lock."""
        started = time.perf_counter()
        configure_prefect(log_file)
        progress("status", {"message": describe_startup(os.environ.get("PREFECT_API_URL"))})
        from ingest_flows.runtime import temporary_api_server

        try:
            with temporary_api_server() as server:
                # Prefect and the flow are imported while the server boots in its own process.
                from ingest_flows import ingest_flow

                ingest_flow.PROGRESS_LISTENERS.append(progress)
                ingest_flow.LOCKS_HELD_BY_CALLER.add(request.output)
                ingest_flow.CALLERS_STARTED[request.output] = started
                try:
                    server.ready()
                    summary: dict[str, Any] = ingest_flow.ingest(**request.parameters())
                finally:
                    ingest_flow.PROGRESS_LISTENERS.remove(progress)
                    ingest_flow.LOCKS_HELD_BY_CALLER.discard(request.output)
                    ingest_flow.CALLERS_STARTED.pop(request.output, None)
        finally:
            stop_temporary_server()
        return summary

    def serve(
        self, request: RunRequest, name: str, cron: str | None, interval: float | None
    ) -> None:
        """Serve the flow as deployment ``name`` until interrupted; ``RunRefused`` if it cannot."""
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")  # a service's log says what it ran
        configure_prefect()
        from ingest_flows.serve import check_cron, find_server_problem, serve_ingest

        problem = (check_cron(cron) if cron is not None else None) or find_server_problem()
        if problem:
            raise RunRefused(problem)
        parameters = request.parameters()
        del parameters["force"]  # a schedule processes only what is new
        serve_ingest(name, parameters, cron, interval)
