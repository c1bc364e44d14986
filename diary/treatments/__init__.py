"""Treatments, their response and relief, and the patient's medications."""
