"""Review, evidence and follow-up: pure functions over the stored review records (no Qt).

- `duties`: separation of duties (one person holding author, reviewer and approver);
- `due`: what is due across assessments (open measures, re-reviews, filing deadlines);
- `ics`: the due list as an iCalendar file.
"""
