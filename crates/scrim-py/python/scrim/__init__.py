"""Scrim: find personal data in chat records and replace it.

A thin binding over Scrim's Rust core (``scrim-core``) and batch pipeline (``scrim-pipeline``):
nothing is re-implemented in Python. See ``Redactor``.

>>> import scrim
>>> r = scrim.Redactor(key="a secret of at least 16 bytes")
>>> r.redact({"text": "I'm Priya Sharma"})["text"]
"I'm [PERSON_1]"
"""

from ._scrim import (
    BatchError,
    ConfigError,
    DetectionError,
    PolicyError,
    RecordError,
    Redactor,
    ScrimError,
    Span,
    __version__,
)

__all__ = [
    "BatchError",
    "ConfigError",
    "DetectionError",
    "PolicyError",
    "RecordError",
    "Redactor",
    "ScrimError",
    "Span",
    "__version__",
]
