"""Demo of the decision: placeholder replaced below."""
