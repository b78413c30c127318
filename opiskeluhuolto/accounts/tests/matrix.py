from opiskeluhuolto.access.matrix import Row

ROWS = [
    Row("api:me", {"*": 200, "anonymous": 401}),
    # Strong identification is off in the matrix (REQUIRE_STRONG_ID): a signed-in person
    # is sent straight on, anonymous to the sign-in page. test_oidc.py covers it on.
    Row("identification:strong", {"*": 302}),
]
