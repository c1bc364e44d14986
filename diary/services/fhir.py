"""The diary as a FHIR R4 Bundle (type collection), built as plain dicts.

- Patient: the account (name, e-mail).
- Observation per entry: LOINC 72514-3 (pain severity 0-10, reported), valueInteger,
  effectiveDateTime; bodySite with one SNOMED CT coding per region (and our region code);
  qualities, per-region scores and the other answers as components.
- QuestionnaireResponse per questionnaire, and an Observation per score derived from it.
- MedicationAdministration per infusion (ketamine, lidocaine); Procedure for other treatments.

The app never imports fhir.resources (27 MB): the tests validate these dicts with its
R4B classes. References inside the collection use the entries' urn:uuid fullUrls.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from diary.database import DbSession
from diary.models import PainEntry, QuestionnaireResponse, Treatment, User
from diary.models.treatments import INFUSION_KINDS
from diary.reference import QUALITIES_BY_CODE, REGIONS_BY_CODE
from diary.services.exports import live_entries
from diary.services.medications import names_by_id

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Our own code systems, for what no standard terminology names as finely.
OURS = "https://pain-diary.example/fhir/CodeSystem"
REGION_SYSTEM = f"{OURS}/body-region"
QUALITY_SYSTEM = f"{OURS}/pain-quality"
ITEM_SYSTEM = f"{OURS}/diary-item"
SCORE_SYSTEM = f"{OURS}/questionnaire-score"

PAIN_NRS = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
BPI_INTERFERENCE = {
    "system": LOINC,
    "code": "77565-0",
    "display": "Pain interference score [BPI Short Form]",
}
INTRAVENOUS = {"system": SNOMED, "code": "47625008", "display": "Intravenous route"}
DRUGS = {
    "ketamine_infusion": {"system": RXNORM, "code": "6130", "display": "ketamine"},
    "lidocaine_infusion": {"system": RXNORM, "code": "6387", "display": "lidocaine"},
}
RATE_UNITS = ("mg/h", "mg/kg/h", "mL/h")
ITEM_LABELS = {
    "worst_24h": "Worst pain in the last 24 hours (0-10)",
    "least_24h": "Least pain in the last 24 hours (0-10)",
    "average_24h": "Average pain in the last 24 hours (0-10)",
    "sleep_quality": "Sleep quality (0-10)",
    "mood": "Mood (0-10)",
}


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _urn(value: uuid.UUID) -> str:
    return f"urn:uuid:{value}"


def _entry(resource: dict[str, Any], full_url: str) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource}


def _item(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": ITEM_SYSTEM, "code": code, "display": display}], "text": display}


def patient_resource(patient: User) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": str(patient.id),
        "name": [{"text": patient.display_name}],
        "telecom": [{"system": "email", "value": patient.email}],
    }


def _body_site(entry: PainEntry) -> dict[str, Any] | None:
    regions = [
        REGIONS_BY_CODE[loc.region] for loc in entry.locations if loc.region in REGIONS_BY_CODE
    ]
    if not regions:
        return None
    coding: list[dict[str, Any]] = []
    for region in regions:
        snomed = {"system": SNOMED, "code": region.snomed}
        if snomed not in coding:
            coding.append(snomed)
    coding += [{"system": REGION_SYSTEM, "code": r.code, "display": r.label} for r in regions]
    return {"coding": coding, "text": "; ".join(r.label for r in regions)}


def _components(entry: PainEntry, medication_names: dict[str, str]) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for code in entry.qualities or []:
        label = QUALITIES_BY_CODE[code].label if code in QUALITIES_BY_CODE else code
        parts.append(
            {
                "code": {"coding": [{"system": QUALITY_SYSTEM, "code": code, "display": label}]},
                "valueBoolean": True,
            }
        )
    for loc in entry.locations:
        region = REGIONS_BY_CODE.get(loc.region)
        label = region.label if region else loc.region
        coding = [{"system": REGION_SYSTEM, "code": loc.region, "display": label}]
        if loc.intensity is not None:
            parts.append(
                {
                    "code": {"coding": [PAIN_NRS, *coding], "text": f"Pain at {label} (0-10)"},
                    "valueInteger": loc.intensity,
                }
            )
        for quality in loc.qualities:
            parts.append(
                {
                    "code": {
                        "coding": [{"system": QUALITY_SYSTEM, "code": quality}, *coding],
                        "text": f"{quality} at {label}",
                    },
                    "valueBoolean": True,
                }
            )
    for name, label in ITEM_LABELS.items():
        value = getattr(entry, name)
        if value is not None:
            parts.append({"code": _item(name, label), "valueInteger": value})
    for name, value in (entry.interference or {}).items():
        if value is not None:
            parts.append(
                {
                    "code": _item(f"interference_{name}", f"Interference: {name}"),
                    "valueInteger": value,
                }
            )
    for trigger in entry.triggers or []:
        parts.append({"code": _item("trigger", "Trigger"), "valueString": trigger})
    for medication in entry.medications_taken or []:
        name = medication_names.get(medication, medication)
        parts.append({"code": _item("medication_taken", "Medication taken"), "valueString": name})
    return parts


def entry_observation(
    entry: PainEntry, patient_ref: dict[str, str], medication_names: dict[str, str]
) -> dict[str, Any]:
    """One diary entry as an Observation of pain severity."""
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(entry.id),
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [PAIN_NRS], "text": "Pain right now (0-10)"},
        "subject": patient_ref,
        "effectiveDateTime": _when(entry.recorded_at),
        "valueInteger": entry.intensity,
    }
    site = _body_site(entry)
    if site is not None:
        resource["bodySite"] = site
    components = _components(entry, medication_names)
    if components:
        resource["component"] = components
    if entry.note:
        resource["note"] = [{"text": entry.note}]
    return resource


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    return {"valueString": str(value)}


def questionnaire_resources(
    response: QuestionnaireResponse, patient_ref: dict[str, str]
) -> list[tuple[dict[str, Any], str]]:
    """The answers as a QuestionnaireResponse, and one Observation per score."""
    answered = _when(response.answered_at)
    main = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.id),
        "status": "completed",
        "subject": patient_ref,
        "authored": answered,
        "item": [
            {"linkId": name, "answer": [_answer(value)]}
            for name, value in response.answers.items()
            if value is not None
        ],
    }
    resources = [(main, _urn(response.id))]
    for name, value in response.scores.items():
        if value is None:
            continue
        score_id = uuid.uuid5(response.id, name)
        coding = [{"system": SCORE_SYSTEM, "code": f"{response.instrument}.{name}"}]
        if response.instrument == "bpi_sf" and name == "interference":
            coding.insert(0, BPI_INTERFERENCE)
        observation = {
            "resourceType": "Observation",
            "id": str(score_id),
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "survey"}]}],
            "code": {"coding": coding, "text": f"{response.instrument} {name} score"},
            "subject": patient_ref,
            "effectiveDateTime": answered,
            **_score_value(value),
            "derivedFrom": [{"reference": _urn(response.id)}],
        }
        resources.append((observation, _urn(score_id)))
    return resources


def _score_value(value: float | int) -> dict[str, Any]:
    """R4 has no valueDecimal: a mean score is a Quantity in UCUM's arbitrary unit {score}."""
    if isinstance(value, int):
        return {"valueInteger": value}
    return {"valueQuantity": {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}}


