"""The pages behind the door: home (the commune, or the list of communes a viewer
follows), the commune, a task, and an evidence file (handed to the signed download
shelf). Every id in a URL is checked against the visitor's grants: 404 for what the
person may not see, the same answer as for what does not exist."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from handlers.permissions import can_read_task
from handlers.tasks.access import task_units
from locales import _
from models import evidence_store
from models.evidence import EvidenceFile
from models.queries import get_task
from web.app import DB, VISITOR, message, redirect, render, site_of
from web.commune import commune_view
from web.task_page import task_view

log = logging.getLogger(__name__)


def number(request: web.Request, name: str) -> int:
    text = request.match_info[name]
    if not text.isdigit() or len(text) > 12:
        raise web.HTTPNotFound()
    return int(text)


async def home(request: web.Request) -> web.StreamResponse:
    visitor = request[VISITOR]
    orgs = sorted(visitor.organizations.values(), key=lambda o: o.name)
    if len(orgs) == 1:
        return redirect(f"/web/xa/{orgs[0].id}")
    return render(request, "home.html", orgs=orgs)


async def commune(request: web.Request) -> web.StreamResponse:
    visitor = request[VISITOR]
    org = visitor.organizations.get(number(request, "org"))
    if org is None:
        raise web.HTTPNotFound()
    view = await commune_view(request[DB], visitor, org, site_of(request).services)
    return render(request, "commune.html", view=view)


async def task(request: web.Request) -> web.StreamResponse:
    view = await task_view(
        request[DB], request[VISITOR], number(request, "task"), site_of(request).services
    )
    if view is None:
        raise web.HTTPNotFound()
    return render(request, "task.html", view=view)


async def evidence(request: web.Request) -> web.StreamResponse:
    """An evidence file of a task the visitor may see, through the signed shelf."""
    site, db = site_of(request), request[DB]
    row = await db.get(EvidenceFile, number(request, "file"))
    found = await get_task(db, row.task_id) if row is not None and row.task_id else None
    if row is None or found is None or not can_read_task(request[VISITOR].grants, task_units(found)):
        raise web.HTTPNotFound()
    if site.shelf is None:
        return message(request, 503, _("Chưa tải được tệp"), _("Máy chủ chưa bật liên kết tải tệp."))
    try:
        data = await asyncio.to_thread(evidence_store.read, site.services.evidence.folder, row.stored_path)
    except evidence_store.StoreError as error:
        log.error("evidence file %s cannot be read: %s", row.id, error)
        return message(
            request,
            410,
            _("Tệp không còn"),
            _("Tệp «{name}» không còn trong kho minh chứng; anh/chị vui lòng báo quản trị của xã/phường.").format(
                name=row.file_name
            ),
        )
    link = site.shelf.publish(row.file_name, data)
    return redirect(link.url)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/web/", home)
    app.router.add_get("/web/xa/{org}", commune)
    app.router.add_get("/web/viec/{task}", task)
    app.router.add_get("/web/tep/{file}", evidence)
