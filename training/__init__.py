"""The judge's training, export and calibration (not shipped): run as ``python -m training.NAME`` from the repository."""
