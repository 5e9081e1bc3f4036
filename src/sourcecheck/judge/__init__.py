"""The judge: a trained cross-encoder reading a claim part by part, with features beside it, calibrated."""

from .judge import FEATURES, Analysis, CrossEncoderJudge, Judge, get_judge

__all__ = ["FEATURES", "Analysis", "CrossEncoderJudge", "Judge", "get_judge"]
