"""Type stubs for scrim (the compiled module scrim._scrim)."""

import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union, final

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
class StoreError(ScrimError): ...

@final
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

@final
class Redactor:
    """Redacts personal data in chat records, by a policy, under a key."""

    def __new__(
        cls,
        policy: Union[str, "os.PathLike[str]", None] = None,
        key: Union[str, bytes, None] = None,
        tiers: Sequence[str] = ...,  # ("rules",)
        model_dir: Union[str, "os.PathLike[str]", None] = None,
        threads: Optional[int] = None,
    ) -> "Redactor": ...
    def redact(self, record: Dict[str, Any]) -> Dict[str, Any]:
        """The redacted record (what ``scrim redact`` writes), or ``{"quarantine": {...}}``."""
    def redact_many(self, records: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """One result per record, in order, on Scrim's own threads."""
    def detect(self, text: str) -> List[Span]:
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

@final
class Admission:
    """What ``Store.admit`` decided: the admitted rows, their lineage ids, the counts."""

    @property
    def rows(self) -> Any:
        """The admitted rows: a ``pyarrow.RecordBatch`` (Arrow input) or a list of dicts."""
    @property
    def record_ids(self) -> List[str]: ...
    @property
    def subject_ids(self) -> List[Optional[str]]: ...
    @property
    def indices(self) -> List[int]: ...
    @property
    def excluded(self) -> Dict[str, int]: ...
    @property
    def quarantined(self) -> Dict[str, int]: ...
    def with_lineage(self, batch: Any) -> Any:
        """``batch`` with the ``scrim_subject`` and ``scrim_record`` columns added."""
    def __len__(self) -> int: ...

@final
class Store:
    """The governance store: admission by consent, lineage ids."""

    def __new__(
        cls,
        url: str,
        master_key: Optional[str] = None,
        master_key_file: Union[str, "os.PathLike[str]", None] = None,
        governance: Union[str, "os.PathLike[str]", None] = None,
    ) -> "Store": ...
    def admit(self, batch_or_records: Any, purpose: str) -> Admission:
        """The rows admitted for ``purpose``, their lineage ids, the exclusion counts."""
    def set_consent(
        self,
        subject: str,
        purpose: str,
        decision: str,
        note: Optional[str] = None,
        actor: str = "python",
    ) -> None: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...
