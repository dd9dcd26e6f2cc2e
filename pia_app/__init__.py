"""pia-app: personal-information protection impact assessments of face and voice data."""

__version__ = "0.1.0"
