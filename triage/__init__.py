"""Feedback dispute triage: decide what a freelancer can do about a bad review."""