def _side_effects(treatment: Treatment) -> list[dict[str, Any]]:
    notes = [
        f"Side effect: {effect.get('code')} (severity {effect.get('severity', '?')} of 3)"
        for effect in treatment.side_effects or []
    ]
    if treatment.note:
        notes.append(treatment.note)
    return [{"text": text} for text in notes]


def treatment_resource(treatment: Treatment, patient_ref: dict[str, str]) -> dict[str, Any]:
    """An infusion as a MedicationAdministration; anything else as a Procedure."""
    started = _when(treatment.started_at)
    period = {
        "start": started,
        **({"end": _when(treatment.ended_at)} if treatment.ended_at else {}),
    }
    notes = _side_effects(treatment)
    if treatment.kind not in INFUSION_KINDS:
        procedure: dict[str, Any] = {
            "resourceType": "Procedure",
            "id": str(treatment.id),
            "status": "completed",
            "code": {"text": treatment.kind.replace("_", " ")},
            "subject": patient_ref,
            "performedPeriod": period,
        }
        if notes:
            procedure["note"] = notes
        return procedure
    drug = DRUGS[treatment.kind]
    dosage: dict[str, Any] = {"route": {"coding": [INTRAVENOUS]}}
    if treatment.dose is not None and treatment.dose_unit is not None:
        quantity = {
            "value": treatment.dose,
            "unit": treatment.dose_unit,
            "system": UCUM,
            "code": treatment.dose_unit,
        }
        dosage["rateQuantity" if treatment.dose_unit in RATE_UNITS else "dose"] = quantity
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": str(treatment.id),
        "status": "completed",
        "medicationCodeableConcept": {"coding": [drug], "text": drug["display"]},
        "subject": patient_ref,
        "effectivePeriod": period,
        "dosage": dosage,
    }
    if notes:
        resource["note"] = notes
    return resource


def diary_bundle(session: DbSession, patient: User, now: datetime) -> dict[str, Any]:
    """The patient's live diary, questionnaires and treatments as one collection Bundle."""
    patient_ref = {"reference": _urn(patient.id)}
    entries = [_entry(patient_resource(patient), _urn(patient.id))]
    names = names_by_id(session, patient)
    for entry in live_entries(session, patient):
        entries.append(_entry(entry_observation(entry, patient_ref, names), _urn(entry.id)))
    responses = session.scalars(
        select(QuestionnaireResponse)
        .where(QuestionnaireResponse.patient_id == patient.id)
        .order_by(QuestionnaireResponse.answered_at)
    )
    for response in responses:
        entries += [_entry(r, url) for r, url in questionnaire_resources(response, patient_ref)]
    treatments = session.scalars(
        select(Treatment).where(Treatment.patient_id == patient.id).order_by(Treatment.started_at)
    )
    for treatment in treatments:
        entries.append(_entry(treatment_resource(treatment, patient_ref), _urn(treatment.id)))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _when(now),
        "entry": entries,
    }
