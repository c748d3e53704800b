//! Terminals: add, edit, archive, find, and the one last used.

use super::*;

impl Store {
    /// Add a terminal with its kind's default tasks (one transaction). A name already used by a
    /// terminal in service, ignoring case, is refused with `TerminalExists`.
    pub fn add_terminal(&mut self, info: &TerminalInfo) -> Result<Terminal> {
        let mut g = Guard::new();
        let info = guarded_info(&mut g, info)?;
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if name_taken(&tx, &info.name, None)? {
            return Err(MaintenanceStoreError::TerminalExists(info.name).into());
        }
        let (key, kind) = (name_key(&info.name), info.kind.id());
        tx.execute(
            "INSERT INTO terminals (name, name_key, kind, model, serial, location, provider, support_phone, \
             firmware, notes, created_at, updated_at) VALUES (:name, :name_key, :kind, :model, :serial, \
             :location, :provider, :support_phone, :firmware, :notes, :now, :now)",
            terminal_fields(&info, &key, &kind, &now).as_slice(),
        )?;
        let id = TerminalId(tx.last_insert_rowid());
        add_default_tasks(&tx, id, info.kind, today, &now)?;
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        mark_terminal_schedules(&tx, &self.clock, id)?;
        let terminal = load_terminal(&tx, id)?.ok_or(MaintenanceStoreError::NoTerminal)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(terminal)
    }

