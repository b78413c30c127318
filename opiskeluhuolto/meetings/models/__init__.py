"""Communal welfare: groups, meetings, agendas, minutes, the welfare plan, goals."""

from .audit import CommunalEvent
from .goals import DataPoint, Indicator
from .groups import (
    AgendaItem,
    FollowUp,
    Group,
    Highlight,
    Meeting,
    Membership,
    Proposal,
    StandingItem,
)
from .plans import (
    ParticipationRecord,
    PlanComment,
    PlanEvaluation,
    PlanReference,
    PlanSection,
    PlanVersion,
    ServiceAnnouncement,
    WelfarePlan,
)

__all__ = [
    "AgendaItem",
    "CommunalEvent",
    "DataPoint",
    "FollowUp",
    "Group",
    "Highlight",
    "Indicator",
    "Meeting",
    "Membership",
    "ParticipationRecord",
    "Proposal",
    "PlanComment",
    "PlanEvaluation",
    "PlanReference",
    "PlanSection",
    "PlanVersion",
    "ServiceAnnouncement",
    "StandingItem",
    "WelfarePlan",
]
