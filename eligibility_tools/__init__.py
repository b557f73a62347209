"""eligibility_tools package."""
