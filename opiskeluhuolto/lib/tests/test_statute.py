"""A statutory basis must name its section (LAW.md L-22-2)."""

import pytest

from opiskeluhuolto.lib.statute import names_a_section


@pytest.mark.parametrize(
    "reference",
    [
        "Lastensuojelulaki 417/2007 25 §",
        "LsL 25 §",
        "OHL 23 § 3 mom.",
        "25 a § barnskyddslagen",
        "§ 25",
        "Child Welfare Act section 25",
        "EU 2016/679 art. 15",
        "tietosuoja-asetuksen 15 artikla",
        "oppilas- ja opiskelijahuoltolain 22 pykälä",
    ],
)
def test_a_section_reference_is_accepted(reference):
    assert names_a_section(reference)


@pytest.mark.parametrize(
    "reference", ["", "Lastensuojelulaki", "laki 417/2007", "statute", "lain perusteella", "§"]
)
def test_an_act_without_its_section_is_refused(reference):
    assert not names_a_section(reference)
