"""The product's features, each adding its commands, buttons and readers to one router.
The order is the order of Telegram's menu's neighbours and of readers of the same stage;
a feature never needs another's registration to work."""

from __future__ import annotations

from handlers.assigned import routes as assigned
from handlers.evidence import routes as evidence
from handlers.extensions import routes as extensions
from handlers.imports import routes as imports
from handlers.people import routes as people
from handlers.reminders import routes as reminders
from handlers.replies import routes as replies
from handlers.reports import routes as reports
from handlers.router import Router
from handlers.scores import routes as scores
from handlers.tasks import routes as tasks
from handlers.web_access import routes as web_access

FEATURES = (
    people,
    imports,
    tasks,
    reminders,
    replies,
    reports,
    extensions,
    scores,
    evidence,
    assigned,
    web_access,
)

# Shown in Telegram's menu (setMyCommands), in this order.
MENU = (
    "viec",
    "capnhat",
    "quahan",
    "tim",
    "tiendo",
    "baocao",
    "diem",
    "giahan",
    "hoantac",
    "dangky",
    "ngonngu",
    "trogiup",
)


def build_router() -> Router:
    router = Router()
    for feature in FEATURES:
        feature.register(router)
    missing = [name for name in MENU if name not in router.commands]
    if missing:
        raise ValueError(f"menu commands without a handler: {missing}")
    return router
