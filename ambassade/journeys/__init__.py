"""Journeys: tests that follow one person across several apps (no models, no code)."""
