//! Sensitive categories of a message (health, sex life, religion, ...), reported as tags.
