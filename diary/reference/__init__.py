"""Fixed reference vocabularies: body regions (with the body map's shapes) and pain qualities."""

from diary.reference.qualities import QUALITIES, QUALITIES_BY_CODE
from diary.reference.regions import REGIONS, REGIONS_BY_CODE

__all__ = ["QUALITIES", "QUALITIES_BY_CODE", "REGIONS", "REGIONS_BY_CODE"]
