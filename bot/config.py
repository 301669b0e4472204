"""Settings: a TOML file (``--config FILE`` or ``DONDOC_CONFIG``) read into typed
pydantic models, then the environment on top: ``DONDOC_<SECTION>_<KEY>`` overrides any
setting (``DONDOC_TELEGRAM_TOKEN``, ``DONDOC_ZALO_TOKEN``, ``DONDOC_DATABASE_URL``, …;
lists as JSON). Every setting has a default, so dondoc runs with no file at all; the
commented ``config.example.toml`` lists them all.

Everything is checked at start: a wrong type, a value out of range or an unknown key
(a typo such as ``[reminder]`` or ``globl_rate``) stops dondoc with one Vietnamese line
per problem naming the key, the expected form and the value given
(``bot.config_messages``).
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config_messages import describe
from bot.config_ops import BackupConfig, LoggingConfig, MonitoringConfig

DEFAULT_DB_URL = "sqlite+aiosqlite:///var/dondoc.sqlite3"
ENV_PREFIX = "DONDOC_"  # also in bot.config_messages
# The drivers dondoc is installed with; both are asyncio drivers.
DATABASE_DRIVERS = {"sqlite+aiosqlite", "postgresql+asyncpg"}
MIN_WEBHOOK_SECRET = 32  # characters; long enough that guessing it is hopeless
TELEGRAM_SECRET_CHARS = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` are Vietnamese lines saying why."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# --- value types: each rejects what a lax parser would quietly turn into something else


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):  # `escalate_after = true` is not 1
        raise ValueError("phải là một số")
    return value


def _clock_time(value: Any) -> Any:
    if isinstance(value, time) or (isinstance(value, str) and value.strip()):
        return value  # pydantic parses "08:00"; a bare number would be seconds
    raise ValueError('phải là giờ dạng "HH:MM", ví dụ "08:00"')


def _calendar_day(value: Any) -> Any:
    if isinstance(value, date | str):
        return value  # an integer would be read as a Unix timestamp
    raise ValueError('phải là ngày dạng "YYYY-MM-DD", ví dụ "2026-04-27"')


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError('phải là tên múi giờ IANA, ví dụ "Asia/Ho_Chi_Minh"') from exc
    return name


def _database_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(_DB_FORM) from exc
    if parsed.drivername not in DATABASE_DRIVERS:
        raise ValueError(_DB_FORM)
    return url


_DB_FORM = (
    'phải là địa chỉ dạng "sqlite+aiosqlite:///đường/dẫn.sqlite3" hoặc '
    '"postgresql+asyncpg://người_dùng:mật_khẩu@máy:5432/tên_csdl"'
)

Number = Annotated[float, BeforeValidator(_not_bool)]
Whole = Annotated[int, BeforeValidator(_not_bool)]
Port = Annotated[Whole, Field(ge=0, le=65535)]  # 0: any free port (tests)
Days = list[Annotated[Whole, Field(ge=0, le=366)]]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]
CalendarDay = Annotated[date, BeforeValidator(_calendar_day)]
Mode = Literal["polling", "webhook"]
HttpUrl = Annotated[str, Field(pattern=r"^(https?://\S+)?$")]  # empty, or an http(s) address


class Section(BaseModel):
    """One ``[section]`` of the file: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class DatabaseConfig(Section):
    url: Annotated[str, AfterValidator(_database_url)] = DEFAULT_DB_URL


class OrganizationConfig(Section):
    timezone: Annotated[str, AfterValidator(_known_zone)] = "Asia/Ho_Chi_Minh"


class TelegramConfig(Section):
    token: str = ""
    base_url: HttpUrl = "https://api.telegram.org/bot"
    base_file_url: HttpUrl = "https://api.telegram.org/file/bot"
    mode: Mode = "polling"
    webhook_url: HttpUrl = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: Port = 8443
    webhook_secret: str = ""
    per_chat_interval: Annotated[Number, Field(ge=0)] = 1.0  # seconds between two messages to one chat
    global_rate: Annotated[Number, Field(gt=0)] = 30.0  # messages per second overall (Telegram allows 30)
    # PostgreSQL, several processes: how often one that does not poll tries to take over
    takeover_interval: Annotated[Number, Field(gt=0, le=300)] = 5.0


class ZaloConfig(Section):
    token: str = ""
    base_url: HttpUrl = "https://bot-api.zaloplatforms.com"
    mode: Mode = "polling"
    webhook_url: HttpUrl = ""  # the public HTTPS address (your proxy); set with setWebhook at start
    webhook_secret: str = ""  # Zalo sends it back in X-Bot-Api-Secret-Token
    webhook_listen: str = "127.0.0.1"
    webhook_port: Port = 8444
    webhook_path: Annotated[str, Field(pattern=r"^/\S*$")] = "/zalo/webhook"
    poll_timeout: Annotated[Whole, Field(ge=1, le=600)] = 30
    takeover_interval: Annotated[Number, Field(gt=0, le=300)] = 5.0  # as [telegram]'s
    # Hosts pictures are downloaded from (and their subdomains); empty: Zalo's own
    # (bot/channels/zalo_client.py PLATFORM_HOSTS, with where that list comes from).
    picture_hosts: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9.-]{1,253}$")]] = []


