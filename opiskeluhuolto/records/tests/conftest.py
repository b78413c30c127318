import pytest

from opiskeluhuolto.cases.tests.story import meeting, open_aino_case


@pytest.fixture
def case(cast):
    return open_aino_case(cast)


@pytest.fixture
def case_with_entry(cast, case):
    meeting(case, cast.kuraattori)
    return case
