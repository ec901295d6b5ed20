"""Type stubs for scrim (the compiled module scrim._scrim)."""

import os
from typing import Any, Iterable, Optional, Sequence, Tuple, Union

__version__: str

class ScrimError(Exception):
    """Base class of Scrim's errors; the message never quotes content."""

    code: str
    """A stable identifier (``invalid_policy``, ``key_too_short``, ``not_a_dict``, ...)."""
    position: str
    """Where: an argument (``key``), a record (``record 3``), ``line L, column C`` of a policy."""

class PolicyError(ScrimError): ...
class ConfigError(ScrimError): ...
class RecordError(ScrimError): ...
class BatchError(ScrimError): ...
class DetectionError(ScrimError): ...

class Span:
    """A span of personal data: code point offsets into the text, never the text."""

    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def rule(self) -> str: ...
    @property
    def kind(self) -> Optional[str]: ...

Record = dict[str, Any]

class Redactor:
    """Redacts personal data in chat records, by a policy, under a key."""

    def __init__(
        self,
        policy: Union[str, "os.PathLike[str]", None] = None,
        key: Union[str, bytes, None] = None,
        tiers: Optional[Sequence[str]] = ("rules",),
        model_dir: Union[str, "os.PathLike[str]", None] = None,
        threads: Optional[int] = None,
    ) -> None: ...
    def redact(self, record: Record) -> Record:
        """The redacted record (what ``scrim redact`` writes), or ``{"quarantine": {...}}``."""
    def redact_many(self, records: Iterable[Record]) -> list[Record]:
        """One result per record, in order, on Scrim's own threads."""
    def detect(self, text: str) -> list[Span]:
        """Spans of personal data in ``text``, code point offsets."""
    def redact_arrow(self, batch: Any) -> Any:
        """An Arrow batch or stream in (PyCapsule interface), a ``pyarrow.RecordBatch`` out."""
    @property
    def policy_hash(self) -> str: ...
    @property
    def tiers(self) -> Tuple[str, ...]: ...
    @property
    def threads(self) -> int: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...
