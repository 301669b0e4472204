"""Shortened titles stay within their limit and end between words when they can."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.short_text import short


@given(st.text(max_size=300), st.integers(min_value=1, max_value=200))
def test_within_the_limit_and_a_prefix(text: str, limit: int) -> None:
    out = short(text, limit)
    one_line = " ".join(text.split())
    assert len(out) <= limit
    if out != one_line:
        assert out.endswith("…") and one_line.startswith(out[:-1])


def test_cut_between_words() -> None:
    title = "Ban hành, triển khai thực hiện Kế hoạch tuyên truyền cải cách hành chính"
    assert short(title, 58) == "Ban hành, triển khai thực hiện Kế hoạch tuyên truyền cải…"
    assert short(title, 20) == "Ban hành, triển…"
    assert short("Ngắn", 20) == "Ngắn"
    assert short("x" * 30, 10) == "x" * 9 + "…"  # one long word: cut inside it
