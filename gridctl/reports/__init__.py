"""Excel reports: the weekly 动态台账, the monthly 通报, the 公示 board. Each builder returns a
workbook (and its figures); the CLI saves it."""
