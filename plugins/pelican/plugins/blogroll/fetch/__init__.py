"""Fetch stage: concurrent, bounded, conditional HTTP (`client`) behind an SSRF guard (`netguard`)."""

from __future__ import annotations

from .client import AddressPolicy, FetchRequest, default_policy, fetch_all, fetch_url

__all__ = ["AddressPolicy", "FetchRequest", "default_policy", "fetch_all", "fetch_url"]
