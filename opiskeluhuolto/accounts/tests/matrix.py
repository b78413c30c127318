from opiskeluhuolto.access.matrix import Row

ROWS = [
    Row("api:me", {"*": 200, "anonymous": 401}),
]
