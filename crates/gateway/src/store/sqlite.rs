//! (being written: issue 14's store)
