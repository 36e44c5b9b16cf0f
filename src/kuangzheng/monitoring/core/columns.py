"""Columnar helpers: input validation and group-by over numpy arrays (no per-row Python loop).

Every indicator groups rows by a few key columns (division code, metal, period, ...). ``group``
turns the key columns into one integer group id per row; sums and counts are then
``np.bincount`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import MonitorInputError


def as_numbers(name: str, values, *, n: int | None = None, nonneg: bool = True, allow_nan: bool = False) -> np.ndarray:
    """A float array of finite numbers (≥ 0 unless ``nonneg`` is False), of length ``n`` if given.

    With ``allow_nan``, NaN is accepted as "not reported".
    """
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise MonitorInputError(name, "须为数值", "must be numbers") from exc
    if arr.ndim != 1:
        raise MonitorInputError(name, "须为一维数组", "must be a one-dimensional array")
    check_length(name, arr, n)
    bad = (np.isinf(arr) if allow_nan else ~np.isfinite(arr)) | ((arr < 0) if nonneg else False)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        want_zh, want_en = ("有限的非负数", "finite and non-negative") if nonneg else ("有限数", "finite")
        raise MonitorInputError(f"{name}[{i}]", f"值 {arr[i]!r} 不是{want_zh}", f"value {arr[i]!r} is not {want_en}")
    return arr


def as_keys(name: str, values, *, n: int | None = None) -> np.ndarray:
    """A one-dimensional key column (codes, metals, periods), of length ``n`` if given."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise MonitorInputError(name, "须为一维数组", "must be a one-dimensional array")
    check_length(name, arr, n)
    return arr


def check_length(name: str, arr: np.ndarray, n: int | None) -> None:
    if n is not None and len(arr) != n:
        raise MonitorInputError(
            name,
            f"长度为 {len(arr)}，应为 {n}（与其他列一致）",
            f"has length {len(arr)}, expected {n} (same as the other columns)",
        )


@dataclass(frozen=True)
class Groups:
    """The distinct combinations of the key columns, and each row's group id."""

    keys: dict[str, np.ndarray]  # one array per key column, one entry per group
    ids: np.ndarray  # group id of each row
    count: int

    def sum(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.ids, weights=values, minlength=self.count)

    def size(self, mask: np.ndarray | None = None) -> np.ndarray:
        ids = self.ids if mask is None else self.ids[mask]
        return np.bincount(ids, minlength=self.count).astype(np.int64)


def group(**columns) -> Groups:
    """Group rows by the given key columns (all the same length).

    Groups are sorted by the key columns in the order given.
    """
    if not columns:
        raise MonitorInputError("keys", "至少需要一个分组列", "at least one key column is needed")
    n = len(next(iter(columns.values())))
    codes, uniques = [], []
    for name, values in columns.items():
        arr = as_keys(name, values, n=n)
        u, inv = np.unique(arr, return_inverse=True)
        uniques.append(u)
        codes.append(inv.reshape(-1))
    if n == 0:
        return Groups({k: u[:0] for k, u in zip(columns, uniques)}, np.zeros(0, np.int64), 0)
    combined = np.ravel_multi_index(codes, [len(u) for u in uniques])
    present, ids = np.unique(combined, return_inverse=True)
    parts = np.unravel_index(present, [len(u) for u in uniques])
    keys = {k: u[p] for k, u, p in zip(columns, uniques, parts)}
    return Groups(keys, ids.reshape(-1), len(present))


def safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0 (an undefined indicator, not an infinite one)."""
    out = np.full(np.shape(num), np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
