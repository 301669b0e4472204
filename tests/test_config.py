"""Settings: config.example.toml loads to the same values as before; every bad value,
unknown key and short webhook secret stops dondoc with one clear Vietnamese line (key,
expected form, value) and exit code 2; the environment and ``--db`` override the file."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import (
    DEFAULT_DB_URL,
    MIN_WEBHOOK_SECRET,
    Config,
    ConfigError,
    TelegramConfig,
    load_config,
)
from tests.conftest import ROOT

EXAMPLE = ROOT / "config.example.toml"
GOOD_SECRET = "A" * (MIN_WEBHOOK_SECRET - 4) + "_-z9"  # exactly 32, Telegram's alphabet


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DONDOC_* setting of the machine running the tests leaks in."""
    for name in list(os.environ):
        if name.upper().startswith("DONDOC_") and name.upper() != "DONDOC_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "dondoc.toml"
    file.write_text(text, encoding="utf-8")
    return file


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return caught.value.problems


def test_example_loads_to_the_documented_defaults() -> None:
    loaded = load_config(EXAMPLE)
    assert loaded.model_dump() == Config().model_dump()
    assert loaded.path == EXAMPLE
    # The values the dataclass loader produced before pydantic, pinned.
    assert loaded.database.url == DEFAULT_DB_URL
    assert loaded.organization.timezone == "Asia/Ho_Chi_Minh"
    tg, r = loaded.telegram, loaded.reminders
    assert (tg.mode, tg.webhook_port, tg.per_chat_interval, tg.global_rate) == ("polling", 8443, 1.0, 30.0)
    assert (loaded.zalo.webhook_port, loaded.zalo.webhook_path, loaded.zalo.poll_timeout) == (8444, "/zalo/webhook", 30)
    assert (r.send_time, r.quiet_start, r.quiet_end, r.digest_time) == (time(8), time(18), time(7, 30), time(8))
    assert (r.before_due, r.overdue_after, r.report_days_before) == ([7, 3, 1], [1, 3, 7], [5, 2])
    assert (r.escalate_after, r.dispatch_interval, r.plan_horizon_days, r.digest_weekday) == (3, 20, 35, 0)
    assert (r.quarterly_report_day, r.yearly_report_month, r.yearly_report_day) == (10, 12, 10)
    assert loaded.calendar.extra_days_off == [] == loaded.calendar.extra_working_days


def test_example_is_commented_throughout() -> None:
    """Every key sits under a comment: going up from it over other keys reaches a
    comment line, never a section header or a blank line."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "=" not in line or line.startswith("#"):
            continue
        j = i - 1
        while j >= 0 and "=" in lines[j] and not lines[j].startswith("#"):
            j -= 1
        assert j >= 0 and lines[j].startswith("#"), f"no comment above: {line}"


def test_values_of_every_type_are_read(tmp_path) -> None:  # noqa: ANN001
    config = load_config(write(tmp_path, """
