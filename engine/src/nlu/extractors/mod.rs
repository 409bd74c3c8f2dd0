//! Rule-based entity extraction (regex, lookup tables) and synonym mapping.
