"""The record's entries built in Python (`entries_html`) read as the template they replaced.

`OLD` is `records/_entries.html` as it was (commit c4644e9): rendered with the same entries
in each language, it must give the same HTML as `entries_html`, whitespace between tags
aside. Then the case page itself shows an entry, its amendment and the link to amend."""

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opiskeluhuolto.cases.tests.story import meeting, open_aino_case
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.entries_html import entries_html
from opiskeluhuolto.records.models import RecordEntry

OLD = """{% load i18n records_tags %}{% if view.entries %}
<ol class="entries">
{% for e in view.entries %}
  <li class="entry" id="entry-{{ e.pk }}">
    <p class="entry__meta"><strong>{{ e.get_kind_display }}</strong> · {{ e.created_at|date:"j.n.Y H:i" }} · {{ e.author_name }}, {{ e.author_profession|role }}</p>
    {% if e.kind == "meeting" %}
    <dl class="facts">
      <dt>{% translate "Meeting date" %}</dt><dd>{{ e.meeting_date|date:"j.n.Y" }}</dd>
      <dt>{% translate "Present" %}</dt><dd>{% for p in e.participants %}{{ p.name }} ({{ p.position|role }}){% if not forloop.last %}, {% endif %}{% endfor %}</dd>
      <dt>{% translate "Decisions" %}</dt><dd class="prewrap">{{ e.decisions }}</dd>
      <dt>{% translate "Plan" %}</dt><dd class="prewrap">{{ e.plan }}</dd>
      <dt>{% translate "Carried out by" %}</dt><dd>{{ e.implementers }}</dd>
      <dt>{% translate "Followed up by" %}</dt><dd>{{ e.followers }}</dd>
      {% if e.follow_up_on %}<dt>{% translate "Follow-up date" %}</dt><dd>{{ e.follow_up_on|date:"j.n.Y" }}</dd>{% endif %}
    </dl>
    {% if e.text %}<p class="prewrap">{{ e.text }}</p>{% endif %}
    {% else %}
    <p class="prewrap">{{ e.text }}</p>
    {% if e.follow_up_on %}<p>{% translate "Follow-up date" %}: {{ e.follow_up_on|date:"j.n.Y" }}</p>{% endif %}
    {% endif %}
    {% for a in e.amendment_list %}
    <div class="amendment">
      <p class="entry__meta"><strong>{% translate "Amendment" %}</strong> · {{ a.created_at|date:"j.n.Y H:i" }} · {{ a.author_name }}, {{ a.author_profession|role }}</p>
      <p class="prewrap">{{ a.text }}</p>
      <p class="muted">{% translate "Reason" %}: {{ a.reason }}</p>
    </div>
    {% endfor %}
    {% if can_edit %}<p><a href="{% url 'records:amend' e.pk %}">{% translate "Amend" %}</a></p>{% endif %}
  </li>
{% endfor %}
</ol>
{% else %}
<p class="muted">{% translate "Nothing has been recorded yet." %}</p>
{% endif %}
"""


def same(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def amendment(text: str, reason: str):
    return SimpleNamespace(
        created_at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC),  # 3.3. 00.30 in Helsinki
        author_name="Kaisa <Kuraattori>",
        author_profession="kuraattori",
        text=text,
        reason=reason,
    )


def entries():
    held = RecordEntry(
        pk=7,
        kind=RecordEntry.Kind.MEETING,
        text="Lisätietoja & <b>muuta</b>",
        meeting_date=date(2026, 3, 1),
        participants=[
            {"name": 'Aino "A" Aaltonen', "position": "opiskelija"},
            {"name": "Kaisa", "position": "kuraattori"},
        ],
        decisions="Päätös 1\nPäätös 2",
        plan="<script>alert(1)</script>",
        implementers="Kaisa",
        followers="Olli's",
        follow_up_on=date(2026, 4, 15),
        author_name="Kaisa Kuraattori",
        author_profession="kuraattori",
        created_at=datetime(2026, 3, 1, 12, 5, tzinfo=UTC),
    )
    held.amendment_list = [amendment("Korjaus <i>", "Kirjoitusvirhe & muuta")]
    bare = RecordEntry(
        pk=8,
        kind=RecordEntry.Kind.MEETING,
        text="",
        participants=None,
        author_name="K",
        author_profession="Oma nimike <x>",
        created_at=datetime(2026, 3, 4, 8, 0, tzinfo=UTC),
    )
    bare.amendment_list = []
    plain = RecordEntry(
        pk=9,
        kind=RecordEntry.Kind.MEASURE,
        text="Tehty.",
        follow_up_on=date(2026, 5, 2),
        author_name="Pertti",
        author_profession="psykologi",
        created_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
    )
    plain.amendment_list = [amendment("A", "B"), amendment("C", "D")]
    return [held, bare, plain]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("can_edit", [True, False])
def test_the_entries_read_as_the_template_did(language, can_edit):
    rows = entries()
    with translation.override(language):
        old = Template(OLD).render(
            Context({"view": SimpleNamespace(entries=rows), "can_edit": can_edit})
        )
        new = entries_html(rows, can_edit)
    assert same(new) == same(old)
    assert "<script>" not in new and "&lt;script&gt;" in new
    assert ('href="' in new) == can_edit  # the only link: amend


def test_no_entries_reads_as_the_template_did():
    with translation.override("fi"):
        old = Template(OLD).render(Context({"view": SimpleNamespace(entries=[]), "can_edit": True}))
        new = entries_html([], True)
    assert same(new) == same(old)
    assert "Nothing has been recorded" not in new  # in Finnish


@pytest.mark.django_db
def test_the_case_page_shows_the_entries_their_amendments_and_the_amend_link(cast):
    case = open_aino_case(cast)
    entry = meeting(case, cast.kuraattori)
    actions.amend_entry(
        entry,
        by=cast.kuraattori,
        text="Korjattu <teksti>.",
        reason="Kirjoitusvirhe.",
        expected_version=entry.version,
    )
    client = Client()
    client.force_login(cast.kuraattori)
    html = client.get(reverse("records:case", args=[case.pk])).content.decode()
    assert f'id="entry-{entry.pk}"' in html
    assert "Korjattu &lt;teksti&gt;." in html and "Kirjoitusvirhe." in html
    assert reverse("records:amend", args=[entry.pk]) in html
