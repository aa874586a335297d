"""Participant pages in Spanish (docs/portal.md, "Spanish"): the participant's preferred
language picks the page language, the switcher changes it (audited when signed in, the
language cookie when signed out), the PHQ-9 shows its published Spanish wording, emails and
texts go out in the participant's language, and staff pages stay English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from tests.personas import World, org_today
from trellis.accounts.models import User
from trellis.audit.models import Action, Event, Purpose
from trellis.lib.languages import portal_language
from trellis.measures.tests.factories import complete_checkin, open_checkin
from trellis.messaging.tests.helpers import staff_writes
from trellis.notifications.actions import do_deliver_due
from trellis.participants.actions import check_invite
from trellis.participants.actions.invitations import expiry_text
from trellis.participants.models import Participant
from trellis.scheduling.tests.factory import daily_group, enroll

Clients = Callable[[User], Client]


def spanish(participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk).update(language="es")
    participant.language = "es"


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def test_the_portal_language_of_a_preferred_language() -> None:
    assert [portal_language(c) for c in ("es", "es-US", "ES_mx", "en", "vi", "", None)] == [
        "es",
        "es",
        "es",
        "en",
        "en",
        "en",
        "en",
    ]


def test_a_spanish_participants_home_is_in_spanish(world: World, client_for: Clients) -> None:
    spanish(world.participant)
    series = daily_group(world, dtstart=org_today() - timedelta(days=3), name="DBT skills")
    enroll(series, world.participant, org_today())
    body = page(client_for(world.participant_user), "/me/")
    assert '<html lang="es">' in body
    for words in ("Próximas sesiones", "Plan de seguridad", "Cerrar sesión", "Llame o escriba"):
        assert words in body, words
    assert "Next sessions" not in body
    assert "Sign out" not in body
    assert "DBT skills" in body  # names written by people are not translated
    assert 'aria-current="true">Español</button>' in body


def test_an_english_participants_home_stays_english(world: World, client_for: Clients) -> None:
    body = page(client_for(world.participant_user), "/me/")
    assert '<html lang="en">' in body
    assert "Next sessions" in body
    assert "Próximas sesiones" not in body


def test_a_spanish_schedule_names_days_and_months_in_spanish(
    world: World, client_for: Clients
) -> None:
    spanish(world.participant)
    series = daily_group(world, dtstart=org_today() - timedelta(days=3), name="DBT skills")
    enroll(series, world.participant, org_today())
    body = page(client_for(world.participant_user), "/me/schedule/")
    assert "Mis sesiones" in body
    assert "Agregar al calendario de su teléfono" in body
    assert "Voy a llegar tarde" in body
    assert "No puedo ir" in body
    later = org_today() + timedelta(days=5)
    with translation.override("es"):
        from django.utils.formats import date_format

        month = date_format(later, "F").lower()
        month_short = date_format(later, "M").lower()
    assert month in body.lower() or month_short in body.lower()


def test_a_spanish_phq9_check_in_shows_the_published_spanish_wording(
    world: World, client_for: Clients
) -> None:
    spanish(world.participant)
    administration = open_checkin(world.participant, "PHQ-9")
    body = page(client_for(world.participant_user), f"/me/check-ins/{administration.public_id}/")
    assert "Durante las últimas 2 semanas" in body
    assert "Poco interés o placer en hacer cosas" in body
    assert "Ningún día" in body
    assert "Casi todos los días" in body
    assert "Extremadamente difícil" in body
    assert "Guardar y terminar después" in body
    assert "Little interest or pleasure" not in body
    assert "Not at all" not in body
    # The values posted are the same codes: scoring does not depend on the language.
    assert 'value="LA6568-5"' in body
    # The list and the home's button name the instrument in Spanish too.
    assert "Depresión (PHQ-9)" in page(client_for(world.participant_user), "/me/check-ins/")
    assert "Depresión (PHQ-9)" in page(client_for(world.participant_user), "/me/")


def test_the_switcher_stores_the_choice_on_the_record_audited(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    response = client.post("/language/", {"language": "es", "next": "/me/schedule/"})
    assert response.status_code == 302
    assert response["Location"] == "/me/schedule/"
    world.participant.refresh_from_db()
    assert world.participant.language == "es"
    event = Event.objects.get(
        actor=world.participant_user, action=Action.UPDATE, participant=world.participant
    )
    assert event.purpose == Purpose.PATRQT
    assert event.detail["fields"] == ["language"]
    assert event.detail["language"] == "es"
    assert "Próximas sesiones" in page(client, "/me/")

    client.post("/language/", {"language": "en", "next": "/me/"})
    world.participant.refresh_from_db()
    assert world.participant.language == "en"
    assert "Next sessions" in page(client, "/me/")


def test_the_switcher_refuses_another_language_and_a_foreign_next(
    world: World, client_for: Clients
) -> None:
    client = client_for(world.participant_user)
    response = client.post("/language/", {"language": "fr", "next": "https://evil.test/"})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    world.participant.refresh_from_db()
    assert world.participant.language == "en"
    assert not Event.objects.filter(
        actor=world.participant_user, action=Action.UPDATE, participant=world.participant
    ).exists()
    assert "Choose English or Español." in page(client, "/me/")


def test_signed_out_the_choice_is_the_language_cookie(db: Any) -> None:
    client = Client()
    assert '<html lang="en">' in page(client, "/accounts/sign-in/")
    response = client.post("/language/", {"language": "es", "next": "/accounts/sign-in/"})
    assert response.status_code == 302
    assert response.cookies["trellis_language"].value == "es"
    body = page(client, "/accounts/sign-in/")
    assert '<html lang="es">' in body
    assert "Ir al contenido" in body
    assert "Iniciar sesión en Trellis" in body
    assert "Correo electrónico o nombre de usuario" in body


def test_staff_pages_stay_english(world: World, client_for: Clients) -> None:
    client = client_for(world.clinician)
    client.cookies["trellis_language"] = "es"
    response = client.post("/language/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    body = page(client, "/")
    assert '<html lang="en">' in body
    assert "Sign out" in body
    assert "Cerrar sesión" not in body
    assert "language-switch" not in body


def test_the_invitation_goes_out_in_the_participants_language(world: World) -> None:
    spanish(world.other_participant)
    check_invite(world.other_clinician, world.other_participant, email="ana@example.test", phone="")
    email = mail.outbox[-1]
    assert email.subject.startswith("Cree su cuenta con")
    assert "Abra este enlace para elegir una contraseña" in email.body
    assert " a las " in email.body  # the expiry: "domingo 6 de diciembre a las 18:30 CST"
    with translation.override("en"):  # the staff member's page is not changed
        assert " at " in expiry_text(world.organization, world.other_participant.created_at)


def test_the_message_notification_goes_out_in_the_participants_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The reply queues a notification; the sweep writes it in the participant's language
    (docs/portal.md, "Notifications")."""
    spanish(world.participant)
    with django_capture_on_commit_callbacks(execute=True):
        staff_writes(world.clinician, world.participant)
    assert do_deliver_due() == 1
    email = mail.outbox[-1]
    assert email.subject == "Tiene un mensaje nuevo de su equipo de atención"
    assert "Inicie sesión para verlo" in email.body
    assert "Trellis: tiene un mensaje nuevo de su equipo de atención." in email.body


