"""The Word report: a plain-dict context from a revision, rendered through one docxtpl helper."""
