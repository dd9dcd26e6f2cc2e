"""The local SQLite store: one file per user, assessments with revisions and an audit log."""

from pia_app.store.repository import (
    REVIEW_REASONS,
    AssessmentRecord,
    AssessmentSummary,
    ChangedElsewhere,
    Repository,
    Revision,
    open_repository,
)

__all__ = [
    "REVIEW_REASONS",
    "AssessmentRecord",
    "AssessmentSummary",
    "ChangedElsewhere",
    "Repository",
    "Revision",
    "open_repository",
]
