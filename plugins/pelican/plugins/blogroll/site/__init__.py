"""Site stage: everything the reader sees, built from the store (never from feeds)."""
