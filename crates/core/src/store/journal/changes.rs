//! Changing an incident after it was logged: notes on its timeline, status moves (each one an event
//! in its history and the outbox), edits.

use super::*;

impl Store {
    /// Add a note to the incident's timeline, timed by the clock.
    pub fn add_note(&mut self, id: IncidentId, text: &str) -> Result<Saved> {
        let mut c = Cleaner::default();
        let text = c.text("note", text, MAX_TEXT_CHARS)?;
        if text.is_empty() {
            return Err(IncidentError::EmptyNote.into());
        }
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        head(&tx, id)?;
        let uid = outbox::new_uid(&self.clock);
        tx.execute(
            "INSERT INTO incident_notes (incident_id, at, text, uid) VALUES (?1, ?2, ?3, ?4)",
            params![id, now, text, uid],
        )?;
        let note_id = tx.last_insert_rowid();
        outbox::put_uid(&tx, &self.clock, Entity::IncidentNote, note_id, &uid)?;
        index(&tx, id)?;
        tx.commit()?;
        self.note_masked(c.masked);
        Ok(Saved {
            id: note_id,
            masked: c.masked > 0,
        })
    }

    /// Move the incident to `to` if its status allows (`Incident(Transition)` otherwise). Moving to
    /// resolved stamps `resolved_at` with the clock; moving away clears it.
    pub fn set_status(&mut self, id: IncidentId, to: IncidentStatus) -> Result<()> {
        self.move_status(id, to, None).map(|_| ())
    }

    /// Resolve the incident, recording how (an empty `resolution` keeps any written before).
    /// Returns whether a card number was masked in it.
    pub fn resolve(&mut self, id: IncidentId, resolution: &str) -> Result<bool> {
        self.move_status(id, IncidentStatus::Resolved, Some(resolution))
    }

    /// Open a resolved incident again (the failure came back); its resolution text is kept.
    pub fn reopen(&mut self, id: IncidentId) -> Result<()> {
        self.set_status(id, IncidentStatus::Open)
    }

    pub(super) fn move_status(
        &mut self,
        id: IncidentId,
        to: IncidentStatus,
        resolution: Option<&str>,
    ) -> Result<bool> {
        let mut c = Cleaner::default();
        let resolution = resolution
            .map(|r| c.text("resolution", r, MAX_TEXT_CHARS))
            .transpose()?
            .filter(|r| !r.is_empty());
        let now = self.now_text();
        let tx = self.conn.transaction()?;
        let (from, _) = head(&tx, id)?;
        from.move_to(to)?;
        let resolved_at = (to == IncidentStatus::Resolved).then_some(now.as_str());
        tx.execute(
            "UPDATE incidents SET status = ?2, resolved_at = ?3, resolution = coalesce(?4, resolution) \
             WHERE id = ?1",
            params![id, to.id(), resolved_at, resolution],
        )?;
        outbox::put(&tx, &self.clock, Entity::Incident, id)?;
        if from != to {
            log_status(&tx, &self.clock, id, to, &now)?;
        }
        if resolution.is_some() {
            index(&tx, id)?;
        }
        tx.commit()?;
        self.note_masked(c.masked);
        Ok(c.masked > 0)
    }

    /// Change the incident's fields (see [`IncidentEdit`]). Returns whether a card number was masked.
    pub fn edit_incident(&mut self, id: IncidentId, edit: &IncidentEdit) -> Result<bool> {
        let mut c = Cleaner::default();
        let mut sets: Vec<&str> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let text = |v: Option<String>| v.map(Value::Text).unwrap_or(Value::Null);
        if let Some(t) = &edit.terminal {
            sets.push("terminal = ?");
            values.push(text(c.short("terminal", t.as_deref())?));
        }
        if let Some(code) = &edit.code {
            let code = c.short("code", code.as_deref())?;
            sets.push("code_key = ?");
            values.push(text(code_key(code.as_deref())));
            sets.push("code = ?");
            values.push(text(code));
        }
        if let Some(s) = edit.scheme {
            sets.push("scheme = ?");
            values.push(text(s.map(|s| s.id().to_string())));
        }
        if let Some(s) = &edit.symptom {
            sets.push("symptom = ?");
            values.push(Value::Text(c.text("symptom", s, MAX_TEXT_CHARS)?));
        }
        if let Some(a) = edit.amount {
            sets.push("amount = ?");
            values.push(a.map(Value::Integer).unwrap_or(Value::Null));
        }
        if let Some(t) = &edit.txn_ref {
            sets.push("txn_ref = ?");
            values.push(text(c.short("transaction reference", t.as_deref())?));
        }
        if let Some(r) = &edit.resolution {
            sets.push("resolution = ?");
            values.push(Value::Text(c.text("resolution", r, MAX_TEXT_CHARS)?));
        }
        if let Some(w) = &edit.who {
            sets.push("who = ?");
            values.push(text(c.short("name", w.as_deref())?));
        }
        let steps = edit.steps.as_deref().map(|s| c.steps(s)).transpose()?;
        let tx = self.conn.transaction()?;
        let (_, old_key) = head(&tx, id)?;
        unindex(&tx, old_key)?;
        if let Some(at) = edit.occurred_at {
            sets.push("occurred_at = ?");
            values.push(Value::Text(at.to_string()));
            // Clear our own key first so an unchanged time keeps it.
            tx.execute("UPDATE incidents SET sort_key = -id WHERE id = ?1", [id])?;
            sets.push("sort_key = ?");
            values.push(Value::Integer(free_sort_key(&tx, at.as_microsecond())?));
        }
        if !sets.is_empty() {
            values.push(Value::Integer(id));
            tx.execute(
                &format!("UPDATE incidents SET {} WHERE id = ?", sets.join(", ")),
                params_from_iter(values),
            )?;
        }
        if let Some(steps) = &steps {
            write_steps(&tx, id, steps)?;
        }
        outbox::put(&tx, &self.clock, Entity::Incident, id)?;
        index(&tx, id)?;
        tx.commit()?;
        self.note_masked(c.masked);
        Ok(c.masked > 0)
    }
}
