"""Hostile input, races and the finality of a year (issue: bad input and races)."""
