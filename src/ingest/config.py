"""The pipeline's settings, and the defaults of a run.

``PipelineConfig`` is one immutable object, built once and passed down. ``RUN_DEFAULTS`` holds
the values a run uses when nobody gives them: the ``ingest run`` and ``ingest serve`` options and
the flow's parameters all read them from here, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024
DEFAULT_REPAIR_PROFILE = "default"


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Settings that change what a document becomes.

    - ``repair_profile``: the name of a text-repair profile (``ingest.repair.REPAIR_PROFILES``);
      ``default`` repairs mojibake, entities and controls and keeps typographic quotes, dashes,
      ligatures and full-width punctuation, as the output contract requires.
    - ``max_input_bytes``: larger inputs become ``too_large`` rejects instead of documents.
    """

    repair_profile: str = DEFAULT_REPAIR_PROFILE
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES


DEFAULT_CONFIG = PipelineConfig()


@dataclass(frozen=True, slots=True)
class RunDefaults:
    """What a run uses when its caller does not say otherwise.

    - ``batch_files``: most files in one batch (one Prefect task).
    - ``batch_mb``: about how many MB of input one batch reads.
    - ``repair_profile``: the text-repair profile (see ``PipelineConfig``).
    - ``workers``: batches processed at once; ``None`` is as many as the machine allows
      (``ingest.run.workers.machine_worker_limit``).

    >>> RUN_DEFAULTS.batch_files, RUN_DEFAULTS.repair_profile == DEFAULT_CONFIG.repair_profile
    (1000, True)
    """

    batch_files: int = 1000
    batch_mb: float = 4.0
    repair_profile: str = DEFAULT_REPAIR_PROFILE
    workers: int | None = None


RUN_DEFAULTS = RunDefaults()
