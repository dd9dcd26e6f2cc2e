"""Pure functions over a form and its answers: findings, PIA triggers, risk grading, dates."""
