"""What ``dondoc parse-deadline`` and ``dondoc parse-status`` print, in the language of
the person at the terminal: ``--lang vi|en``, else the environment's locale (LANGUAGE,
LC_ALL, LC_MESSAGES, LANG: "en_US.UTF-8" is English), else Vietnamese. ``--json`` keeps
its fields and values (machine words such as "period" and "in_progress") whatever the
language."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from typing import Any

from language.deadlines import Deadline, describe_problem
from locales import DEFAULT_LANGUAGE, LANGUAGES, N_, _

KIND_LABELS = {
    "due": N_("một ngày hạn"),
    "period": N_("một khoảng thời gian"),
    "recurring": N_("lặp lại"),
    "continuous": N_("thường xuyên"),
    "on_request": N_("theo yêu cầu"),
    "unknown": N_("chưa đọc được"),
}
EVERY_LABELS = {
    "month": N_("hằng tháng"),
    "quarter": N_("hằng quý"),
    "half": N_("6 tháng một lần"),
    "year": N_("hằng năm"),
    "list": N_("theo danh sách các kỳ"),
}
STATUS_LABELS = {
    "done": N_("Hoàn thành"),
    "in_progress": N_("Đang thực hiện"),
    "not_started": N_("Chưa thực hiện"),
    "not_applicable": N_("Chưa phát sinh"),
    "extension": N_("Xin gia hạn"),
    "unknown": N_("Chưa hiểu"),
}
NONE = "—"


def terminal_language(chosen: str | None, env: Mapping[str, str] | None = None) -> str:
    """The language to print in: ``chosen``, else the first locale variable set."""
    if chosen in LANGUAGES:
        return chosen
    env = os.environ if env is None else env
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _day(value: str | None, lang: str) -> str:
    """A date as the person reads it: 30/09/2026, or 30 Sep 2026 in English."""
    if not value:
        return NONE
    day = date.fromisoformat(value)
    if lang == "vi":
        return day.strftime("%d/%m/%Y")
    from babel.dates import format_date  # here: babel.dates costs 20 ms at start (issue 24)

    return format_date(day, "d MMM y", locale=lang)


def deadline_lines(deadline: Deadline, lang: str) -> str:
    """The reading of a deadline phrase, one field a line, in the current language."""
    data = deadline.to_json()
    lines = [
        _("Loại: {kind}").format(kind=_(KIND_LABELS[data["kind"]])),
        _("Bắt đầu: {date}").format(date=_day(data["start"], lang)),
        _("Hạn: {date}").format(date=_day(data["due"], lang)),
        _("Lặp lại: {every}").format(
            every=_(EVERY_LABELS[data["every"]]) if data["every"] else NONE
        ),
    ]
    if problem := describe_problem(deadline):
        lines.append(problem)
    return "\n".join(lines)


def status_lines(data: dict[str, Any], confidence: float, lang: str) -> str:
    """The reading of a reply, one field a line, in the current language."""
    percent = data["percent"]
    lines = [
        _("Tình trạng: {status}").format(status=_(STATUS_LABELS[data["status"]])),
        _("Tỷ lệ: {percent}").format(percent=NONE if percent is None else f"{percent}%"),
        _("Lý do: {reason}").format(reason=data["reason"] or NONE),
        _("Minh chứng: {evidence}").format(evidence="; ".join(data["evidence"]) or NONE),
        _("Gia hạn đến: {date}").format(date=_day(data["until"], lang)),
        _("Độ chắc chắn: {confidence}").format(confidence=_decimal(confidence, lang)),
    ]
    for task in data["tasks"]:
        what = _(STATUS_LABELS[task["status"]])
        if task["percent"] is not None and task["status"] == "in_progress":
            what += f" {task['percent']}%"
        lines.append(_("Nhiệm vụ {number}: {status}").format(number=task["number"], status=what))
    return "\n".join(lines)


def _decimal(value: float, lang: str) -> str:
    from babel.numbers import format_decimal  # only a reply read aloud needs it, not --json

    return format_decimal(value, format="0.00", locale=lang)
