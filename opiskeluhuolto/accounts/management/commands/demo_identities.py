"""The demo's stand-in for Suomi.fi-tunnistus: who can identify there, and at what level.

Writes a claims file for the test identity provider (`oidc-provider-mock`, started by
`./dev demo` on loopback) from the seeded demo people, and prints how to try the
step-up. Demo mode only: a real deployment points STRONG_ID_SERVER_URL at Suomi.fi or an
identity broker instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.accounts.models import User

#: The levels the demo provider issues (Suomi.fi / FTN assurance levels, as in
#: `opiskeluhuolto.testing.oidc`, which the tests use and the app never imports).
SUOMIFI_LOA3 = "http://ftn.ficora.fi/2017/loa3"
WEAK_ACR = "http://ftn.ficora.fi/2017/loa1"

#: (sub shown on the provider's page, demo username, acr, what it shows)
IDENTITIES = [
    ("opiskelija-vahva", "opiskelija", SUOMIFI_LOA3, "Aino, bank codes (strong): opens her record"),
    ("opiskelija-heikko", "opiskelija", WEAK_ACR, "Aino, a weak level: refused"),
    ("huoltaja-vahva", "huoltaja", SUOMIFI_LOA3, "Matti, Aino's guardian (strong)"),
    ("aikuisopiskelija-vahva", "aikuisopiskelija", SUOMIFI_LOA3, "Eero, adult student"),
]


def claims_for(user: User, acr: str) -> dict:
    claims: dict = {"acr": acr, "given_name": user.first_name, "family_name": user.last_name}
    student = getattr(user, "student", None)
    if student is not None and student.hetu:
        claims[settings.OIDC_HETU_CLAIM] = student.hetu
    elif user.email:
        claims.update(email=user.email, email_verified=True)
    return claims


def _server_url() -> str:
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []):
        if app["provider_id"] == settings.STRONG_ID_PROVIDER_ID:
            return app["settings"]["server_url"]
    raise CommandError("no strong identification provider configured (USE_STRONG_ID)")


class Command(BaseCommand):
    help = "Write the demo identity provider's people (claims file) and print how to try them."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the claims file (JSON)")

    def handle(self, *args, path, **options):
        if not settings.DEMO_MODE:
            raise CommandError("demo_identities is for the demo only (DEMO_MODE=true)")
        people = []
        lines = []
        for sub, username, acr, text in IDENTITIES:
            user = User.objects.filter(username=username).select_related("student").first()
            if user is None:
                continue
            people.append({"sub": sub, **claims_for(user, acr)})
            lines.append(f"  {sub:<24} {text}")
        Path(path).write_text(json.dumps(people, ensure_ascii=False, indent=2))
        self.stdout.write("")
        self.stdout.write(
            f"Strong identification: a test identity provider at {_server_url()}"
            " stands in for Suomi.fi-tunnistus. Sign in as 'opiskelija', open a matter, and"
            " choose on the provider's page:"
        )
        for line in lines:
            self.stdout.write(line)
