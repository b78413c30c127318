"""What an import tells the apps that read imported data.

`insights` reads the imported marks and progress (insights → imports), so imports cannot
call it; after a successful import of attendance or progress it sends `data_imported`, and
`insights` evaluates early warning in its receiver (`insights/receivers.py`). Each receiver
returns a line for the operator, which `import_attendance` prints.
"""

from django.dispatch import Signal

#: Attendance or study progress of an institution was imported. Argument: `institution`.
data_imported = Signal()
