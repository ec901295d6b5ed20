//! Pattern detectors with validators: emails, phones, cards, IBANs, national IDs, IPs, URLs, handles.
