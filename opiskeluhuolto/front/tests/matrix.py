from opiskeluhuolto.access.matrix import Row

ROWS = [
    Row("front:home", {"*": 200, "anonymous": 302}),
    Row("front:accessibility", {"*": 200}),
    Row("front:accessibility_feedback", {"*": 200}),
    Row("front:feedback_list", {"*": 404, "admin": 200, "anonymous": 302}),
    # The group supervisor's page shows individual absences: the group's supervisor only.
    Row(
        "front:supervisor_group",
        {"*": 404, "anonymous": 302, "supervisor": 200},
        kwargs=lambda c: {"pk": c.group.pk},
    ),
    Row("healthz", {"*": 200}),
    Row("favicon", {"*": 301}),
    Row("set_language", {"*": 405}),
    Row(
        "set_language", {"*": 302}, method="post", data=lambda cast: {"language": "sv", "next": "/"}
    ),
]
