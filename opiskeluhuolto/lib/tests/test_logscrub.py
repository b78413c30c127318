import logging

from opiskeluhuolto.lib.logscrub import ScrubPersonalData, scrub


def test_identity_codes_emails_and_query_strings_are_masked():
    line = "GET /org/students/?q=Aino 131052-308T aino.opiskelija@example.fi"
    out = scrub(line)
    assert "131052-308T" not in out and "aino.opiskelija@example.fi" not in out
    assert "q=Aino" not in out
    assert "/org/students/" in out


def test_filter_rewrites_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "student %s", ("010106A987U",), None)
    assert ScrubPersonalData().filter(record)
    assert record.getMessage() == "student [hetu]"
