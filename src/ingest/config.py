"""The pipeline's settings: one immutable object, built once and passed down."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Settings that change what a document becomes.

    - ``repair_profile``: the name of a text-repair profile (``ingest.repair.REPAIR_PROFILES``);
      ``default`` repairs mojibake, entities and controls and keeps typographic quotes, dashes,
      ligatures and full-width punctuation, as the output contract requires.
    - ``max_input_bytes``: larger inputs become ``too_large`` rejects instead of documents.
    """

    repair_profile: str = "default"
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES


DEFAULT_CONFIG = PipelineConfig()
