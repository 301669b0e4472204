"""The web view: the commune's progress on a phone, as a Telegram Mini App and behind a
signed link from ``/web``. Server-rendered pages (Jinja2) on dondoc's own aiohttp
server, with the chat's permissions (``handlers.permissions``) and figures
(``models.progress``); nothing here is built at import time."""
