"""The questionnaire forms: our own short descriptor labels for each published item.

The BPI and the NPSI are copyrighted by their holders; these are short labels of our own,
not the instruments' wording. Clinical use of the full forms needs the holders' licence.
"""

from __future__ import annotations

from dataclasses import dataclass

from diary.models.questionnaires import NPSI_ATTACKS, NPSI_DURATIONS
from diary.services.scoring import PGIC_LABELS


@dataclass(frozen=True)
class Item:
    name: str
    label: str
    options: tuple[tuple[str, str], ...] = ()  # none: a 0 to 10 scale


@dataclass(frozen=True)
class Section:
    heading: str | None
    items: tuple[Item, ...]
    low: str = ""
    high: str = ""


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    about: str
    sections: tuple[Section, ...]
    scores: dict[str, str]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


PEG = Instrument(
    "peg",
    "PEG: pain, enjoyment, activity",
    "Three questions about the past week. About 30 seconds.",
    (
        Section(
            None, (Item("pain", "Your pain on average"),), "No pain", "As bad as you can imagine"
        ),
        Section(
            "How much did pain get in the way of…",
            (Item("enjoyment", "Enjoying life"), Item("general_activity", "General activity")),
            "Not at all",
            "Completely",
        ),
    ),
    {"peg": "PEG score (0 to 10)"},
)

BPI_SF = Instrument(
    "bpi_sf",
    "Brief Pain Inventory (short form)",
    "How strong the pain was, and how much it got in the way, in the last 24 hours.",
    (
        Section(
            "How strong was your pain?",
            (
                Item("worst", "At its worst"),
                Item("least", "At its least"),
                Item("average", "On average"),
                Item("now", "Right now"),
            ),
            "No pain",
            "Worst imaginable",
        ),
        Section(
            "How much did pain get in the way of…",
            (
                Item("general_activity", "General activity"),
                Item("mood", "Mood"),
                Item("walking", "Walking"),
                Item("work", "Normal work, in and outside the home"),
                Item("relations", "Relations with other people"),
                Item("sleep", "Sleep"),
                Item("enjoyment", "Enjoying life"),
            ),
            "Not at all",
            "Completely",
        ),
    ),
    {"severity": "Severity (0 to 10)", "interference": "Interference (0 to 10)"},
)

_DURATION_LABELS = ("All the time", "8 to 12 hours", "4 to 7 hours", "1 to 3 hours", "Under 1 hour")
_ATTACK_LABELS = ("More than 20", "11 to 20", "6 to 10", "1 to 5", "None")

NPSI = Instrument(
    "npsi",
    "Neuropathic Pain Symptom Inventory",
    "The kinds of nerve pain you had in the last 24 hours. About 3 minutes.",
    (
        Section(
            "Pain that comes by itself",
            (Item("q1", "Burning"), Item("q2", "Squeezing"), Item("q3", "Pressure")),
            "None",
            "Worst imaginable",
        ),
        Section(
            None,
            (
                Item(
                    "q4",
                    "How long was that pain there, in all?",
                    tuple(zip(NPSI_DURATIONS, _DURATION_LABELS, strict=True)),
                ),
            ),
        ),
        Section(
            "Pain attacks",
            (Item("q5", "Electric shocks"), Item("q6", "Stabbing")),
            "None",
            "Worst imaginable",
        ),
        Section(
            None,
            (
                Item(
                    "q7",
                    "How many attacks did you have?",
                    tuple(zip(NPSI_ATTACKS, _ATTACK_LABELS, strict=True)),
                ),
            ),
        ),
        Section(
            "Pain set off by…",
            (
                Item("q8", "Light brushing"),
                Item("q9", "Pressure"),
                Item("q10", "Something cold"),
            ),
            "None",
            "Worst imaginable",
        ),
        Section(
            "Odd sensations",
            (Item("q11", "Pins and needles"), Item("q12", "Tingling")),
            "None",
            "Worst imaginable",
        ),
    ),
    {
        "total": "Total (0 to 100)",
        "burning": "Burning",
        "pressing": "Pressing",
        "paroxysmal": "Attacks",
        "evoked": "Evoked",
        "paresthesia": "Odd sensations",
    },
)

PGIC = Instrument(
    "pgic",
    "How much has it changed?",
    "One question: your own view of the change since treatment began.",
    (
        Section(
            None,
            (
                Item(
                    "change",
                    "Since the treatment began, my pain and how I manage overall are…",
                    tuple((str(n), label) for n, label in PGIC_LABELS.items()),
                ),
            ),
        ),
    ),
    {"pgic": "Change (1 very much improved … 7 very much worse)"},
)

INSTRUMENTS = {instrument.code: instrument for instrument in (PEG, BPI_SF, NPSI, PGIC)}
