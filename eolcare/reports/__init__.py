"""Printouts and handover packs (ReportLab, FHIR): arrive with their own issue."""
