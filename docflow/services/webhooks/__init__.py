"""Webhooks: signing, address safety and HTTP delivery (Standard Webhooks v1)."""
