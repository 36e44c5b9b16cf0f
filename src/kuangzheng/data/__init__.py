"""Real public data shipped with the package; each folder has its SOURCE.txt."""
