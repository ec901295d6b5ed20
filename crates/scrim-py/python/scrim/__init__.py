"""Scrim: find personal data in chat records and replace it.

A thin binding over Scrim's Rust core (``scrim-core``) and batch pipeline (``scrim-pipeline``):
nothing is re-implemented in Python. See ``Redactor``, and ``Store`` for consent and lineage
against the governance store.

>>> import scrim
>>> r = scrim.Redactor(key="a secret of at least 16 bytes")
>>> r.redact({"text": "I'm Priya Sharma"})["text"]
"I'm [PERSON_1]"
"""

from ._scrim import (
    Admission,
    BatchError,
    ConfigError,
    DetectionError,
    PolicyError,
    RecordError,
    Redactor,
    ScrimError,
    Span,
    Store,
    StoreError,
    __version__,
)

__all__ = [
    "Admission",
    "BatchError",
    "ConfigError",
    "DetectionError",
    "PolicyError",
    "RecordError",
    "Redactor",
    "ScrimError",
    "Span",
    "Store",
    "StoreError",
    "__version__",
]
