"""The judge: trained cross-encoder + windows + decomposition + features, calibrated on WiCE dev."""

from .judge import FEATURES, Analysis, Judge, get_judge

__all__ = ["FEATURES", "Analysis", "Judge", "get_judge"]
