from django.template import Context, Template
from django.utils import translation

from opiskeluhuolto.lib.datatags import phone, tel


def test_phone_numbers_are_written_one_way():
    for typed in ("0401234567", "040 123 4567", "+358 40 123 4567", "+358401234567"):
        assert phone(typed) == "+358 40 123 4567"
        assert tel(typed) == "+358401234567"
    assert phone("+46812345678") == "+46 8 123 456 78"
    assert phone("(09) 310 1234") == "+358 9 310 1234"
    assert phone("soita vaihteeseen") == "soita vaihteeseen"  # as typed when unreadable


def test_data_says_its_language_on_pages_in_another_language():
    t = Template("<p{% data_lang %}>Kotiväenilta</p>")
    with translation.override("fi"):
        assert t.render(Context()) == "<p>Kotiväenilta</p>"
    with translation.override("sv"):
        assert t.render(Context()) == '<p lang="fi">Kotiväenilta</p>'
    with translation.override("en"):
        assert t.render(Context()) == '<p lang="fi">Kotiväenilta</p>'
