"""Demo announcements (seed 003): Sedu's guardian newsletter from the home–school clock,
sent to the guardians of the Seinäjoki campus's minors and kept in the public archive, and
a staff announcement. Sent through the same actions as in the service; the e-mail goes to
Django's in-memory backend so that seeding prints no mail."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.organisation.demo.cast import DemoContext, school_year_start

from .. import actions, sending
from ..models import Announcement, Delivery

NEWSLETTER_FI = """Hyvä huoltaja,

lukuvuosi on hyvässä vauhdissa. Tässä uutiskirjeessä kerromme syksyn tapahtumista ja
opiskeluhuollon palveluista.

- Hyvinvointi virtaa -viikolla (viikko 40) kampuksella on liikuntaa, lepoa ja ravintoa
  käsitteleviä tapahtumia. Opiskelijat ilmoittautuvat Opiskeluhuolto-palvelussa.
- Kotiväenilta pidetään syyskuussa. Tervetuloa tutustumaan kampukseen ja henkilöstöön.
- Kuraattorin, psykologin ja terveydenhoitajan vastaanotolle voi varata ajan palvelussa.
- Sedun huoltajakysely avautuu viikolla 43. Vastauksesi auttaa kehittämään yhteistyötä.

Ystävällisin terveisin
Sedu Seinäjoen kampuksen opiskeluhuolto"""

NEWSLETTER_SV = """Bästa vårdnadshavare,

läsåret är i full gång. I detta nyhetsbrev berättar vi om höstens evenemang och
elevhälsans tjänster: temaveckan Hyvinvointi virtaa (vecka 40), föräldrakvällen i
september och Sedus enkät till vårdnadshavare (vecka 43).

Med vänliga hälsningar
Elevhälsan vid Sedu Seinäjoki"""


def seed(ctx: DemoContext) -> None:
    sedu_p, sedu = ctx.providers["sedu"], ctx.institutions["sedu"]
    seinajoki = ctx.campuses["seinajoki"]
    rehtori = ctx.users["rehtori"]
    year = school_year_start(ctx.today)
    clock_item = ClockItem.objects.filter(
        clock__provider=sedu_p,
        clock__parent__isnull=True,
        title="Opiskelijahyvinvoinnin uutiskirje",
        first_month=8,
    ).first()
    newsletter = actions.save_draft(
        Announcement(
            provider=sedu_p,
            kind=Announcement.Kind.NEWSLETTER,
            audience=Announcement.Audience.GUARDIANS,
            institution=sedu,
            campus=seinajoki,
            title_fi="Opiskelijahyvinvoinnin uutiskirje, syksy",
            body_fi=NEWSLETTER_FI,
            title_sv="Nyhetsbrev om studerandes välbefinnande, hösten",
            body_sv=NEWSLETTER_SV,
            is_public=True,
            clock_item=clock_item,
            clock_year=year if clock_item else None,
        ),
        by=rehtori,
    )
    actions.schedule(newsletter, by=rehtori, confirmed=True)
    sending.send_pending(
        newsletter.pk,
        connection=EmailBackend(),
    )
    # Sent at the end of August; a few guardians have read it in the service.
    sent_at = timezone.make_aware(
        datetime.combine(ctx.today.replace(year=year, month=8, day=25), time(9))
    )
    if sent_at > timezone.now():
        sent_at = timezone.now() - timedelta(hours=2)
    Announcement.objects.filter(pk=newsletter.pk).update(sent_at=sent_at)
    deliveries = Delivery.objects.filter(announcement=newsletter).order_by("pk")
    read = [
        d.pk
        for i, d in enumerate(deliveries)
        if i % 3 == 0 and d.user_id != ctx.users["huoltaja"].pk
    ]
    Delivery.objects.filter(pk__in=read).update(read_at=sent_at + timedelta(hours=5))

    staff_note = actions.save_draft(
        Announcement(
            provider=sedu_p,
            kind=Announcement.Kind.ANNOUNCEMENT,
            audience=Announcement.Audience.STAFF,
            institution=sedu,
            campus=seinajoki,
            title_fi="Hyvinvointi virtaa -viikon työnjako",
            body_fi=(
                "Hyvinvointi virtaa -viikon tapahtumien vastuuhenkilöt ovat tapahtumasivuilla. "
                "Merkitkää osallistujat tapahtuman jälkeen ja raportoikaa osallistuminen."
            ),
        ),
        by=rehtori,
    )
    actions.schedule(staff_note, by=rehtori, confirmed=True)
    sending.send_pending(
        staff_note.pk,
        connection=EmailBackend(),
    )
