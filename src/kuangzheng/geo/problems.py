"""Problems found in geometry input, named by block, point and row, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One defect. ``code`` is stable for programs; ``zh``/``en`` are for people.

    ``block`` is the 1-based block number of a boundary, ``point`` the point label (点号),
    ``row`` the 1-based line of a text file or feature row of a layer.
    """

    code: str
    zh: str
    en: str
    severity: str = ERROR
    block: int | None = None
    point: str | None = None
    row: int | None = None

    @property
    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"第{self.row}行 row {self.row}")
        if self.block is not None:
            parts.append(f"区块{self.block} block {self.block}")
        if self.point is not None:
            parts.append(f"点{self.point} point {self.point}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where
        head = f"[{where}] " if where else ""
        return f"{head}{self.zh} / {self.en}"

    def at(self, **where) -> Problem:
        """The same problem placed at another row/block/point (e.g. a feature's row)."""
        fields = {**self.__dict__, **where}
        return Problem(**fields)


@dataclass
class GeoError(ValueError):
    """Raised when input cannot be used; carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
