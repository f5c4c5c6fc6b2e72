"""The names of the schema migrations this gridctl knows, oldest first (cheap to import)."""

NAMES = ("m001_reference", "m002_issue_ledger", "m003_conduct", "m004_assessment",
         "m005_report_indexes", "m006_exchange", "m007_events_record_repair",
         "m008_register", "m009_window_views",
         "m010_score_snapshots", "m011_tally_index", "m012_patrols_made_index",
         "m014_index_diet", "m017_event_days", "m020_one_callback_a_closing",
         "m024_household_address_key", "m025_open_due_two_statuses",
         "m026_issue_text_without_sizes", "m027_household_address_key_folded")
