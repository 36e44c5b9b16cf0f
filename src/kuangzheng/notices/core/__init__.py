"""The notice board's pure rules: the kinds of notice (data) and what a notice must carry."""
