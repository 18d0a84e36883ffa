"""Pages for credit limits: the insured's (insured.py) and the underwriters' (underwriting.py)."""
