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
    StandingItem,
)
from .plans import (
    ParticipationRecord,
    PlanComment,
    PlanEvaluation,
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
    "PlanComment",
    "PlanEvaluation",
    "PlanSection",
    "PlanVersion",
    "ServiceAnnouncement",
    "StandingItem",
    "WelfarePlan",
]
