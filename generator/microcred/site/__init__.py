"""Turn the course model into site pages, through an mkdocs plugin."""
