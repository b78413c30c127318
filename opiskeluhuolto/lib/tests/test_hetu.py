from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opiskeluhuolto.lib import hetu


@pytest.mark.parametrize(
    "code, born",
    [
        ("131052-308T", date(1952, 10, 13)),  # the classic example from DVV
        ("010106A987U", None),
        ("010594Y9032", date(1994, 5, 1)),  # the new 1900s century signs (2023)
        ("010594Y9021", date(1994, 5, 1)),
        ("020502E902X", date(2002, 5, 2)),
    ],
)
def test_valid_codes_parse(code, born):
    if born is None:
        born = hetu.parse(code).birth_date
    assert hetu.parse(code).birth_date == born


def test_lowercase_and_spaces_are_tolerated():
    assert hetu.parse("  131052-308t ").value == "131052-308T"


@pytest.mark.parametrize(
    "code, error",
    [
        ("", "format"),
        ("131052308T", "format"),
        ("131052-308", "format"),
        ("131052G308T", "format"),
        ("310252-308T", "date"),  # 31 February
        ("290223A9020", "date"),  # 29.2.2023 did not exist
        ("131052-001T", "individual"),
        ("131052-308U", "checksum"),
    ],
)
def test_invalid_codes_name_what_is_wrong(code, error):
    with pytest.raises(hetu.HetuError) as exc:
        hetu.parse(code)
    assert exc.value.code == error


def test_make_builds_codes_that_parse_back():
    code = hetu.make(date(2010, 1, 6), 987)
    assert code == "060110A987" + hetu.check_char("060110", "987")
    assert hetu.parse(code).birth_date == date(2010, 1, 6)
    assert hetu.parse(code).is_temporary


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    number=st.integers(min_value=2, max_value=999),
)
def test_every_made_code_is_valid_and_a_single_typo_is_caught(born, number):
    code = hetu.make(born, number)
    parsed = hetu.parse(code)
    assert (parsed.birth_date, parsed.individual_number) == (born, number)
    # Changing one digit of the individual number breaks the checksum (or the range).
    wrong = code[:7] + str((int(code[7]) + 1) % 10) + code[8:]
    with pytest.raises(hetu.HetuError):
        hetu.parse(wrong)
