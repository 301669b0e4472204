"""The web view's credentials, pure functions over the standard library's ``hmac``:

- sign-in links: ``PERSON.NONCE.EXPIRES.SIGNATURE``; the signature is checked before
  the database is asked whether the link is still unused;
- the CSRF token of a session: an HMAC of the session's token, so nothing is stored;
- Telegram Mini App ``initData``, checked as Telegram specifies: HMAC-SHA256 with the
  key ``HMAC_SHA256("WebAppData", bot_token)`` over the sorted ``key=value`` lines
  without ``hash``, compared in constant time, ``auth_date`` not older than a day.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

LINK = re.compile(r"^([0-9]{1,12})\.([A-Za-z0-9_-]{32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$")
INIT_DATA_MAX_AGE = timedelta(days=1)
CLOCK_SKEW = timedelta(minutes=5)  # an auth_date this far in the future is still believed
MAX_INIT_DATA = 4096  # characters; Telegram's are well under 1,000


class Refused(Exception):
    """Why a credential does not open: ``reason`` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def derive_web_secret(*sources: str) -> bytes | None:
    """The web view's signing key from the first non-empty source (DONDOC_WEB_SECRET,
    else the downloads secret), through HMAC so that it is never the source itself."""
    for source in sources:
        if source:
            return hmac.new(source.encode(), b"dondoc web view", hashlib.sha256).digest()
    return None


def _mac(secret: bytes, text: str) -> str:
    digest = hmac.new(secret, text.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_link_token(secret: bytes, person_id: int, expires: datetime) -> str:
    nonce = secrets.token_urlsafe(24)
    stamp = int(expires.timestamp())
    return f"{person_id}.{nonce}.{stamp}.{_mac(secret, f'link|{person_id}|{nonce}|{stamp}')}"


def check_link_token(secret: bytes, token: str, now: datetime) -> int:
    """The person a link is for, if its signature holds and it has not expired; raises
    ``Refused``. Whether it was used already is the database's to say."""
    match = LINK.match(token)
    if match is None:
        raise Refused("invalid")
    person, nonce, stamp, signature = match.groups()
    if not hmac.compare_digest(signature, _mac(secret, f"link|{person}|{nonce}|{stamp}")):
        raise Refused("invalid")
    if now.timestamp() >= int(stamp):
        raise Refused("expired")
    return int(person)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, session_token: str) -> str:
    return _mac(secret, f"csrf|{session_token}")


def check_csrf(secret: bytes, session_token: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(str(sent), csrf_token(secret, session_token))


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    language_code: str | None


def init_data_hash(bot_token: str, fields: dict[str, str]) -> str:
    """The ``hash`` Telegram puts in ``initData`` for ``fields`` (tests sign with it)."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")
    key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(key, check.encode(), hashlib.sha256).hexdigest()


def check_init_data(bot_token: str, init_data: str, now: datetime) -> TelegramUser:
    """The Telegram user a Mini App's raw ``initData`` vouches for; raises ``Refused``
    ("invalid" for a wrong form or hash, "expired" for an ``auth_date`` over a day old)."""
    if not bot_token or not init_data or len(init_data) > MAX_INIT_DATA:
        raise Refused("invalid")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as error:
        raise Refused("invalid") from error
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:  # a key twice is not Telegram's
        raise Refused("invalid")
    if not hmac.compare_digest(fields["hash"].encode(), init_data_hash(bot_token, fields).encode()):
        raise Refused("invalid")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError, OverflowError) as error:
        raise Refused("invalid") from error
    if signed_at > now + CLOCK_SKEW:
        raise Refused("invalid")
    if now - signed_at > INIT_DATA_MAX_AGE:
        raise Refused("expired")
    return TelegramUser(user_id, str(user.get("first_name", "")), user.get("language_code"))
