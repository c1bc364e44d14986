"""Validated questionnaires: PEG, BPI short form, NPSI and PGIC."""
