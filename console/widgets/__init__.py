"""Widgets that render the backend's immutable tables."""
