"""Words the treatment pages show for the stored codes."""

from __future__ import annotations

KINDS = {
    "ketamine_infusion": "Ketamine infusion",
    "lidocaine_infusion": "Lidocaine infusion",
    "nerve_block": "Nerve block",
    "medication_change": "Medication change",
    "physiotherapy": "Physiotherapy",
    "other": "Other treatment",
}
UNITS = {"mg": "mg", "mg/kg": "mg/kg", "mg/h": "mg/h", "mg/kg/h": "mg/kg/h", "mL/h": "mL/h"}
SETTINGS = {
    "inpatient": "Inpatient (overnight)",
    "day_case": "Day case",
    "outpatient": "Outpatient clinic",
    "home": "At home",
}
PHASES = {"induction": "Induction day", "booster": "Booster"}
SIDE_EFFECTS = {
    "dissociation": "Feeling detached or unreal",
    "hallucinations": "Hallucinations",
    "nausea": "Nausea",
    "vomiting": "Vomiting",
    "dizziness": "Dizziness",
    "drowsiness": "Drowsiness",
    "raised_blood_pressure": "Raised blood pressure",
    "headache": "Headache",
    "bladder_symptoms": "Bladder symptoms",
    "other": "Other",
}
SEVERITIES = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}
# The safety check-in the log page asks in the week after an infusion.
CHECKIN_SCALES = {
    "dissociation": "Feeling detached or unreal",
    "nausea": "Nausea",
    "sleep": "Trouble sleeping",
}
CHECKIN_URINARY = "Pain, burning or urgency when passing urine"
# The IMMPACT classes: a short name, and what it means.
RESPONDERS = {
    "substantial": ("Substantial", "pain down by 50\u00a0% or more"),
    "moderate": ("Moderate", "pain down by 30\u00a0% or more"),
    "none": ("No clear change", "pain down by less than 30\u00a0%"),
}
# Choices of how long a treatment ran, in minutes; the form offers these.
DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240, 300, 360, 480, 720, 1440, 2880, 4320, 5760, 7200)


def duration_label(minutes: int | None) -> str:
    """45 min, 4 h, 1 h 30 min, 2 days."""
    if minutes is None:
        return ""
    if minutes >= 1440 and minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day{'s' if days != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def dose_label(dose: float | None, unit: str | None) -> str:
    if dose is None or unit is None:
        return ""
    return f"{dose:g} {unit}"
