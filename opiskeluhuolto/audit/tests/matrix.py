from opiskeluhuolto.access.matrix import Row

# The provider admin (also the register responsible person in the cases matrix) only.
ADMIN_ONLY = {"*": 404, "anonymous": 302, "admin": 200}

ROWS = [
    Row("audit:events", ADMIN_ONLY),
    Row("audit:export", ADMIN_ONLY),
    Row("api:audit-events", {"*": 404, "anonymous": 401, "admin": 200}),
]
