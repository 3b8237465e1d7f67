-- Every batch updates its sessions (last_seen, interaction_count): with room left on each page
-- those updates are HOT (no index touched: neither column is indexed).
ALTER TABLE sessions SET (fillfactor = 70);
