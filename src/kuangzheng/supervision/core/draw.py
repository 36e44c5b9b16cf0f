"""The verifiable random draw (双随机): which subjects are inspected and by whom, recomputable by anyone
from the published result file alone.

No published government algorithm exists for this (practice is a recorded lottery); ours, documented
in docs/supervision.md, is:

1. Before the draw the plan publishes the SHA-256 of each frozen pool (canonical JSON, below) and the
   seed's source (e.g. a named future public figure), so neither pool nor seed can be chosen later.
2. Each subject's rank key is SHA-256(seed ‖ "\\n" ‖ subject id); the n lowest keys are drawn.
3. For each drawn subject (in rank order) the inspectors not recused from it are ranked by
   SHA-256(seed ‖ "\\n" ‖ subject id ‖ "\\n" ‖ inspector id) and the first `per_subject` are taken.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from dataclasses import dataclass

ALGORITHM = "kz-draw-v1"
MIN_INSPECTORS = 2  # 双随机一公开: at least two inspectors per check


def canonical(obj) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8 (the hash input everyone can rebuild)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def frozen(pool: list[dict]) -> list[dict]:
    """The pool in its canonical order (by id); ids must be unique text without newlines."""
    return sorted(pool, key=lambda row: row["id"])


def pool_hash(pool: list[dict]) -> str:
    return sha256(canonical(frozen(pool)))


def rank_key(seed: str, *ids: str) -> str:
    return sha256("\n".join((seed, *ids)).encode("utf-8"))


def how_many(pool_size: int, ratio: float | None, count: int | None) -> int:
    """A count is taken as is; a ratio is rounded up (3 % of 10 subjects inspects 1, not 0)."""
    n = count if count is not None else math.ceil(pool_size * (ratio or 0) - 1e-9)
    return max(0, min(pool_size, n))


def _prefix(code: str) -> str:
    """Recusal by division: an inspector of a division is recused from everything inside it (GB/T 2260
    prefixes: a region's inspector from the whole region)."""
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code


@dataclass(frozen=True)
class Drawn:
    subject: str
    key: str
    inspectors: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"subject": self.subject, "key": self.key, "inspectors": list(self.inspectors)}


class DrawProblem(ValueError):
    """The draw cannot be made as the plan says (e.g. too few inspectors left after recusal)."""


def draw(seed: str, subjects: list[dict], inspectors: list[dict], n: int, per_subject: int, rules: dict) -> list[Drawn]:
    """The n subjects with the smallest keys, each with its first `per_subject` inspectors not recused.
    Hashing shares the seed's prefix state (`hashlib` copy) and only the n smallest are kept in order
    (`heapq.nsmallest`): the same keys as `rank_key`, at the cost of one hash per subject."""
    prefix = hashlib.sha256(seed.encode("utf-8") + b"\n")

    def key(sid: str) -> bytes:
        h = prefix.copy()
        h.update(sid.encode("utf-8"))
        return h.digest()

    first = heapq.nsmallest(n, ((key(s["id"]), i) for i, s in enumerate(subjects)))
    pool = [
        (i["id"], i["id"].encode("utf-8"), set(i.get("links") or ()), _prefix(i.get("division") or ""))
        for i in inspectors
    ]
    own = bool(rules.get("own_division"))
    out = []
    for digest, index in first:
        subject = subjects[index]
        sid, ent, div = subject["id"], subject.get("enterprise"), subject.get("division") or ""
        per = prefix.copy()
        per.update(sid.encode("utf-8") + b"\n")
        eligible = []
        for iid, iid_bytes, links, home in pool:
            if (ent is not None and ent in links) or (own and home and div.startswith(home)):
                continue
            h = per.copy()
            h.update(iid_bytes)
            eligible.append((h.digest(), iid))
        if len(eligible) < per_subject:
            raise DrawProblem(f"subject {sid}: {len(eligible)} inspectors left after recusal, {per_subject} needed")
        eligible.sort()
        out.append(Drawn(sid, digest.hex(), tuple(i for _, i in eligible[:per_subject])))
    return out


def result_file(
    plan: dict, seed: str, subjects: list[dict], inspectors: list[dict], drawn: list, hashes: tuple | None = None
) -> dict:
    """The published result: everything needed to recompute the draw, and nothing else. `hashes`: the
    pools' hashes when the caller already has them (pools frozen and hashed at publication)."""
    subjects_sha256, inspectors_sha256 = hashes or (pool_hash(subjects), pool_hash(inspectors))
    return {
        "algorithm": ALGORITHM,
        "plan": plan,
        "seed": seed,
        "subjects": frozen(subjects),
        "subjects_sha256": subjects_sha256,
        "inspectors": frozen(inspectors),
        "inspectors_sha256": inspectors_sha256,
        "drawn": [d if isinstance(d, dict) else d.as_dict() for d in drawn],
    }


def verify(published: dict) -> list[str]:
    """Every way the published file disagrees with itself: pools that do not hash to what was
    announced before the draw, or a draw that does not follow from the seed. Empty when it holds."""
    problems = []
    if published.get("algorithm") != ALGORITHM:
        return [f"unknown algorithm {published.get('algorithm')!r} (this tool verifies {ALGORITHM})"]
    try:
        plan, seed = published["plan"], published["seed"]
        subjects, inspectors = published["subjects"], published["inspectors"]
        announced = plan["announced"]
    except (KeyError, TypeError) as exc:
        return [f"the file lacks {exc}"]
    for name, pool in (("subjects", subjects), ("inspectors", inspectors)):
        actual = pool_hash(pool)
        if actual != published.get(f"{name}_sha256"):
            problems.append(f"{name}: the pool hashes to {actual}, the file says {published.get(f'{name}_sha256')}")
        if actual != announced.get(f"{name}_sha256"):
            problems.append(
                f"{name}: the pool hashes to {actual}, the plan announced {announced.get(f'{name}_sha256')}"
            )
    n = how_many(len(subjects), plan.get("ratio"), plan.get("count"))
    try:
        again = [d.as_dict() for d in draw(seed, subjects, inspectors, n, plan["per_subject"], plan["recusal"])]
    except (DrawProblem, KeyError, TypeError) as exc:
        return problems + [f"the draw cannot be recomputed: {exc}"]
    if again != published.get("drawn"):
        problems.append("the drawn subjects or inspectors differ from what the seed and pools give")
    return problems
