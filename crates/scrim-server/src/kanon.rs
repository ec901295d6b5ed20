//! k-anonymity (placeholder)
