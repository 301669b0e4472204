"""What is kept: tables, the async session, and queries. Imports nothing of ours."""

from models.attempts import AttemptCounter
from models.base import Base
from models.conversation import ChatState, Question, SentMessage
from models.deadline_readings import DeadlineReading
from models.evidence import EvidenceFile
from models.inbox import InboxUpdate
from models.linking import LinkCode
from models.outbox import DispatcherProcess, OutboxItem, ReplanRequest
from models.pending_imports import PendingImport
from models.people import Identity, Invite, Membership, Organization, Person, Unit
from models.plans import Plan, Section, StatusUpdate, Task, TaskUnit
from models.scores import ScoreEntry, ScoreItem, ScoreItemUnit, ScoreSheet
from models.send_budget import SendPace
from models.web_access import WebLink, WebSession

__all__ = [
    "AttemptCounter",
    "Base",
    "ChatState",
    "DeadlineReading",
    "Question",
    "SentMessage",
    "EvidenceFile",
    "Identity",
    "InboxUpdate",
    "Invite",
    "LinkCode",
    "Membership",
    "Organization",
    "OutboxItem",
    "PendingImport",
    "Person",
    "ReplanRequest",
    "DispatcherProcess",
    "Plan",
    "ScoreEntry",
    "WebLink",
    "WebSession",
    "ScoreItem",
    "ScoreItemUnit",
    "ScoreSheet",
    "Section",
    "SendPace",
    "StatusUpdate",
    "Task",
    "TaskUnit",
    "Unit",
]
