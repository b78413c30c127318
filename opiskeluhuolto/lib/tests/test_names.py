import pytest

from opiskeluhuolto.lib.names import finnish_genitive, possessive


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        ("Aino", "Ainon"),
        ("Matti", "Matin"),
        ("Jukka", "Jukan"),
        ("Seppo", "Sepon"),
        ("Anna", "Annan"),
        ("Onni", "Onnin"),
        ("Elias", "Eliaksen"),
        ("Kristian", "Kristianin"),
        ("Kalle", "Kallen"),
    ],
)
def test_finnish_genitive(name, genitive):
    assert finnish_genitive(name) == genitive


def test_possessive_by_language():
    assert possessive("Aino", "fi") == "Ainon"
    assert possessive("Aino", "sv") == "Ainos"
    assert possessive("Elias", "sv") == "Elias"
    assert possessive("Aino", "en") == "Aino's"
