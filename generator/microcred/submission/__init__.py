"""Learners' submissions: read them safely, check them, and report what to fix."""
