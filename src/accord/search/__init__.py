"""Full-text search over case titles and message text, one service on FTS5 and tsvector."""
