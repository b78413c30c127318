from opiskeluhuolto.access.matrix import Row

ROWS = [
    Row("front:home", {"*": 200, "anonymous": 302}),
    Row("front:accessibility", {"*": 200}),
    Row("front:accessibility_feedback", {"*": 200}),
    Row("front:feedback_list", {"*": 404, "admin": 200, "anonymous": 302}),
    Row("healthz", {"*": 200}),
    Row("set_language", {"*": 405}),
    Row(
        "set_language", {"*": 302}, method="post", data=lambda cast: {"language": "sv", "next": "/"}
    ),
]
