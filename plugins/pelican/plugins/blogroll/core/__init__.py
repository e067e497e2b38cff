"""What every stage shares: settings, the data types passed forward, errors, text and URL
helpers, entry identity. Nothing here imports a stage."""
