"""lib.apierrors: ninja's validation errors as messages per field."""

from opiskeluhuolto.lib.apierrors import field_errors


def test_fields_are_named_without_source_or_parameter():
    errors = [
        {"loc": ("body", "payload", "starts_at"), "msg": "Field required"},
        {"loc": ("body", "payload", "starts_at"), "msg": "Input should be a datetime"},
        {"loc": ("query", "open_only"), "msg": "Input should be a valid boolean"},
        {"loc": ("path", "case_id"), "msg": "Input should be a valid integer"},
        {"loc": ("body", "payload"), "msg": "Input should be an object"},
    ]
    assert field_errors(errors) == {
        "starts_at": ["Field required", "Input should be a datetime"],
        "open_only": ["Input should be a valid boolean"],
        "case_id": ["Input should be a valid integer"],
        "request": ["Input should be an object"],
    }
