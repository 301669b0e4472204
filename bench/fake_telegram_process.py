"""The fake Bot API server in a process of its own, for benchmarks: Telegram is another
machine, so its clock (the 1-second flood-control window) must not share a GIL and an
event loop with the bot being measured.

Prints one JSON line with ``token``, ``base_url`` and ``base_file_url`` when ready; when
its standard input closes, prints one JSON line of statistics and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.telegram_api import FakeTelegram  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--global-rate", type=float, default=30.0)
    parser.add_argument("--per-chat-rate", type=float, default=1.0)
    args = parser.parse_args()
    tg = FakeTelegram(global_rate=args.global_rate, per_chat_rate=args.per_chat_rate)
    await tg.start()
    print(json.dumps({"token": tg.token, "base_url": tg.base_url, "base_file_url": tg.base_file_url}), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    per_chat = Counter(m.chat_id for m in tg.sent if m.method == "sendMessage")
    stats = {"requests_429": tg.requests_429, "send_times": sorted(tg.send_times), "per_chat": list(per_chat.values())}
    print(json.dumps(stats), flush=True)
    await tg.stop()


if __name__ == "__main__":
    asyncio.run(main())
