"""Scheduled runs of the ``ingest`` flow with Prefect's own ``flow.serve``.

A schedule needs a running Prefect server: Prefect's temporary (ephemeral) server has no
scheduler, so ``flow.serve`` there logs "Cannot schedule flows" and never runs anything. Each
scheduled run starts in a fresh subprocess of the serving process and is incremental: the
output's manifest lists the files already read, so only new or changed files are processed.
"""

from __future__ import annotations

from typing import Any

START_SERVER_HINT = (
    "start one with `prefect server start --host 127.0.0.1`, "
    "then `export PREFECT_API_URL=http://127.0.0.1:4200/api`"
)


def configured_api_url() -> str | None:
    """The Prefect API URL from the environment or the active profile; None in ephemeral mode."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    return str(url) if url else None


def find_server_problem() -> str | None:
    """Why scheduling cannot work here, as one line; None when a server answers."""
    import httpx

    url = configured_api_url()
    if url is None:
        return (
            "a schedule needs a running Prefect server and PREFECT_API_URL is not set: "
            + START_SERVER_HINT
        )
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as error:
        reason = type(error).__name__
        return f"no Prefect server answers at PREFECT_API_URL={url} ({reason}): {START_SERVER_HINT}"
    return None


def check_cron(cron: str) -> str | None:
    """Why ``cron`` is not a valid cron string, as one line; None when it is."""
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=cron)
    except ValidationError as error:
        return f"invalid --cron {cron!r}: {error.errors()[0]['msg']}"
    return None


def serve_ingest(
    name: str, parameters: dict[str, Any], cron: str | None, interval: float | None
) -> None:
    """Serve the flow as deployment ``name`` on a schedule until interrupted (Ctrl-C pauses it).

    One run at a time (``limit=1``): a run that is due while the one before still writes OUT
    waits for it, rather than failing on OUT's lock.
    """
    from ingest_flows.ingest_flow import ingest

    ingest.serve(
        name=name,
        cron=cron,
        interval=interval,
        parameters=parameters,
        description="Scheduled ingest runs, served by `ingest serve`.",
        tags=["ingest"],
        limit=1,
    )
