"""Formatting rules of the fake Telegram Bot API (see ``telegram_api``).

Turns a text sent with ``parse_mode`` HTML / MarkdownV2 / Markdown into what the real server
stores — the plain text the user sees plus its ``entities`` (offsets in UTF-16 code units) —
or raises :class:`ParseError` whose message is Telegram's description, e.g.
``can't parse entities: Unsupported start tag "br" at byte offset 12``.  The checks cover the
mistakes bots really make (unescaped ``<``, unsupported tags, unbalanced tags, unescaped
MarkdownV2 reserved characters); they are deliberately lenient wherever Telegram is unclear.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["ParseError", "parse_text", "utf16_len"]


class ParseError(ValueError):
    """The text cannot be parsed; ``str(err)`` is the description after ``Bad Request: ``."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _entities_error(message: str) -> ParseError:
    return ParseError(f"can't parse entities: {message}")


@dataclass
class _Open:
    marker: str  # HTML tag name or Markdown marker
    byte_offset: int
    entity: dict | None = None


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0  # in UTF-16 code units
    entities: list[dict] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_len(text)

    def open(self, marker: str, byte_offset: int, etype: str | None, **extra) -> _Open:
        entity = {"type": etype, "offset": self.length, **extra} if etype else None
        return _Open(marker, byte_offset, entity)

    def close(self, item: _Open) -> None:
        if item.entity is not None:
            item.entity["length"] = self.length - item.entity["offset"]
            if item.entity["length"] > 0:
                self.entities.append(item.entity)

    def result(self) -> tuple[str, list[dict]]:
        return "".join(self.parts), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[dict]]:
    """Return ``(plain_text, entities)`` for ``text`` formatted with ``parse_mode``."""
    mode = (parse_mode or "").lower()
    if not mode:
        return text, []
    if mode == "html":
        return _parse_html(text)
    if mode in ("markdownv2", "markdown"):
        return _parse_markdown(text, v2=mode == "markdownv2")
    raise ParseError("unsupported parse_mode")


# -- HTML ---------------------------------------------------------------------------------------

_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_CHAR_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


def _html_entity(tag: str, attrs: dict[str, str], stack: list[_Open]) -> tuple[str | None, dict]:
    etype = _HTML_TAGS[tag]
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise _entities_error('Tag "span" must have class "tg-spoiler"')
    if tag == "a":
        return ("text_link", {"url": attrs["href"]}) if attrs.get("href") else (None, {})
    if tag == "code" and stack and stack[-1].marker == "pre" and stack[-1].entity:
        language = attrs.get("class", "").removeprefix("language-")
        if language:
            stack[-1].entity["language"] = language
        return None, {}
    if tag == "blockquote" and "expandable" in attrs:
        return "expandable_blockquote", {}
    if tag == "tg-emoji":
        return etype, {"custom_emoji_id": attrs.get("emoji-id", "")}
    return etype, {}


def _parse_html(text: str) -> tuple[str, list[dict]]:
    out, stack, i = _Builder(), [], 0
    while i < len(text):
        char = text[i]
        if char not in "<&":
            end = min((j for j in (text.find("<", i), text.find("&", i)) if j >= 0), default=len(text))
            out.add(text[i:end])
            i = end
        elif char == "&":
            ref = _CHAR_REF.match(text, i)
            out.add(html.unescape(ref.group(0)) if ref else "&")
            i = ref.end() if ref else i + 1
        elif text.startswith("</", i):
            end = text.find(">", i)
            if end < 0:
                raise _entities_error(f"Unexpected end of name token at byte offset {_byte_offset(text, i)}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise _entities_error(f'Unexpected end tag at byte offset {_byte_offset(text, i)}')
            top = stack.pop()
            if top.marker != name:
                raise _entities_error(
                    f'Unmatched end tag at byte offset {_byte_offset(text, i)}, '
                    f'expected "</{top.marker}>", found "</{name}>"'
                )
            out.close(top)
            i = end + 1
        else:
            match = _START_TAG.match(text, i)
            name = match.group(1).lower() if match else re.match(r"<([^\s>]*)", text[i:]).group(1)
            if match is None and ">" not in text[i:]:
                raise _entities_error(f"Unexpected end of name token at byte offset {_byte_offset(text, i)}")
            if match is None or name not in _HTML_TAGS:
                raise _entities_error(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}')
            attrs = {m.group(1).lower(): html.unescape(next((g for g in m.groups()[1:] if g is not None), ""))
                     for m in _ATTR.finditer(match.group(2))}  # fmt: skip
            etype, extra = _html_entity(name, attrs, stack)
            stack.append(out.open(name, _byte_offset(text, i), etype, **extra))
            i = match.end()
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].marker}"')
    return out.result()


