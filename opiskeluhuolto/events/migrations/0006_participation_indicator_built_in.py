"""The participation indicator becomes built in: its name and unit are stored as the message
ids and shown in the reader's language (`meetings.Indicator.label`).

Rows created before held the name and unit in the language of whoever reported first; those
still holding one of the site's translations are turned into the message ids. A name someone
changed by hand is left as typed (and the row stays not built in)."""

from django.conf import settings
from django.db import migrations
from django.utils import translation

CODE = "event-participation"
NAME = "Participation in communal welfare events"
UNIT = "persons"


def _spellings(msgid: str) -> set[str]:
    found = {msgid}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            found.add(translation.gettext(msgid))
    return found


def mark_built_in(apps, schema_editor):
    Indicator = apps.get_model("meetings", "Indicator")
    names, units = _spellings(NAME), _spellings(UNIT)
    for indicator in Indicator.objects.filter(code=CODE, built_in=False):
        if indicator.name not in names:
            continue
        indicator.name, indicator.built_in = NAME, True
        if indicator.unit in units:
            indicator.unit = UNIT
        indicator.save(update_fields=["name", "unit", "built_in"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_campaign_audience_campuses_languages"),
        ("meetings", "0006_indicator_built_in"),
    ]

    operations = [migrations.RunPython(mark_built_in, migrations.RunPython.noop)]
