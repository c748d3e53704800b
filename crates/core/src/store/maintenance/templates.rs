//! The task templates: the bundled checklist pack kept in step with the database, and reading them.

use super::*;

impl Store {
    pub fn checklist_version(&self) -> Result<Option<u32>> {
        Ok(self.meta(META_PACK)?.and_then(|v| v.parse().ok()))
    }

    /// Load `pack` unless this version or a newer one is installed. Templates' text is rewritten; the
    /// terminals' schedules, intervals and history are not touched. A template key new in this pack
    /// is added to the terminals in use of its kinds; a key dropped from the pack is retired (its
    /// schedules and history stay). Returns whether anything was loaded.
    pub fn sync_checklists(&mut self, pack: &ChecklistPack) -> Result<bool> {
        if self.checklist_version()?.is_some_and(|v| v >= pack.version) {
            return Ok(false);
        }
        let now = self.now_text();
        let today = self.clock.today();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: HashSet<String> = templates_by_key(&tx)?.into_keys().collect();
        tx.execute(
            "UPDATE task_templates SET retired = 1 WHERE key NOT IN (SELECT key FROM own_tasks)",
            [],
        )?;
        let mut g = Guard::new();
        for (position, t) in pack.templates.iter().enumerate() {
            let kinds: Vec<&str> = t.kinds.iter().map(|k| k.id()).collect();
            tx.execute(
                "INSERT INTO task_templates (key, position, title_zh, title_en, why_zh, why_en, steps_zh, \
                 steps_en, kinds, every, unit, recurrence, value_kind, value_label_zh, value_label_en, \
                 standing, retired) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0) \
                 ON CONFLICT (key) DO UPDATE SET position = excluded.position, \
                 title_zh = excluded.title_zh, title_en = excluded.title_en, why_zh = excluded.why_zh, \
                 why_en = excluded.why_en, steps_zh = excluded.steps_zh, steps_en = excluded.steps_en, \
                 kinds = excluded.kinds, every = excluded.every, unit = excluded.unit, \
                 recurrence = excluded.recurrence, value_kind = excluded.value_kind, \
                 value_label_zh = excluded.value_label_zh, value_label_en = excluded.value_label_en, \
                 standing = excluded.standing, retired = 0",
                params![
                    t.key,
                    position as i64,
                    g.text(Field::CODE_TEXT, &t.title_zh)?,
                    g.text(Field::CODE_TEXT, &t.title_en)?,
                    g.text(Field::CODE_TEXT, &t.why_zh)?,
                    g.text(Field::CODE_TEXT, &t.why_en)?,
                    g.list(Field::CODE_TEXT, &t.steps_zh)?,
                    g.list(Field::CODE_TEXT, &t.steps_en)?,
                    json_list(&kinds),
                    t.interval.every(),
                    t.interval.unit().id(),
                    t.recurrence.id(),
                    t.value.as_ref().map(|v| v.kind.id()),
                    g.opt(Field::SHORT, t.value.as_ref().map(|v| v.label_zh.as_str()))?,
                    g.opt(Field::SHORT, t.value.as_ref().map(|v| v.label_en.as_str()))?,
                    t.standing,
                ],
            )?;
        }
        // New advice reaches the terminals already in use.
        let terminals: Vec<(TerminalId, TerminalKind)> = {
            let mut stmt =
                tx.prepare("SELECT id, kind FROM terminals WHERE archived_at IS NULL")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    TerminalId(r.get(0)?),
                    id_at(r, 1, "kind", TerminalKind::from_id)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for t in pack.templates.iter().filter(|t| !known.contains(&t.key)) {
            for (terminal, kind) in &terminals {
                if t.applies_to(*kind) {
                    let id =
                        insert_schedule(&tx, *terminal, &t.key, &default_plan(t, today), &now)?;
                    mark_schedule(&tx, &self.clock, id)?;
                }
            }
        }
        set_meta(&tx, META_PACK, &pack.version.to_string())?;
        tx.commit()?;
        Ok(true)
    }

    /// The templates in the installed pack, in pack order (daily, weekly, monthly, standing).
    pub fn templates(&self) -> Result<Vec<TaskTemplate>> {
        let mut all: Vec<StoredTemplate> = templates_by_key(&self.conn)?
            .into_values()
            .filter(|t| !t.retired)
            .collect();
        all.sort_by_key(|t| t.position);
        Ok(all.into_iter().map(|t| t.template).collect())
    }

    /// One template by key, retired ones included (history names them).
    pub fn template(&self, key: &str) -> Result<Option<TaskTemplate>> {
        Ok(templates_by_key(&self.conn)?
            .remove(key.trim())
            .map(|t| t.template))
    }

    /// The standing advice a sheet prints as reminders.
    pub fn standing_advice(&self) -> Result<Vec<TaskTemplate>> {
        Ok(self
            .templates()?
            .into_iter()
            .filter(|t| t.standing)
            .collect())
    }

    // ---- terminals --------------------------------------------------------------------------------
}
