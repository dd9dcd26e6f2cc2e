"""The local SQLite store: one file per user, assessments with revisions and an audit log."""

from pia_app.store.repository import AssessmentSummary, Repository, Revision

__all__ = ["AssessmentSummary", "Repository", "Revision"]
