"""The welfare register: welfare records, disclosures, the access log, retention."""
