"""The patient's own copy: CSV, FHIR and account exports, and the CSV import."""
