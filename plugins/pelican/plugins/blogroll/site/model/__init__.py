"""The view model: what pages show, built from the registry and the store (plain dataclasses)."""
