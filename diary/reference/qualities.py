"""Pain qualities: the fixed descriptor codes an entry stores, with short labels for patients."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    """A way pain can feel; `code` is stored, `label` is shown."""

    code: str
    label: str


# Labels are our own plain words, not the wording of the NPSI or BPI forms (copyrighted).
QUALITIES: tuple[Quality, ...] = (
    Quality("burning", "Burning"),
    Quality("pressing", "Pressing"),
    Quality("squeezing", "Squeezing"),
    Quality("electric_shock", "Electric shocks"),
    Quality("stabbing", "Stabbing"),
    Quality("sharp", "Sharp"),
    Quality("brushing_evoked", "Pain when lightly touched"),
    Quality("pressure_evoked", "Pain when pressed"),
    Quality("cold_evoked", "Pain from cold"),
    Quality("pins_and_needles", "Pins and needles"),
    Quality("tingling", "Tingling"),
    Quality("numbness", "Numbness"),
    Quality("aching", "Aching"),
    Quality("throbbing", "Throbbing"),
    Quality("itching", "Itching"),
)
QUALITIES_BY_CODE: dict[str, Quality] = {quality.code: quality for quality in QUALITIES}
