"""The issue ledger (问题台账): vocabulary, life cycle, deadlines, and the core calls."""