# -- Markdown / MarkdownV2 ----------------------------------------------------------------------

_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2_MARKERS = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
_V1_MARKERS = {"*": "bold", "_": "italic"}
_URL = re.compile(r"((?:\\.|[^\\)])*)\)")


def _parse_markdown(text: str, *, v2: bool) -> tuple[str, list[dict]]:
    out, stack, i = _Builder(), [], 0
    markers = _V2_MARKERS if v2 else _V1_MARKERS
    escapable = (lambda c: 0 < ord(c) < 127) if v2 else (lambda c: c in "_*`[")
    while i < len(text):
        char, top = text[i], (stack[-1] if stack else None)
        if char == "\\" and i + 1 < len(text) and escapable(text[i + 1]):
            out.add(text[i + 1])
            i += 2
            continue
        if top is not None and top.marker in ("`", "```"):  # inside code: only ` ends it
            if text.startswith(top.marker, i):
                out.close(stack.pop())
                i += len(top.marker)
            else:
                out.add(char)
                i += 1
            continue
        if top is not None and top.marker == "](":  # inside a link's URL
            url = _URL.match(text, i)
            if url is None:
                raise _entities_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
            top.entity["url"] = re.sub(r"\\(.)", r"\1", url.group(1))
            out.close(stack.pop())
            i = url.end()
            continue
        if not v2 and top is not None and char in "*_[`" and top.marker != char:
            out.add(char)  # legacy Markdown does not nest entities
            i += 1
            continue
        marker = "```" if text.startswith("```", i) else "__" if v2 and text.startswith("__", i) else \
            "||" if v2 and text.startswith("||", i) else char  # fmt: skip
        if marker == "__" and top is not None and top.marker == "_":
            marker = "_"
        if marker in markers or marker in ("`", "```"):
            if top is not None and top.marker == marker:
                out.close(stack.pop())
            elif any(item.marker == marker for item in stack):
                raise _entities_error(f"Can't find end of the entity starting at byte offset {top.byte_offset}")
            elif marker == "```":
                newline = text.find("\n", i + 3)
                language = text[i + 3 : newline] if newline >= 0 else ""
                extra = {"language": language} if language and not re.search(r"\s", language) else {}
                stack.append(out.open("```", _byte_offset(text, i), "pre", **extra))
                i = newline + 1 - len(marker) if extra else i
            else:
                stack.append(out.open(marker, _byte_offset(text, i), markers.get(marker, "code")))
            i += len(marker)
            continue
        if char == "[":
            stack.append(out.open("[", _byte_offset(text, i), "text_link", url=""))
        elif char == "]" and top is not None and top.marker == "[" and text.startswith("](", i):
            top.marker = "]("
            i += 1
        elif v2 and char == ">" and (i == 0 or text[i - 1] == "\n"):
            pass  # block quotation marker: kept out of the text, no entity recorded
        elif v2 and char in _V2_RESERVED:
            raise _entities_error(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
        else:
            out.add(char)
        i += 1
    if stack:
        raise _entities_error(f"Can't find end of the entity starting at byte offset {stack[-1].byte_offset}")
    return out.result()
