-- Schema 5 changes no table. Its step runs in Rust (store::scrub::mask_all_text, called by
-- Store::migrate): every stored text is masked again with the card-number rules that read digits across
-- any separator and in any digit script, the journal's search indexes are rewritten for the incidents
-- that changed, and the backups in backups/ are masked too. Data written before this version may hold
-- a full card number that the older rules let through.
SELECT 1;
