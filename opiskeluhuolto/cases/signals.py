"""What the cases' actions tell the welfare register, which records it.

`records` depends on `cases` (a record belongs to a case), never the other way round, so
the actions here cannot call `records.actions`. They send these signals inside their
transaction instead; `records` receives them (`records/receivers.py`, connected in its
AppConfig.ready) and writes the record in the same transaction. `send`, not
`send_robust`: a failing receiver rolls the action back.
"""

from django.dispatch import Signal

#: A case was opened (LAW.md L-20-1: its record is created with it). Argument: `case`.
case_opened = Signal()

#: A consent or group change to be written into the case's record (LAW.md L-20-8).
#: Arguments: `case`, `by` (the person), `text`.
case_event = Signal()
