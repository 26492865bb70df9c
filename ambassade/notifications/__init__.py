"""Notifications: what brings people back (in-app, e-mail, push), built on domain events."""
