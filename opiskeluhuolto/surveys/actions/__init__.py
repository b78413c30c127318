"""What people do with surveys: build, open, answer, close, screen, release.

Views and the API are thin; they call these. Every rule is here, in plain functions
that the tests call directly. Anonymity (docs/surveys.md): `submit` marks the person
side answered and puts the sheet, without any person, session or time, in the pending
pool in the same transaction; `mix` writes the answer side from the pool in a
transaction of its own; nothing else about answering is recorded (no event, no log line).

The package's modules: `building` (a survey, its questions, its window), `running`
(the audience, opening and closing), `answering`, `mixing` (an anonymous survey's sheets
from the pending pool into the answer side, in random order and in batches),
`releasing` (screening, release, naming who else reads the results);
`common` holds the refusals. Callers use this package's names only.

For other apps (events, issue 18): `create_feedback_survey(...)` builds a feedback
survey from a template for a given list of people, ready to open.
"""

from __future__ import annotations

from .answering import (
    clean_answers,
    draft_of,
    has_answered,
    open_for,
    save_draft,
    submit,
)
from .building import (
    FINNISH_MONTHS,
    SEASONS,
    add_question,
    create_feedback_survey,
    create_from_template,
    create_survey,
    reschedule,
    results_date,
    set_window,
    validate_question,
    window_from_item,
)
from .common import TEXT_MAX, AlreadyAnswered, NotInvited, NotOpen
from .mixing import mix, mix_waiting, waiting_sheets
from .releasing import (
    check_releasable,
    close_past_windows,
    release,
    release_due,
    request_release,
    screen_text,
    share_results,
)
from .running import audience_users, close_survey, open_survey

__all__ = [
    "FINNISH_MONTHS",
    "SEASONS",
    "TEXT_MAX",
    "AlreadyAnswered",
    "NotInvited",
    "NotOpen",
    "add_question",
    "audience_users",
    "check_releasable",
    "clean_answers",
    "close_past_windows",
    "close_survey",
    "create_feedback_survey",
    "create_from_template",
    "create_survey",
    "draft_of",
    "has_answered",
    "open_for",
    "open_survey",
    "mix",
    "mix_waiting",
    "release",
    "release_due",
    "request_release",
    "reschedule",
    "results_date",
    "save_draft",
    "screen_text",
    "set_window",
    "share_results",
    "submit",
    "validate_question",
    "waiting_sheets",
    "window_from_item",
]
