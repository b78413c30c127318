"""What the cases' actions tell the welfare register, which records it.

`records` depends on `cases` (a record belongs to a case), never the other way round, so
the actions here cannot call `records.actions`. They send these signals inside their
transaction instead; `records` receives them (`records/receivers.py`, connected in its
AppConfig.ready) and writes the record in the same transaction. `send`, not
`send_robust`: a failing receiver rolls the action back.

`appointments` (the §15 discussion requests) and the register's read log receive the
others the same way: `cases` imports neither.
"""

from django.dispatch import Signal

#: A case was opened (LAW.md L-20-1: its record is created with it). Argument: `case`.
case_opened = Signal()

#: A consent or group change to be written into the case's record (LAW.md L-20-8).
#: Arguments: `case`, `by` (the person), `text`.
case_event = Signal()

#: A referral starts the §15 clock (LAW.md L-15-1, L-15-5): the appointments app opens the
#: discussion request and links it to the referral. Arguments: `referral`, `by`.
discussion_clock_started = Signal()

#: A referral by others closed as advice only or obviously unnecessary (§15(2)): its
#: discussion request closes with the same reason. Arguments: `request`, `reason`, `by`.
discussion_closed = Signal()

#: Referrals were shown to a person (LAW.md L-906-1): the register logs the reads through
#: its gate. Arguments: `user`, `referrals`, `purpose`, `request` (the HTTP request).
referrals_read = Signal()

#: Cases were listed with their subjects (LAW.md L-906-1): the register logs a read of each
#: record. Arguments: `user`, `cases`, `purpose`, `request`, and `api=True` for a read
#: through the API (the log says so, as for the other API reads).
cases_listed = Signal()
