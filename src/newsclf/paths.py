"""Where the shipped models are: inside the installed package (``newsclf/models/``, as the
wheel puts them) or in a source checkout's ``models/``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["shipped_models_dir"]

_HERE = Path(__file__).resolve().parent


def shipped_models_dir(member: str) -> Path | None:
    """The first models folder holding ``member`` (a relative path such as
    ``default.joblib``), or None."""
    for folder in (_HERE / "models", _HERE.parents[1] / "models"):
        if (folder / member).exists():
            return folder
    return None
