"""Demo: the skills library, the built-in worksheets and the curriculum links.

Skill names and acronyms are facts; every summary and step list here is written in our own
words (published handout text is licensed and is never shipped, docs/practice.md).
"""

from __future__ import annotations

import json

from trellis.practice.actions.library import (
    builtin_worksheet_files,
    check_import_worksheets,
    do_link_topic,
    do_save_module,
    do_save_skill,
)
from trellis.practice.models import Skill
from trellis.programs.models import Organization
from trellis.scheduling.models import SessionSeries

# (module, approach, description, [(name, acronym, summary, steps)])
LIBRARY: list[tuple[str, str, str, list[tuple[str, str, str, list[str]]]]] = [
    (
        "Mindfulness",
        "DBT",
        "Noticing what is happening right now, inside and around you, without judging it.",
        [
            (
                "Wise mind",
                "",
                "Find the place where what you feel and what you know meet, and decide from "
                "there rather than from either one alone.",
                [
                    "Pause and take a few slow breaths.",
                    "Notice what your feelings are urging you to do.",
                    "Notice what the plain facts say.",
                    "Ask yourself what fits both, and let the answer come.",
                ],
            ),
            (
                "Observe and describe",
                "",
                "Notice one thing at a time and put it into plain words, facts only.",
                [
                    "Choose one thing to notice: a sound, a sensation, a thought.",
                    "Watch it come and go without holding on.",
                    "Name it in words, leaving out opinions.",
                ],
            ),
        ],
    ),
    (
        "Distress tolerance",
        "DBT",
        "Getting through a crisis moment without making it worse.",
        [
            (
                "Changing body chemistry fast",
                "TIPP",
                "When a feeling is so strong you cannot think, change your body first: "
                "cold, hard movement, slow breathing and relaxing your muscles.",
                [
                    "Cool your face with cold water or something cold.",
                    "Move hard for a few minutes: walk fast, run, climb stairs.",
                    "Breathe out longer than you breathe in.",
                    "Tense and let go of your muscles, one group at a time.",
                ],
            ),
            (
                "Stop before acting",
                "STOP",
                "A short pause between an urge and what you do about it.",
                [
                    "Freeze: do not move yet.",
                    "Step back from the moment and breathe.",
                    "Look at what is happening, inside and outside.",
                    "Go on mindfully, choosing what helps your goals.",
                ],
            ),
            (
                "Distracting with wise mind",
                "ACCEPTS",
                "Turn your attention away from the pain for a while, on purpose, until the "
                "wave passes.",
                [
                    "Do something absorbing.",
                    "Do something for someone else.",
                    "Bring in a different feeling: a film, music, a joke.",
                    "Put the problem aside for now, in your mind.",
                    "Think about something else: count, recite, puzzle.",
                    "Use a strong, safe sensation, like holding ice.",
                ],
            ),
            (
                "Urge surfing",
                "",
                "Ride out an urge like a wave: it rises, peaks and falls if you do not act on it.",
                [
                    "Notice where you feel the urge in your body.",
                    "Rate it 0 to 10 and keep breathing.",
                    "Watch it change, minute by minute, without acting.",
                    "Rate it again when it has eased.",
                ],
            ),
        ],
    ),
    (
        "Emotion regulation",
        "DBT",
        "Understanding feelings and changing the ones you want to change.",
        [
            (
                "Check the facts",
                "",
                "Ask whether the feeling, and how strong it is, fits what is actually going on.",
                [
                    "Name the feeling and what set it off.",
                    "Separate what happened from how you read it.",
                    "Ask if you are assuming a threat or a catastrophe.",
                    "Decide whether the feeling fits the facts.",
                ],
            ),
            (
                "Opposite action",
                "",
                "When a feeling does not fit the facts, act the opposite of what it urges, "
                "all the way, until the feeling shifts.",
                [
                    "Name the feeling and its urge.",
                    "Check that the feeling does not fit the facts.",
                    "Pick the opposite action and do it fully.",
                    "Repeat until the feeling eases.",
                ],
            ),
            (
                "Taking care of your body",
                "PLEASE",
                "A body that is looked after is less open to overwhelming feelings.",
                [
                    "See to physical illness and pain.",
                    "Eat regular, balanced meals.",
                    "Steer clear of drugs and alcohol that change mood.",
                    "Keep a steady sleep pattern.",
                    "Move your body every day.",
                ],
            ),
        ],
    ),
    (
        "Interpersonal effectiveness",
        "DBT",
        "Asking for what you need and saying no, while keeping relationships and self-respect.",
        [
            (
                "Asking for what you need",
                "DEAR MAN",
                "Say plainly what happened, how you feel and what you want, make it worth "
                "the other person's while, and stay on track.",
                [
                    "Describe the situation, facts only.",
                    "Express how you feel about it.",
                    "Assert what you want, clearly.",
                    "Reinforce: say how it helps them too.",
                    "Stay mindful of your goal; repeat it calmly.",
                    "Appear confident in voice and posture.",
                    "Negotiate: be willing to give to get.",
                ],
            ),
        ],
    ),
    (
        "CBT",
        "CBT",
        "How thoughts, feelings and actions affect one another, and how to change the loop.",
        [
            (
                "Cognitive restructuring",
                "",
                "Catch a thought that drives a strong feeling, test it against the evidence "
                "and find a more balanced one.",
                [
                    "Write down the situation and the feeling.",
                    "Write the thought that came with it.",
                    "List what supports it and what does not.",
                    "Write a more balanced thought and rate the feeling again.",
                ],
            ),
            (
                "Behavioural activation",
                "",
                "Plan small, doable activities that bring a sense of achievement or enjoyment, "
                "then do them whatever your mood.",
                [
                    "List activities that matter to you or used to feel good.",
                    "Schedule a few for this week, small enough to do.",
                    "Do them as planned, even without motivation.",
                    "Rate mastery and pleasure afterwards.",
                ],
            ),
            (
                "Problem solving",
                "",
                "Break a problem down, brainstorm options, pick one and try it.",
                [
                    "Define the problem in one or two sentences.",
                    "List every possible solution without judging.",
                    "Weigh the pros and cons and choose one.",
                    "Plan the first step, do it and review.",
                ],
            ),
        ],
    ),
    (
        "Relapse prevention",
        "Relapse prevention",
        "Spotting early warning signs and planning for high-risk moments.",
        [
            (
                "Checking basic needs",
                "HALT",
                "Before acting on a craving or a bad mood, check whether you are hungry, "
                "angry, lonely or tired, and look after that first.",
                [
                    "Stop and ask: am I hungry, angry, lonely or tired?",
                    "Pick the one that fits most.",
                    "Do one small thing to meet that need now.",
                ],
            ),
            (
                "High-risk situations plan",
                "",
                "Know the people, places and feelings that raise your risk, and have a plan "
                "ready for each.",
                [
                    "List your top three high-risk situations.",
                    "For each, write one way to avoid it and one way to cope in it.",
                    "Share the plan with someone who supports you.",
                ],
            ),
        ],
    ),
]

