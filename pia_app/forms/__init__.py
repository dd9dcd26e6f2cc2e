"""Questionnaires as data: typed model, YAML loader with located errors, and condition logic."""

from pia_app.forms.loader import FormError, default_form, load_form
from pia_app.forms.schema import Column, Form, Option, Question, Rule, Section, Source

__all__ = [
    "Column",
    "Form",
    "FormError",
    "Option",
    "Question",
    "Rule",
    "Section",
    "Source",
    "default_form",
    "load_form",
]
