"""Identifier checks: unified social credit codes (GB 32100-2015) and division codes (GB/T 2260)."""

from __future__ import annotations

# GB 32100-2015 uses 31 characters: digits and capitals without I, O, S, V, Z.
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> tuple[str, str] | None:
    """None when valid, else (zh, en) saying why."""
    if len(code) != 18:
        return (f"应为18位，实为{len(code)}位", f"must have 18 characters, has {len(code)}")
    bad = sorted({c for c in code if c not in CREDIT_CHARSET})
    if bad:
        return (
            f"含有不允许的字符 {''.join(bad)}（不得使用 I、O、S、V、Z 及小写字母）",
            f"contains characters not allowed: {''.join(bad)} (no I, O, S, V, Z or lower case)",
        )
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return (
            f"校验码错误：第18位应为 {expected}，实为 {code[17]}",
            f"wrong check character: position 18 should be {expected}, is {code[17]}",
        )
    return None


def make_credit_code(body17: str) -> str:
    """Complete 17 characters with their check character (used to generate demo enterprises)."""
    return body17 + credit_check_char(body17)
