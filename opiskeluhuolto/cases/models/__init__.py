"""Individual welfare: referrals, consents, cases, expert groups, guardian prohibitions.

Consents, memberships and prohibitions are statements of will and facts of
the register (LAW.md L-20-8): never edited in place. A withdrawal or an end
date is set once, through an action, and the action refuses to set it twice.

A package by responsibility: `referrals`, `consents`, `cases` (the case and its expert
group) and `prohibitions`. The names are re-exported here because Django finds an app's
models, and the rest of the project imports them, as `cases.models`.
"""

from .cases import Case, CaseQuerySet, ExpertGroupMembership, MembershipQuerySet
from .consents import WRITTEN_FORMS, Consent, ConsentQuerySet
from .prohibitions import GuardianProhibition, ProhibitionQuerySet
from .referrals import Referral

__all__ = [
    "WRITTEN_FORMS",
    "Case",
    "CaseQuerySet",
    "Consent",
    "ConsentQuerySet",
    "ExpertGroupMembership",
    "GuardianProhibition",
    "MembershipQuerySet",
    "ProhibitionQuerySet",
    "Referral",
]