    /// Change a terminal's fields. While it has no history yet, a change of kind swaps in the new
    /// kind's default tasks (the kind was mistyped); after that its tasks stay as the user set them.
    pub fn edit_terminal(&mut self, id: TerminalId, info: &TerminalInfo) -> Result<Terminal> {
        let mut g = Guard::new();
        let info = guarded_info(&mut g, info)?;
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = load_terminal(&tx, id)?.ok_or(MaintenanceStoreError::NoTerminal)?;
        if !old.is_archived() && name_taken(&tx, &info.name, Some(id))? {
            return Err(MaintenanceStoreError::TerminalExists(info.name).into());
        }
        let (key, kind) = (name_key(&info.name), info.kind.id());
        let mut fields = terminal_fields(&info, &key, &kind, &now);
        fields.push((":id", &id.0));
        tx.execute(
            "UPDATE terminals SET name = :name, name_key = :name_key, kind = :kind, model = :model, \
             serial = :serial, location = :location, provider = :provider, \
             support_phone = :support_phone, firmware = :firmware, notes = :notes, updated_at = :now \
             WHERE id = :id",
            fields.as_slice(),
        )?;
        if info.kind != old.info.kind {
            let has_history: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM maintenance_events e JOIN schedules s ON s.id = e.schedule_id \
                 WHERE s.terminal_id = ?1)",
                [id.0],
                |r| r.get(0),
            )?;
            if !has_history {
                let old: Vec<i64> = tx
                    .prepare("SELECT id FROM schedules WHERE terminal_id = ?1")?
                    .query_map([id.0], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for schedule in old {
                    outbox::tombstone(&tx, &self.clock, Entity::Schedule, schedule)?;
                }
                tx.execute("DELETE FROM schedules WHERE terminal_id = ?1", [id.0])?;
                add_default_tasks(&tx, id, info.kind, today, &now)?;
                mark_terminal_schedules(&tx, &self.clock, id)?;
            }
        }
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        let terminal = load_terminal(&tx, id)?.ok_or(MaintenanceStoreError::NoTerminal)?;
        tx.commit()?;
        self.note_masked(g.masked());
        Ok(terminal)
    }

    /// Take a terminal out of service: off the board and the sheets, its history kept.
    pub fn archive_terminal(&mut self, id: TerminalId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE terminals SET archived_at = COALESCE(archived_at, ?1), updated_at = ?1 WHERE id = ?2",
            params![now, id.0],
        )?;
        if changed == 0 {
            return Err(MaintenanceStoreError::NoTerminal.into());
        }
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        tx.commit()?;
        Ok(())
    }

    /// Put an archived terminal back in service, unless its name is now used by another.
    pub fn unarchive_terminal(&mut self, id: TerminalId) -> Result<()> {
        let now = self.now_text();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let t = load_terminal(&tx, id)?.ok_or(MaintenanceStoreError::NoTerminal)?;
        if name_taken(&tx, &t.info.name, Some(id))? {
            return Err(MaintenanceStoreError::TerminalExists(t.info.name).into());
        }
        tx.execute(
            "UPDATE terminals SET archived_at = NULL, updated_at = ?1 WHERE id = ?2",
            params![now, id.0],
        )?;
        outbox::put(&tx, &self.clock, Entity::Terminal, id.0)?;
        tx.commit()?;
        Ok(())
    }

    /// The terminals, by name as people count (Store 2 before Store 10); archived ones only when
    /// asked for (after those in service).
    pub fn terminals(&self, include_archived: bool) -> Result<Vec<Terminal>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {TERMINAL_COLUMNS} FROM terminals WHERE ?1 OR archived_at IS NULL \
             ORDER BY archived_at IS NOT NULL, name_key, id"
        ))?;
        let rows = stmt.query_map([include_archived], terminal_from_row)?;
        let mut list: Vec<Terminal> = rows.collect::<rusqlite::Result<_>>()?;
        // "Store 2" before "Store 10": the SQL order only breaks ties.
        list.sort_by(|a, b| {
            a.is_archived()
                .cmp(&b.is_archived())
                .then_with(|| natural_cmp(&a.info.name, &b.info.name))
        });
        Ok(list)
    }

    pub fn terminal(&self, id: TerminalId) -> Result<Option<Terminal>> {
        load_terminal(&self.conn, id)
    }

    /// The terminal with this name, ignoring case: the one in service, else the latest archived. A
    /// name typed with a card number finds the terminal stored under the masked name.
    pub fn terminal_by_name(&self, name: &str) -> Result<Option<Terminal>> {
        let name = crate::domain::pan::mask_pans(name).text;
        let name = name.as_str();
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {TERMINAL_COLUMNS} FROM terminals WHERE name_key = ?1 \
                     ORDER BY archived_at IS NOT NULL, archived_at DESC LIMIT 1"
                ),
                [name_key(name)],
                terminal_from_row,
            )
            .optional()?)
    }

    /// Remember the terminal the clerk is working with (the Codes card shows its provider and phone;
    /// the journal prefills it).
    pub fn set_last_used_terminal(&mut self, id: TerminalId) -> Result<()> {
        let tx = self.conn.transaction()?;
        if load_terminal(&tx, id)?.is_none() {
            return Err(MaintenanceStoreError::NoTerminal.into());
        }
        set_meta(&tx, META_TERMINAL, &id.0.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// The terminal last used, if it is still in service; else the only terminal in service, if
    /// there is exactly one.
    pub fn last_used_terminal(&self) -> Result<Option<Terminal>> {
        if let Some(id) = self
            .meta(META_TERMINAL)?
            .and_then(|v| v.parse::<i64>().ok())
            && let Some(t) = load_terminal(&self.conn, TerminalId(id))?
            && !t.is_archived()
        {
            return Ok(Some(t));
        }
        let mut active = self.terminals(false)?;
        Ok(if active.len() == 1 {
            active.pop()
        } else {
            None
        })
    }

    // ---- schedules --------------------------------------------------------------------------------
}

/// A terminal's columns as named parameters (`:name` … `:notes`, `:now`): one list for adding and
/// for editing, so the two can never write different fields.
fn terminal_fields<'a>(
    info: &'a TerminalInfo,
    key: &'a dyn rusqlite::ToSql,
    kind: &'a dyn rusqlite::ToSql,
    now: &'a dyn rusqlite::ToSql,
) -> Vec<(&'static str, &'a dyn rusqlite::ToSql)> {
    vec![
        (":name", &info.name),
        (":name_key", key),
        (":kind", kind),
        (":model", &info.model),
        (":serial", &info.serial),
        (":location", &info.location),
        (":provider", &info.provider),
        (":support_phone", &info.support_phone),
        (":firmware", &info.firmware),
        (":notes", &info.notes),
        (":now", now),
    ]
}
