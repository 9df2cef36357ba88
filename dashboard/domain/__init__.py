"""Pure domain logic: territories, formatting, classification. Imports nothing else of the project."""
