"""A synthetic demo caseload: a producer of data above the store, like the CLI."""

from eolcare.demo.generator import BATCH, MAX_PEOPLE, DemoSummary, generate, synthetic_nhs_number

__all__ = ["BATCH", "MAX_PEOPLE", "DemoSummary", "generate", "synthetic_nhs_number"]
