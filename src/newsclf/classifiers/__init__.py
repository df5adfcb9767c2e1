"""The built-in classifiers. The protocol they (and third-party ones) follow is
:class:`newsclf.typing.Classifier`, re-exported here."""

from __future__ import annotations

from ..typing import Classifier

__all__ = ["Classifier"]
