"""Settings: read a TOML file (``--config FILE`` or ``DONDOC_CONFIG``) into typed
dataclasses. Every setting has a default, so dondoc runs with no file at all; the
commented ``config.example.toml`` lists them all. Secrets may come from the environment
(``DONDOC_TELEGRAM_TOKEN``, ``DONDOC_ZALO_TOKEN``, ``DONDOC_DATABASE_URL``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, time
from pathlib import Path
from typing import Any, get_type_hints

DEFAULT_DB_URL = "sqlite+aiosqlite:///var/dondoc.sqlite3"


class ConfigError(Exception):
    """A config file that cannot be used; the message says why, in Vietnamese."""


@dataclass
class DatabaseConfig:
    url: str = DEFAULT_DB_URL


@dataclass
class OrganizationConfig:
    timezone: str = "Asia/Ho_Chi_Minh"


@dataclass
class TelegramConfig:
    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: str = "polling"  # "polling" | "webhook"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str = ""
    per_chat_interval: float = 1.0  # seconds between two messages to one private chat
    global_rate: float = 30.0  # messages per second overall (Telegram allows 30)


@dataclass
class ZaloConfig:
    token: str = ""
    base_url: str = "https://bot-api.zaloplatforms.com"
    mode: str = "polling"  # "polling" | "webhook"
    webhook_url: str = ""  # the public HTTPS address (your proxy); set with setWebhook at start
    webhook_secret: str = ""  # 8-256 characters; Zalo sends it back in X-Bot-Api-Secret-Token
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8444
    webhook_path: str = "/zalo/webhook"
    poll_timeout: int = 30


@dataclass
class RemindersConfig:
    send_time: time = time(8, 0)
    before_due: list[int] = field(default_factory=lambda: [7, 3, 1])
    on_due_day: bool = True
    overdue_after: list[int] = field(default_factory=lambda: [1, 3, 7])
    overdue_weekly: bool = True
    escalate_after: int = 3
    report_days_before: list[int] = field(default_factory=lambda: [5, 2])
    quarterly_report_day: int = 10
    yearly_report_month: int = 12
    yearly_report_day: int = 10
    quiet_start: time = time(18, 0)
    quiet_end: time = time(7, 30)
    dispatch_interval: int = 20  # seconds between two runs of the dispatcher
    digest_weekday: int = 0  # leaders' weekly digest: 0 = Monday ... 6 = Sunday
    digest_time: time = time(8, 0)
    plan_horizon_days: int = 35  # how far ahead reminders are put in the outbox


@dataclass
class CalendarConfig:
    extra_days_off: list[date] = field(default_factory=list)
    extra_working_days: list[date] = field(default_factory=list)


@dataclass
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    organization: OrganizationConfig = field(default_factory=OrganizationConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    zalo: ZaloConfig = field(default_factory=ZaloConfig)
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    path: Path | None = None


def _coerce(value: Any, kind: Any, where: str) -> Any:
    if kind is time and isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: giờ không hợp lệ «{value}» (dạng HH:MM)") from exc
    if kind == list[date] and isinstance(value, list):
        return [v if isinstance(v, date) else date.fromisoformat(str(v)) for v in value]
    return value


def _fill(target: Any, data: dict[str, Any], where: str) -> None:
    hints = get_type_hints(type(target))
    known = {f.name for f in fields(target)}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{where}: không có thiết lập «{key}»")
        current = getattr(target, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] phải là một mục")
            _fill(current, value, f"{where}[{key}]")
        else:
            setattr(target, key, _coerce(value, hints[key], f"{where} {key}"))


def _check(config: Config) -> None:
    for name, section in (("telegram", config.telegram), ("zalo", config.zalo)):
        if section.mode not in ("polling", "webhook"):
            raise ConfigError(
                f'[{name}] mode phải là "polling" hoặc "webhook", không phải «{section.mode}»'
            )
    if (
        config.zalo.token
        and config.zalo.mode == "webhook"
        and not 8 <= len(config.zalo.webhook_secret) <= 256
    ):
        raise ConfigError("[zalo] webhook_secret phải dài 8–256 ký tự khi dùng chế độ webhook")
    if (
        config.telegram.token
        and config.telegram.mode == "webhook"
        and not config.telegram.webhook_secret
    ):
        raise ConfigError("[telegram] cần webhook_secret khi dùng chế độ webhook")
    if not 0 < config.reminders.dispatch_interval <= 30:
        raise ConfigError("[reminders] dispatch_interval phải từ 1 đến 30 giây")


def load_config(path: str | Path | None = None) -> Config:
    """Read ``path``, else ``$DONDOC_CONFIG``, else defaults; then the environment."""
    config = Config()
    path = path or os.environ.get("DONDOC_CONFIG")
    if path:
        file = Path(path)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"Không tìm thấy tệp cấu hình {file}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Tệp cấu hình {file} sai cú pháp TOML: {exc}") from exc
        _fill(config, data, file.name)
        config.path = file
    env = os.environ
    config.database.url = env.get("DONDOC_DATABASE_URL", config.database.url)
    config.telegram.token = env.get("DONDOC_TELEGRAM_TOKEN", config.telegram.token)
    config.zalo.token = env.get("DONDOC_ZALO_TOKEN", config.zalo.token)
    _check(config)
    return config