class DownloadsConfig(Section):
    """Signed links to the files Zalo cannot carry (bot/download_links.py)."""

    public_url: HttpUrl = ""  # the public address of the bot's web server; empty: from [zalo] webhook_url
    secret: str = ""  # signs the links; empty: derived from [zalo] webhook_secret
    lifetime_hours: Annotated[Whole, Field(ge=1, le=168)] = 24
    folder: str = "dondoc-tai-ve"  # where the files wait for their links
    listen: str = "127.0.0.1"  # its own server, when Zalo polls (a webhook's server serves them too)
    port: Port = 8445


class WebConfig(Section):
    """The web view (web/): pages behind /web's signed links and the Telegram Mini App."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: Port = 8447
    public_url: HttpUrl = ""  # where people reach it; empty: [downloads] public_url
    secret: str = ""  # DONDOC_WEB_SECRET signs links; empty: derived from [downloads] secret


class RemindersConfig(Section):
    send_time: ClockTime = time(8, 0)
    before_due: Days = Field(default_factory=lambda: [7, 3, 1])
    on_due_day: bool = True
    overdue_after: Days = Field(default_factory=lambda: [1, 3, 7])
    overdue_weekly: bool = True
    escalate_after: Annotated[Whole, Field(ge=0, le=366)] = 3
    report_days_before: Days = Field(default_factory=lambda: [5, 2])
    quarterly_report_day: Annotated[Whole, Field(ge=1, le=31)] = 10
    yearly_report_month: Annotated[Whole, Field(ge=1, le=12)] = 12
    yearly_report_day: Annotated[Whole, Field(ge=1, le=31)] = 10
    quiet_start: ClockTime = time(18, 0)
    quiet_end: ClockTime = time(7, 30)
    dispatch_interval: Annotated[Whole, Field(ge=1, le=30)] = 20  # seconds between two dispatcher runs
    # At a stop, how long the reminders already on the wire may wait for their answer;
    # unanswered ones are recorded as "maybe sent" (sent again once, marked).
    stop_timeout: Annotated[Number, Field(ge=0, le=120)] = 10.0
    digest_weekday: Annotated[Whole, Field(ge=0, le=6)] = 0  # 0 = Monday ... 6 = Sunday
    digest_time: ClockTime = time(8, 0)
    plan_horizon_days: Annotated[Whole, Field(ge=1, le=366)] = 35  # how far ahead the outbox is filled
    # Score sheets: self-assessed before these dates (six-month and yearly), reminded
    # this many working days before.
    score_days_before: Days = Field(default_factory=lambda: [5, 1])
    score_six_month_month: Annotated[Whole, Field(ge=1, le=12)] = 6
    score_six_month_day: Annotated[Whole, Field(ge=1, le=31)] = 10
    score_yearly_month: Annotated[Whole, Field(ge=1, le=12)] = 12
    score_yearly_day: Annotated[Whole, Field(ge=1, le=31)] = 10


class ExtensionsConfig(Section):
    # The longest extension an officer may ask for, in months after the current deadline.
    max_months: Annotated[Whole, Field(ge=1, le=36)] = 6


class CalendarConfig(Section):
    extra_days_off: list[CalendarDay] = Field(default_factory=list)
    extra_working_days: list[CalendarDay] = Field(default_factory=list)


class EvidenceConfig(Section):
    folder: Annotated[str, Field(min_length=1)] = "var/evidence"  # relative: to the working directory
    max_file_mb: Annotated[Whole, Field(ge=1, le=2000)] = 20
    max_org_mb: Annotated[Whole, Field(ge=1, le=10_000_000)] = 500


class Config(BaseSettings):
    """All settings. ``Config()`` is the defaults plus the environment."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="_",
        env_nested_max_split=1,  # DONDOC_TELEGRAM_WEBHOOK_SECRET -> telegram.webhook_secret
        extra="forbid",
    )

    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    organization: OrganizationConfig = Field(default_factory=OrganizationConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    zalo: ZaloConfig = Field(default_factory=ZaloConfig)
    reminders: RemindersConfig = Field(default_factory=RemindersConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    evidence: EvidenceConfig = Field(default_factory=EvidenceConfig)
    extensions: ExtensionsConfig = Field(default_factory=ExtensionsConfig)
    downloads: DownloadsConfig = Field(default_factory=DownloadsConfig)
    monitoring: MonitoringConfig = Field(default_factory=MonitoringConfig)
    backup: BackupConfig = Field(default_factory=BackupConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file the settings came from, if any."""
        return self._path

    @classmethod
    def settings_customise_sources(  # type: ignore[override]
        cls, settings_cls: Any, init_settings: Any, env_settings: Any, **_: Any
    ) -> tuple[Any, ...]:
        # The file's contents arrive as init arguments; the environment wins over them.
        return (env_settings, init_settings)

    @model_validator(mode="after")
    def _fits_together(self) -> Config:
        problems = whole_config_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self


def whole_config_problems(config: Config) -> list[str]:
    """Rules across keys, checked once the single values are known to be good."""
    problems = []
    tg, zalo, r = config.telegram, config.zalo, config.reminders
    generate = "tạo bằng: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
    if tg.mode == "webhook":
        if len(tg.webhook_secret) < MIN_WEBHOOK_SECRET:
            problems.append(
                f"[telegram] webhook_secret phải dài ít nhất {MIN_WEBHOOK_SECRET} ký tự khi "
                f"mode = \"webhook\" (hiện dài {len(tg.webhook_secret)}); {generate}"
            )
        elif not TELEGRAM_SECRET_CHARS.fullmatch(tg.webhook_secret):
            problems.append(
                "[telegram] webhook_secret chỉ được gồm chữ A-Z, a-z, số 0-9, “_” và “-”, "
                f"dài tối đa 256 ký tự (Telegram quy định); {generate}"
            )
    if zalo.mode == "webhook" and not MIN_WEBHOOK_SECRET <= len(zalo.webhook_secret) <= 256:
        problems.append(
            f"[zalo] webhook_secret phải dài {MIN_WEBHOOK_SECRET}–256 ký tự khi "
            f"mode = \"webhook\" (hiện dài {len(zalo.webhook_secret)}); {generate}"
        )
    downloads = config.downloads
    if downloads.public_url and not (downloads.secret or zalo.webhook_secret):
        problems.append(
            "[downloads] public_url cần một khóa ký liên kết: đặt [downloads] secret "
            f"(DONDOC_DOWNLOADS_SECRET) hoặc [zalo] webhook_secret; {generate}"
        )
    elif downloads.secret and len(downloads.secret) < MIN_WEBHOOK_SECRET:
        problems.append(
            f"[downloads] secret phải dài ít nhất {MIN_WEBHOOK_SECRET} ký tự "
            f"(hiện dài {len(downloads.secret)}); {generate}"
        )
    web = config.web
    if web.enabled and not (web.public_url or downloads.public_url):
        problems.append(
            "[web] enabled = true cần địa chỉ công khai: đặt [web] public_url "
            '(ví dụ "https://dondoc.xa-abc.gov.vn") hoặc [downloads] public_url'
        )
    if web.enabled and not (web.secret or downloads.secret or zalo.webhook_secret):
        problems.append(
            "[web] enabled = true cần một khóa ký liên kết: đặt DONDOC_WEB_SECRET "
            f"([web] secret) hoặc [downloads] secret; {generate}"
        )
    elif web.secret and len(web.secret) < MIN_WEBHOOK_SECRET:
        problems.append(
            f"[web] secret phải dài ít nhất {MIN_WEBHOOK_SECRET} ký tự "
            f"(hiện dài {len(web.secret)}); {generate}"
        )
    try:
        date(2024, r.yearly_report_month, r.yearly_report_day)  # a leap year: 29/2 is fine
    except ValueError:
        problems.append(
            f"[reminders] yearly_report_day {r.yearly_report_day} không có trong tháng "
            f"{r.yearly_report_month} (yearly_report_month)"
        )
    return problems


def read_toml(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Không tìm thấy tệp cấu hình {file}") from exc
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp cấu hình {file}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"Tệp cấu hình {file} không phải văn bản UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Tệp cấu hình {file} sai cú pháp TOML: {exc}") from exc


def load_config(path: str | Path | None = None, *, database_url: str | None = None) -> Config:
    """Read ``path``, else ``$DONDOC_CONFIG``, else defaults; then the environment; then
    ``database_url`` (the command line's ``--db``) over all. Raises ``ConfigError``."""
    path = path or os.environ.get("DONDOC_CONFIG")
    file = Path(path) if path else None
    data = read_toml(file) if file else {}
    try:
        config = Config(**data)
        if database_url is not None:
            try:
                config.database = DatabaseConfig(url=database_url)
            except ValidationError as exc:
                lines = describe(exc, "--db", DatabaseConfig, ("database",), from_env=False)
                raise ConfigError(*lines) from exc
    except ValidationError as exc:
        raise ConfigError(*describe(exc, file.name if file else None, Config)) from exc
    except SettingsError as exc:
        raise ConfigError(
            f"Một biến môi trường {ENV_PREFIX}… không đọc được ({exc}); danh sách viết "
            "dạng JSON, ví dụ DONDOC_REMINDERS_BEFORE_DUE='[7, 3, 1]'"
        ) from exc
    config._path = file
    return config
