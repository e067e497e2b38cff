"""Build machinery: rendering through the theme, the atomic output writer, build fingerprints."""