def test_spanish_progress_names_the_instrument_band_and_date_in_spanish(
    world: World, client_for: Clients
) -> None:
    spanish(world.participant)
    complete_checkin(world.participant, 11, code="PHQ-9", item9=0)
    body = page(client_for(world.participant_user), "/me/progress/")
    assert "Depresión (PHQ-9)" in body
    assert "(moderado, de 10 a 14)" in body
    assert " de 20" in body  # "3 de diciembre de 2026": the day, " de ", the month, the year
    for english in ("Depression (PHQ-9)", "moderate,", "Moderate<"):
        assert english not in body, english
    # The chart's numbers are SVG coordinates, never written the Spanish way ("60,0").
    chart = body.split('<svg class="trajectory progress-chart"')[1].split("</svg>")[0]
    assert not re.search(r'(x|y|width|height)="\d+,\d', chart), chart[:300]


def test_a_spanish_track_request_says_its_day_in_spanish(world: World, client_for: Clients) -> None:
    spanish(world.participant)
    client = client_for(world.participant_user)
    start = org_today() + timedelta(days=7)
    client.post(
        "/me/schedule/track/",
        {"track": str(world.morning.public_id), "starting_from": start.isoformat()},
    )
    body = page(client, "/me/schedule/track/")
    with translation.override("es"):
        weekday = date_format(start, "l")
        day = date_format(start, "MONTH_DAY_FORMAT")
    assert f"a partir del {weekday} {day}" in body
    assert " de " in day  # "7 de diciembre"


def test_the_default_reply_time_is_said_in_spanish(world: World, client_for: Clients) -> None:
    spanish(world.participant)
    body = page(client_for(world.participant_user), "/me/messages/new/")
    assert "un día hábil" in body
    assert "one business day" not in body
