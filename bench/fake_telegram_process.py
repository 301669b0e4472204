"""The fake Bot API server in a process of its own, for benchmarks: Telegram is another
machine, so its clock (the 1-second flood-control window) must not share a GIL and an
event loop with the bot being measured.

Prints one JSON line with ``token``, ``base_url`` and ``base_file_url`` when ready. Reads
commands from standard input, one a line: ``outage SECONDS`` (answer 500 to every send),
``slow SECONDS DELAY`` (deliver, answer DELAY seconds late), ``hang SECONDS DELAY``
(hold each send DELAY s, then 504 undelivered), ``dark SECONDS`` (502 to everything),
``say USER TEXT`` (a person writes), ``stats`` (print one JSON line of statistics). When standard input closes, prints the statistics and exits.
The statistics also hold every rate-limited attempt's time (``attempt_times``, 429s
included: what Telegram counts) and which limit each 429 came from (``limited``).

For floods (``bench_province_flood``): ``flood FIRST USERS EACH TEXT`` (users FIRST …
FIRST+USERS-1 each write TEXT EACH times, queued at once, taking turns), ``mark USER
TEXT`` (a person writes, and the message is timed: when ``getUpdates`` first offered it
to the bot, when the bot's first message to that chat after it arrived), ``marks`` (one
JSON line: the timed messages), ``count`` (one JSON line: messages the bot sent, 429s),
``lines FIRST LAST`` (every message's first line per chat, repeats too)
and ``chats FIRST LAST`` (one JSON line: per chat in that range, the bot's messages by
method and their distinct first lines).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes import telegram_methods  # noqa: E402
from tests.fakes.telegram_api import ApiError, FakeTelegram  # noqa: E402
from tests.fakes.telegram_methods import API  # noqa: E402

ATTEMPTS: list[float] = []  # time.monotonic() of every rate-limited attempt
LIMITED: Counter[str] = Counter()  # 429s by limit: "global" (30/s) or "chat" (1/s)


def count_attempts() -> None:
    """Wrap the fake's rate check: every attempt's time, and which limit said 429."""
    check = telegram_methods.check_chat

    def counted(tg: FakeTelegram, params: dict, rate_limited: bool = True) -> int:
        if not rate_limited:
            return check(tg, params, rate_limited)
        ATTEMPTS.append(time.monotonic())
        try:
            return check(tg, params, rate_limited)
        except ApiError as err:
            if err.status == 429:
                full = tg.global_rate is not None and len(tg._global_window) >= tg.global_rate
                LIMITED["global" if full else "chat"] += 1
            raise

    telegram_methods.check_chat = counted


def small_chats(tg: FakeTelegram) -> set[int]:
    """Chats of the small runs (a few people): their texts are reported whole."""
    chats = {m.chat_id for m in tg.sent}
    return chats if len(chats) <= 50 else set()


def statistics(tg: FakeTelegram) -> dict:
    per_chat = Counter(m.chat_id for m in tg.sent if m.method == "sendMessage")
    return {
        "requests_429": tg.requests_429,
        "requests_500": tg.requests_500,
        "requests_504": tg.requests_504,
        # getUpdates arriving while another live long poll is open, and the 409s they cause
        "poll_overlaps": tg.poll_overlaps,
        "poll_conflicts": tg.poll_conflicts,
        "texts": {str(chat): [m.text or "" for m in tg.sent if m.chat_id == chat] for chat in small_chats(tg)},
        "send_times": sorted(tg.send_times),
        "per_chat": list(per_chat.values()),
        "attempt_times": sorted(ATTEMPTS),
        "limited": dict(LIMITED),
        "chats": {str(chat): n for chat, n in per_chat.items()},
        # What each chat that got more than one message got: a repeat explained by its text
        "repeated": {
            str(chat): [m.text or "" for m in tg.sent if m.chat_id == chat and m.method == "sendMessage"]
            for chat, n in per_chat.items()
            if n > 1
        },
    }


def watch_offers(marks: dict[int, dict]) -> None:
    """Note when ``getUpdates`` first hands a timed message to the bot (this process's
    own server: wrapping its method here changes no test)."""
    plain = API["getupdates"]

    async def get_updates(tg: FakeTelegram, params: dict) -> list[dict]:
        result = await plain(tg, params)
        now = time.monotonic()
        for update in result:
            mark = marks.get(update["update_id"])
            if mark is not None and mark["offered"] is None:
                mark["offered"] = now
        return result

    API["getupdates"] = get_updates


def timed(tg: FakeTelegram, marks: dict[int, dict]) -> list[dict]:
    """Each timed message with ``answered``: the bot's first message to its chat since it
    was offered (None while unanswered)."""
    out = []
    for mark in marks.values():
        answered = None
        if mark["offered"] is not None:
            answered = next((m.time for m in tg.sent if m.chat_id == mark["chat"] and m.time >= mark["offered"]), None)
        out.append({**mark, "answered": answered})
    return out


def chats(tg: FakeTelegram, first: int, last: int) -> dict:
    found: dict[str, dict] = {}
    for m in tg.sent:
        if first <= m.chat_id <= last:
            seen = found.setdefault(str(m.chat_id), {"methods": {}, "texts": []})
            seen["methods"][m.method] = seen["methods"].get(m.method, 0) + 1
            line = (m.text or m.filename or "").split("\n", 1)[0][:90]
            if line not in seen["texts"]:
                seen["texts"].append(line)
    return found


def lines(tg: FakeTelegram, first: int, last: int) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in tg.sent:
        if first <= m.chat_id <= last:
            found.setdefault(str(m.chat_id), []).append((m.text or m.filename or "").split("\n", 1)[0][:90])
    return found


def flood(tg: FakeTelegram, first: int, users: int, each: int, text: str) -> None:
    for _ in range(each):
        for user in range(first, first + users):
            tg.send_text(user, text)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--global-rate", type=float, default=30.0)
    parser.add_argument("--per-chat-rate", type=float, default=1.0)
    args = parser.parse_args()
    tg = FakeTelegram(global_rate=args.global_rate, per_chat_rate=args.per_chat_rate)
    count_attempts()
    await tg.start()
    print(json.dumps({"token": tg.token, "base_url": tg.base_url, "base_file_url": tg.base_file_url}), flush=True)
    loop = asyncio.get_running_loop()
    marks: dict[int, dict] = {}
    watch_offers(marks)
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        words = line.split()
        if words[:1] == ["outage"]:
            tg.outage(float(words[1]))
        elif words[:1] == ["slow"]:
            tg.slow_acks(float(words[1]), float(words[2]))
        elif words[:1] == ["hang"]:
            tg.hang_sends(float(words[1]), float(words[2]))
        elif words[:1] == ["dark"]:
            tg.dark(float(words[1]))
        elif words[:1] == ["say"]:  # say USER TEXT…: a person writes to the bot
            tg.send_text(int(words[1]), line.split(maxsplit=2)[2].rstrip("\n"))
        elif words[:1] == ["flood"]:  # flood FIRST USERS EACH TEXT…
            flood(tg, int(words[1]), int(words[2]), int(words[3]), line.split(maxsplit=4)[4].rstrip("\n"))
        elif words[:1] == ["mark"]:  # mark USER TEXT…: a timed message
            tg.send_text(int(words[1]), line.split(maxsplit=2)[2].rstrip("\n"))
            update_id = tg._next_update_id - 1
            marks[update_id] = {"chat": int(words[1]), "queued": time.monotonic(), "offered": None}
        elif words[:1] == ["marks"]:
            print(json.dumps(timed(tg, marks)), flush=True)
        elif words[:1] == ["count"]:
            print(json.dumps({"sent": len(tg.sent), "requests_429": tg.requests_429}), flush=True)
        elif words[:1] == ["lines"]:  # lines FIRST LAST: every message's first line, per chat
            print(json.dumps(lines(tg, int(words[1]), int(words[2]))), flush=True)
        elif words[:1] == ["chats"]:
            print(json.dumps(chats(tg, int(words[1]), int(words[2]))), flush=True)
        elif words[:1] == ["stats"]:
            print(json.dumps(statistics(tg)), flush=True)
    print(json.dumps(statistics(tg)), flush=True)
    await tg.stop()


if __name__ == "__main__":
    asyncio.run(main())
