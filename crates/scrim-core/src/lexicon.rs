//! Word lists: names, places and common words, with their licences (see `data/NOTICE.md`).
