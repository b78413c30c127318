"""Authorization: the only place that answers "may this person see or do this?".

- `policies`: the decorator every view carries (checked at start-up).
- `permissions.for_user(user)`: the resolver (`can.view_student(s)` …).
- `fetch`: fetch-and-check helpers returning the object or Http404.
"""


def __getattr__(name):
    # Imported lazily: this package is loaded as an app before the models are.
    if name in ("for_user", "Permissions"):
        from . import permissions

        return getattr(permissions, name)
    raise AttributeError(name)
