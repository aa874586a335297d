"""The instruments' published translations, shown to a participant who reads Spanish.

An instrument is defined once (`instruments/*.json`, a FHIR Questionnaire and its scoring);
its scoring, codes and option values never change with the language. What a participant
reads (the stem, each item's text, each option's label, the short title on buttons) can be
replaced by a published translation kept here, keyed by the instrument's code, the item's
`linkId` and the option's code (LOINC answer codes; the difficulty item's own codes).
`localized` returns the instrument with those texts swapped in; anything without a
translation keeps its English text.

Source of the Spanish (USA) wording: the PHQ screeners' published translations, "PHQ-9
Spanish for the USA" and "GAD-7 Spanish for the USA" (www.phqscreeners.com), developed by
Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues with an educational
grant from Pfizer Inc. Their terms: "No permission required to reproduce, translate, display
or distribute." The texts below were typed in by hand from the published version, not
copied from the PDF file: check them word for word against the PDF before clinical use
(docs/portal.md, "Spanish").
"""

from __future__ import annotations

import dataclasses
from typing import TypedDict

from trellis.measures.scoring import Instrument


class Translation(TypedDict):
    short_title: str
    stem: str
    items: dict[str, str]  # linkId -> text
    options: dict[str, str]  # answer code -> label


# Frequency answers shared by PHQ-9 items 1-9 and GAD-7 (LOINC LA6568-5 …).
_FREQUENCY_ES = {
    "LA6568-5": "Ningún día",
    "LA6569-3": "Varios días",
    "LA6570-1": "Más de la mitad de los días",
    "LA6571-9": "Casi todos los días",
}

SPANISH: dict[str, Translation] = {
    "PHQ-9": {
        "short_title": "Depresión (PHQ-9)",
        "stem": (
            "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los "
            "siguientes problemas?"
        ),
        "items": {
            "phq9-1": "Poco interés o placer en hacer cosas",
            "phq9-2": "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
            "phq9-3": (
                "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado"
            ),
            "phq9-4": "Se ha sentido cansado(a) o con poca energía",
            "phq9-5": "Sin apetito o ha comido en exceso",
            "phq9-6": (
                "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado "
                "mal con usted mismo(a) o con su familia"
            ),
            "phq9-7": (
                "Ha tenido dificultad para concentrarse en ciertas actividades, tales como "
                "leer el periódico o ver la televisión"
            ),
            "phq9-8": (
                "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? "
                "o lo contrario – muy inquieto(a) o agitado(a) que ha estado moviéndose mucho "
                "más de lo normal"
            ),
            "phq9-9": (
                "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
            ),
            "phq9-difficulty": (
                "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos "
                "problemas para hacer su trabajo, encargarse de las tareas del hogar, o "
                "llevarse bien con otras personas?"
            ),
        },
        "options": {
            **_FREQUENCY_ES,
            "difficulty-0": "No ha sido difícil",
            "difficulty-1": "Un poco difícil",
            "difficulty-2": "Muy difícil",
            "difficulty-3": "Extremadamente difícil",
        },
    },
    "GAD-7": {
        "short_title": "Ansiedad (GAD-7)",
        "stem": (
            "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los "
            "siguientes problemas?"
        ),
        "items": {
            "gad7-1": "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
            "gad7-2": "No ha sido capaz de parar o controlar su preocupación",
            "gad7-3": "Se ha preocupado demasiado por motivos diferentes",
            "gad7-4": "Ha tenido dificultad para relajarse",
            "gad7-5": "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
            "gad7-6": "Se ha molestado o irritado fácilmente",
            "gad7-7": "Ha tenido miedo de que algo terrible fuera a pasar",
        },
        "options": dict(_FREQUENCY_ES),
    },
}

TRANSLATIONS: dict[str, dict[str, Translation]] = {"es": SPANISH}


def localized(instrument: Instrument, language: str) -> Instrument:
    """The instrument as a participant reading `language` sees it: the published
    translation's stem, item texts, option labels and short title where there is one. Codes,
    values and scoring are the same object's."""
    translation = TRANSLATIONS.get(language, {}).get(instrument.code)
    if translation is None:
        return instrument
    items = tuple(
        dataclasses.replace(
            item,
            text=translation["items"].get(item.link_id, item.text),
            options=tuple(
                dataclasses.replace(
                    option, display=translation["options"].get(option.code, option.display)
                )
                for option in item.options
            ),
        )
        for item in instrument.items
    )
    return dataclasses.replace(
        instrument,
        stem=translation["stem"] or instrument.stem,
        short_title=translation["short_title"] or instrument.short_title,
        items=items,
    )


def localized_short_title(instrument: Instrument, language: str) -> str:
    translation = TRANSLATIONS.get(language, {}).get(instrument.code)
    return translation["short_title"] if translation else instrument.short_title