# Curriculum topics of the demo's series (trellis/scheduling/demo.py) → skill names.
TOPIC_SKILLS: dict[str, list[str]] = {
    "Mindfulness: wise mind": ["Wise mind"],
    "Distress tolerance: TIPP": ["Changing body chemistry fast"],
    "Emotion regulation: check the facts": ["Check the facts"],
    "Interpersonal effectiveness: DEAR MAN": ["Asking for what you need"],
    "Relapse prevention": ["Checking basic needs", "High-risk situations plan"],
}


def seed_library(organization: Organization) -> dict[str, Skill]:
    """The demo library, the built-in worksheets and the links from series topics to skills."""
    skills: dict[str, Skill] = {}
    for position, (name, approach, description, entries) in enumerate(LIBRARY):
        module = do_save_module(
            None,
            organization,
            name=name,
            approach=approach,
            description=description,
            position=position,
        )
        for skill_position, (skill_name, acronym, summary, steps) in enumerate(entries):
            skills[skill_name] = do_save_skill(
                None,
                module,
                name=skill_name,
                acronym=acronym,
                summary=summary,
                steps=steps,
                position=skill_position,
                skill=Skill.objects.filter(module=module, name=skill_name).first(),
            )
    files = [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in builtin_worksheet_files()]
    check_import_worksheets(None, organization, files)
    series_list = SessionSeries.objects.filter(
        track__program__organization=organization
    ).select_related("track__program")
    for series in series_list:
        for topic in series.topics or []:
            for skill_name in TOPIC_SKILLS.get(topic, []):
                do_link_topic(None, series, topic, skills[skill_name])
    return skills