[telegram]
global_rate = 25
per_chat_interval = 0.5
[reminders]
send_time = "07:45"
quiet_start = 19:00:00
on_due_day = false
before_due = [5, 1]
[calendar]
extra_days_off = ["2026-04-27", 2026-04-28]
"""))  # fmt: skip
    assert config.telegram.global_rate == 25.0 and config.telegram.per_chat_interval == 0.5
    r = config.reminders
    assert (r.send_time, r.quiet_start, r.on_due_day, r.before_due) == (time(7, 45), time(19), False, [5, 1])
    assert config.calendar.extra_days_off == [date(2026, 4, 27), date(2026, 4, 28)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[telegram]\nglobal_rate = "nhanh"', "[telegram] global_rate phải là một số, ví dụ 30 hoặc 1.5, không phải «nhanh»"),
        ('[reminders]\nescalate_after = "ba"', "[reminders] escalate_after phải là một số nguyên, ví dụ 3, không phải «ba»"),
        ("[reminders]\nescalate_after = true", "[reminders] escalate_after phải là một số, không phải «true»"),
        ("[reminders]\nsend_time = 8", '[reminders] send_time phải là giờ dạng "HH:MM"'),
        ('[reminders]\nquiet_end = "7h30"', '[reminders] quiet_end phải là giờ dạng "HH:MM", ví dụ "08:00", không phải «7h30»'),
        ('[reminders]\non_due_day = "có"', "[reminders] on_due_day phải là true hoặc false, không phải «có»"),
        ("[reminders]\ndispatch_interval = 45", "[reminders] dispatch_interval phải từ 1 đến 30, không phải «45»"),
        ("[reminders]\ndigest_weekday = 7", "[reminders] digest_weekday phải từ 0 đến 6, không phải «7»"),
        ('[reminders]\nbefore_due = [7, "ba"]', "[reminders] before_due (phần tử thứ 2) phải là một số nguyên"),
        ("[reminders]\nbefore_due = 7", "[reminders] before_due phải là một danh sách, ví dụ [7, 3, 1]"),
        ("[reminders]\nyearly_report_month = 2\nyearly_report_day = 30", "[reminders] yearly_report_day 30 không có trong tháng 2"),
        ("[telegram]\nglobal_rate = 0", "[telegram] global_rate phải lớn hơn 0, không phải «0»"),
        ('[telegram]\nmode = "webhok"', '[telegram] mode phải là "polling" hoặc "webhook", không phải «webhok»'),
        ("[telegram]\nwebhook_port = 70000", "[telegram] webhook_port phải từ 0 đến 65535, không phải «70000»"),
        ('[telegram]\nbase_url = "api.telegram.org/bot"', '[telegram] base_url phải để trống hoặc là địa chỉ bắt đầu bằng "https://"'),
        ('[zalo]\nwebhook_path = "zalo"', '[zalo] webhook_path phải bắt đầu bằng "/"'),
        ('[organization]\ntimezone = "Asia/Hanoi"', "[organization] timezone phải là tên múi giờ IANA, ví dụ \"Asia/Ho_Chi_Minh\", không phải «Asia/Hanoi»"),
        ('[database]\nurl = "mysql://dondoc:mat-khau@db/dondoc"', "[database] url phải là địa chỉ dạng \"sqlite+aiosqlite:///"),
        ('[calendar]\nextra_days_off = ["27/04/2026"]', '[calendar] extra_days_off (phần tử thứ 1) phải là ngày dạng "YYYY-MM-DD", ví dụ "2026-04-27", không phải «27/04/2026»'),
        ("[calendar]\nextra_working_days = [20260509]", "[calendar] extra_working_days (phần tử thứ 1) phải là ngày dạng"),
        ('reminders = "mỗi ngày"', "[reminders] phải là một mục (bảng TOML)"),
        ("[reminder]\nsend_time = \"08:00\"", "không có mục [reminder]; có phải [reminders]?"),
        ("[telegram]\nglobl_rate = 3", "[telegram] không có thiết lập «globl_rate»; có phải «global_rate»?"),
        ("global_rate = 3", "«global_rate» phải nằm trong mục [telegram]"),
        ("globl_rate = 3", "không có thiết lập «globl_rate» ngoài mọi mục; có phải «global_rate» trong mục [telegram]?"),
    ],
)  # fmt: skip
def test_a_bad_value_is_named_with_its_key_form_and_value(tmp_path, text: str, line: str) -> None:  # noqa: ANN001
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    assert found[0].startswith("dondoc.toml: ") and line in found[0], found[0]


def test_every_problem_is_reported_at_once(tmp_path) -> None:  # noqa: ANN001
    found = problems(tmp_path, '[telegram]\nglobal_rate = "nhanh"\n[reminders]\nescalate_after = "ba"\n')
    assert [p.split(" phải")[0] for p in found] == [
        "dondoc.toml: [telegram] global_rate",
        "dondoc.toml: [reminders] escalate_after",
    ]


def test_the_database_password_is_not_echoed(tmp_path) -> None:  # noqa: ANN001
    (found,) = problems(tmp_path, '[database]\nurl = "postgres://dondoc:mat-khau@db/dondoc"')
    assert "mat-khau" not in found and "«postgres://dondoc:***@db/dondoc»" in found


@pytest.mark.parametrize("section", ["telegram", "zalo"])
def test_webhook_mode_needs_a_long_secret(tmp_path, section: str) -> None:  # noqa: ANN001
    short = "bi-mat-cua-xa-nguyen-binh-khiem"  # 31 characters
    (found,) = problems(tmp_path, f'[{section}]\nmode = "webhook"\nwebhook_secret = "{short}"\n')
    assert f"[{section}] webhook_secret phải dài" in found and "32" in found and "(hiện dài 31)" in found
    assert short not in found  # a secret is never echoed
    (found,) = problems(tmp_path, f'[{section}]\nmode = "webhook"\n')
    assert "(hiện dài 0)" in found
    config = load_config(write(tmp_path, f'[{section}]\nmode = "webhook"\nwebhook_secret = "{GOOD_SECRET}"\n'))
    assert getattr(config, section).webhook_secret == GOOD_SECRET
    assert load_config(write(tmp_path, f'[{section}]\nmode = "polling"\n'))  # no secret needed


def test_telegram_secret_uses_telegrams_alphabet(tmp_path) -> None:  # noqa: ANN001
    (found,) = problems(tmp_path, f'[telegram]\nmode = "webhook"\nwebhook_secret = "{"x" * 32}!"\n')
    assert "[telegram] webhook_secret chỉ được gồm chữ A-Z, a-z, số 0-9" in found


def test_secrets_of_the_wrong_type_are_not_echoed(tmp_path) -> None:  # noqa: ANN001
    (found,) = problems(tmp_path, "[telegram]\ntoken = 123456\n")
    assert found == 'dondoc.toml: [telegram] token phải là một chuỗi trong ngoặc kép, ví dụ "abc"'


def test_environment_overrides_the_file(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    file = write(tmp_path, '[telegram]\ntoken = "from-file"\n[database]\nurl = "sqlite+aiosqlite:///a.db"\n')
    monkeypatch.setenv("DONDOC_TELEGRAM_TOKEN", "123:ABC")
    monkeypatch.setenv("DONDOC_ZALO_TOKEN", "zalo-token")
    monkeypatch.setenv("DONDOC_DATABASE_URL", "sqlite+aiosqlite:///from-env.db")
    monkeypatch.setenv("DONDOC_REMINDERS_BEFORE_DUE", "[5, 2]")
    monkeypatch.setenv("DONDOC_TELEGRAM_WEBHOOK_SECRET", GOOD_SECRET)
    config = load_config(file)
    assert (config.telegram.token, config.zalo.token) == ("123:ABC", "zalo-token")
    assert config.database.url == "sqlite+aiosqlite:///from-env.db"
    assert config.reminders.before_due == [5, 2]
    assert config.telegram.webhook_secret == GOOD_SECRET
    config = load_config(file, database_url="sqlite+aiosqlite:///from-cli.db")
    assert config.database.url == "sqlite+aiosqlite:///from-cli.db"  # --db wins over all


def test_dondoc_config_names_the_file(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DONDOC_CONFIG", str(write(tmp_path, '[reminders]\nsend_time = "07:15"\n')))
    assert load_config().reminders.send_time == time(7, 15)


def test_a_bad_environment_value_names_the_variable(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DONDOC_TELEGRAM_GLOBAL_RATE", "nhanh")
    with pytest.raises(ConfigError) as caught:
        load_config(EXAMPLE)
    assert caught.value.problems == [
        "biến môi trường DONDOC_TELEGRAM_GLOBAL_RATE: [telegram] global_rate phải là một số, "
        "ví dụ 30 hoặc 1.5, không phải «nhanh»"
    ]
    monkeypatch.delenv("DONDOC_TELEGRAM_GLOBAL_RATE")
    monkeypatch.setenv("DONDOC_REMINDERS_BEFORE_DUE", "[7,")
    with pytest.raises(ConfigError, match="danh sách viết dạng JSON"):
        load_config(EXAMPLE)


def test_a_bad_db_option_is_named(capsys) -> None:  # noqa: ANN001
    code = main(["tasks", "--org", "X", "--db", "mysql://h/d"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Lỗi cấu hình: --db: [database] url phải là địa chỉ dạng")


@pytest.mark.parametrize(
    "text", ['[telegram]\nglobal_rate = "nhanh"', '[reminders]\nescalate_after = "ba"', "[reminder]\n", "x = ["]
)
def test_the_cli_exits_2_with_a_line_not_a_traceback(tmp_path, capsys, text: str) -> None:  # noqa: ANN001
    file = write(tmp_path, text)
    for argv in (["--config", str(file), "run"], ["run", "--config", str(file)]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 2 and out == "" and "Traceback" not in err
        assert err.startswith("Lỗi cấu hình: ") and err.count("\n") == 1, err


def test_code_may_still_build_and_change_sections() -> None:
    """The channels' tests build sections directly and the demo changes the URL; the
    cross-key rules are for files, so a test may use a short secret."""
    config = Config()
    config.database.url = "sqlite+aiosqlite:///demo.db"
    config.telegram.mode = "webhook"
    assert config.database.url.endswith("demo.db")
    assert TelegramConfig(token="t", per_chat_interval=0, webhook_secret="short").per_chat_interval == 0


@pytest.mark.parametrize(
    "value", ["123456789012345678901234567890123456", "[\"bi-mat-1\", \"bi-mat-2\"]", "{ a = \"bi-mat\" }", "true"]
)
def test_downloads_secret_is_never_echoed_whatever_its_type(tmp_path, value: str) -> None:  # noqa: ANN001
    found = problems(tmp_path, f"[downloads]\nsecret = {value}\n")
    assert found and not [p for p in found if "bi-mat" in p or "1234567890" in p], found


def test_a_broken_database_url_is_shown_with_its_password_masked(tmp_path) -> None:  # noqa: ANN001
    (found,) = problems(tmp_path, '[database]\nurl = "postgresql+asyncpg://dondoc:mat-khau@db:cong/dondoc"')
    assert "mat-khau" not in found and "dondoc:***@db:cong" in found, found
