"""Starting a channel while its platform is unreachable: one line in the log, then
tries again with growing pauses (1 s … ``cap``) in the background, while the other
channel and the reminder scheduler run; the process never exits because a platform
cannot be reached. A token the platform refuses still ends the run (``on_refused``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("dondoc")


def start_patiently(
    start: Callable[[], Awaitable[None]],
    name: str,
    *,
    unreachable: Callable[[BaseException], bool],
    on_refused: Callable[[BaseException], None] | None = None,
    refused: Callable[[BaseException], bool] = lambda _error: False,
    cap: float = 30.0,
) -> asyncio.Task[None]:
    """Run ``start`` in a task until it succeeds; errors for which ``unreachable`` is
    true are waited out, a ``refused`` one is handed to ``on_refused``."""

    async def keep_trying() -> None:
        pause, said = 1.0, False
        while True:
            try:
                await start()
            except Exception as error:
                if refused(error):
                    if on_refused is not None:
                        on_refused(error)
                    return
                if not unreachable(error):
                    raise
                if not said:
                    log.warning(
                        "%s chưa kết nối được (%s): dondoc vẫn chạy và thử lại sau mỗi "
                        "%d giây trở xuống",
                        name,
                        type(error).__name__,
                        int(cap),
                    )
                    said = True
                else:
                    log.debug("%s still unreachable: %s", name, error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, cap)
            else:
                if said:
                    log.info("%s đã kết nối lại", name)
                return

    return asyncio.get_running_loop().create_task(keep_trying(), name=f"start-{name}")
