"""The audit app's tables are the history tables django-simple-history builds for the tracked models
(`HistoricalRecords(app="audit")` on each), so every history migration lives in this app."""
