"""Read course files (YAML and Markdown) into the model, with positions for messages."""
