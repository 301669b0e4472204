"""Pydantic's validation errors for the config, as one Vietnamese line per problem:
where the value came from (the file, an environment variable, ``--db``), the key path
(``[reminders] escalate_after``), the expected form, and the value given — except for
secrets, which are never echoed.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import make_url

ENV_PREFIX = "DONDOC_"
SECRET_KEYS = {"token", "webhook_secret", "secret"}
SECRET_WORDS = ("token", "secret", "password", "passwd", "key", "credential")

# pydantic error type -> the expected form, said to an operator.
FORMS = {
    "float_parsing": "phải là một số, ví dụ 30 hoặc 1.5",
    "float_type": "phải là một số, ví dụ 30 hoặc 1.5",
    "finite_number": "phải là một số hữu hạn",
    "int_parsing": "phải là một số nguyên, ví dụ 3",
    "int_type": "phải là một số nguyên, ví dụ 3",
    "int_from_float": "phải là một số nguyên, ví dụ 3",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "string_type": 'phải là một chuỗi trong ngoặc kép, ví dụ "abc"',
    "string_pattern_mismatch": "không đúng dạng",
    "list_type": "phải là một danh sách, ví dụ [7, 3, 1]",
    "time_parsing": 'phải là giờ dạng "HH:MM", ví dụ "08:00"',
    "time_type": 'phải là giờ dạng "HH:MM", ví dụ "08:00"',
    "date_parsing": 'phải là ngày dạng "YYYY-MM-DD", ví dụ "2026-04-27"',
    "date_type": 'phải là ngày dạng "YYYY-MM-DD", ví dụ "2026-04-27"',
    "date_from_datetime_inexact": 'phải là ngày dạng "YYYY-MM-DD", ví dụ "2026-04-27"',
    "date_from_datetime_parsing": 'phải là ngày dạng "YYYY-MM-DD", ví dụ "2026-04-27"',
    "model_type": "phải là một mục (bảng TOML), ví dụ [reminders]",
    "model_attributes_type": "phải là một mục (bảng TOML), ví dụ [reminders]",
    "dict_type": "phải là một mục (bảng TOML), ví dụ [reminders]",
}
PATTERN_FORMS = {
    "webhook_path": 'phải bắt đầu bằng "/", ví dụ "/zalo/webhook"',
}
URL_FORM = 'phải để trống hoặc là địa chỉ bắt đầu bằng "https://"'


def describe(exc: ValidationError, source: str | None, root: type[BaseModel],
             prefix: tuple[str, ...] = (), *, from_env: bool = True) -> list[str]:  # fmt: skip
    """One line per error of ``exc``, raised while validating ``root`` from ``source``
    (a file name, ``--db``) and, if ``from_env``, the environment; ``prefix`` is the key
    path of ``root`` in the whole config."""
    lines = []
    for error in exc.errors():
        loc = prefix + tuple(error["loc"])
        if not loc:  # a rule across keys: its message is already complete
            text = str(error.get("ctx", {}).get("error", error["msg"]))
            lines += [f"{_where(source, (), False)}{line}" for line in text.splitlines()]
            continue
        lines.append(f"{_where(source, loc, from_env)}{_problem(error, loc, root, prefix)}")
    return lines


def _where(source: str | None, loc: tuple[Any, ...], from_env: bool) -> str:
    env = _env_name(loc) if from_env else None
    if env:
        return f"biến môi trường {env}: "
    return f"{source}: " if source else ""


def _env_name(loc: tuple[Any, ...]) -> str | None:
    """The environment variable a value at ``loc`` came from, if one is set."""
    names = [ENV_PREFIX + "_".join(str(p) for p in loc[:n]).upper() for n in (2, 1)]
    present = {name.upper() for name in os.environ}
    return next((n for n in names if len(n) > len(ENV_PREFIX) and n in present), None)


def _key(loc: tuple[Any, ...]) -> str:
    text = f"[{loc[0]}]"
    if len(loc) > 1:
        text += f" {loc[1]}"
    if len(loc) > 2 and isinstance(loc[2], int):
        text += f" (phần tử thứ {loc[2] + 1})"
    return text


def _problem(error: dict[str, Any], loc: tuple[Any, ...], root: type[BaseModel],
             prefix: tuple[str, ...]) -> str:  # fmt: skip
    kind, ctx = error["type"], error.get("ctx", {})
    if kind == "extra_forbidden":
        return _unknown(loc, error["input"], root, prefix)
    if kind == "value_error":
        form = str(ctx.get("error", error["msg"]))
    elif kind == "literal_error":
        form = "phải là " + str(ctx.get("expected", "")).replace("'", '"').replace(" or ", " hoặc ")
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        form = _range(ctx, _bounds(root, loc[len(prefix):]))
    elif kind == "string_pattern_mismatch":
        form = PATTERN_FORMS.get(str(loc[-1]), URL_FORM)
    else:
        form = FORMS.get(kind, error["msg"])
    return f"{_key(loc)} {form}{_given(loc, error['input'])}"


def is_secret_key(loc: tuple[Any, ...]) -> bool:
    """Does any part of ``loc`` name a key that may hold a secret (tokens, secrets,
    passwords, keys), whatever the type of the value given?"""
    return any(
        isinstance(part, str) and any(word in part.lower() for word in SECRET_WORDS)
        for part in loc
    )


_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*(?=@)")


def mask_url(text: str) -> str:
    """``text`` with the password of any URL in it masked (``user:***@host``), also
    when the URL is too broken for a parser to read."""
    return _URL_PASSWORD.sub(r"\g<head>***", text)


def _given(loc: tuple[Any, ...], value: Any) -> str:
    if is_secret_key(loc):
        return ""  # never echo a secret, nor any part of it
    if len(loc) > 1 and loc[1] == "url" and isinstance(value, str):
        try:
            value = make_url(value).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - unparseable: masked by mask_url below
            pass
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        return ""
    elif isinstance(value, list | tuple | set):
        return ""  # a list is shown by its items' own errors, never whole
    else:
        text = mask_url(str(value))
    if len(text) > 80:
        text = text[:77] + "…"
    return f", không phải «{text}»"


def _bounds(root: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, Any]:
    """The ge/le/gt/lt limits declared on the field at ``loc`` (within ``root``)."""
    model: Any = root
    field = None
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if not isinstance(part, str) or not fields or part not in fields:
            break
        field = fields[part]
        model = field.annotation
    limits: dict[str, Any] = {}
    for item in field.metadata if field else []:
        for name in ("ge", "le", "gt", "lt"):
            if isinstance(item, getattr(annotated_types, name.capitalize())):
                limits[name] = getattr(item, name)
    return limits


def _range(ctx: dict[str, Any], limits: dict[str, Any]) -> str:
    limits = limits or ctx
    low, high = limits.get("ge"), limits.get("le")
    if low is not None and high is not None:
        return f"phải từ {low} đến {high}"
    if low is not None:
        return f"phải từ {low} trở lên"
    if high is not None:
        return f"không được lớn hơn {high}"
    if limits.get("gt") is not None:
        return f"phải lớn hơn {limits['gt']}"
    return f"phải nhỏ hơn {limits.get('lt')}"


def _unknown(loc: tuple[Any, ...], value: Any, root: type[BaseModel],
             prefix: tuple[str, ...]) -> str:  # fmt: skip
    """An unknown key: say so, and guess what was meant."""
    sections = {name: f.annotation for name, f in root.model_fields.items()}
    if len(loc) == 1 and not prefix:
        name = str(loc[0])
        home = [s for s, model in sections.items() if name in getattr(model, "model_fields", {})]
        if home:
            return f"«{name}» phải nằm trong mục [{home[0]}], không đứng ngoài mọi mục"
        if isinstance(value, dict):
            guess = difflib.get_close_matches(name, list(sections), n=1)
            hint = f"; có phải [{guess[0]}]?" if guess else f"; các mục có: {', '.join(sections)}"
            return f"không có mục [{name}]{hint}"
        keys = {k: s for s, model in sections.items() for k in getattr(model, "model_fields", {})}
        guess = difflib.get_close_matches(name, list(keys), n=1)
        hint = f"; có phải «{guess[0]}» trong mục [{keys[guess[0]]}]?" if guess else ""
        return f"không có thiết lập «{name}» ngoài mọi mục{hint}"
    section, key = str(loc[0]), str(loc[-1])
    model = root if prefix else sections.get(section)
    known = list(getattr(model, "model_fields", {}))
    guess = difflib.get_close_matches(key, known, n=1)
    hint = f"; có phải «{guess[0]}»?" if guess else ""
    return f"[{section}] không có thiết lập «{key}»{hint}"
