-- Mark the file as posdesk's (0x504F5344, "POSD"), so a restore can tell a posdesk database or backup from
-- any other SQLite file a clerk might pick. Files from before this migration carry 0 and are recognised by
-- their tables instead (store::backup::identify).
PRAGMA application_id = 1347375940;
