//! Changing the set-up: terminals (save, archive, bring back), a task's plan, adding and removing
//! tasks, printing.

use super::*;

impl MaintenanceState {
    pub(super) fn save_terminal(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.terminal.as_mut() else {
            return;
        };
        let not_saved = Msg::new("Not saved:", "未保存：");
        let info = match form.info.checked() {
            Ok(info) => info,
            Err(e) => {
                form.error = Some(not_saved.with(&e.explain()));
                return;
            }
        };
        let editing = form.editing;
        let today = sv.today;
        let Some(store) = sv.writable() else {
            return;
        };
        let saved = match editing {
            Some(id) => store.edit_terminal(id, &info),
            None => store.add_terminal(&info),
        };
        match saved {
            Ok(t) => {
                self.forms.terminal = None;
                let name = t.info.name.clone();
                let msg = match editing {
                    Some(_) => Msg::new(format!("Saved {name}."), format!("已保存“{name}”。")),
                    None => {
                        let (tasks, due) = match store.terminal_tasks(t.id, today) {
                            Ok(tasks) => {
                                let due = tasks
                                    .iter()
                                    .filter(|s| {
                                        s.status.as_ref().is_some_and(|st| {
                                            matches!(
                                                st.state,
                                                Some(DueState::Due | DueState::Overdue)
                                            )
                                        })
                                    })
                                    .count();
                                (tasks.len(), due)
                            }
                            Err(_) => (0, 0),
                        };
                        Msg::new(
                            format!("Added {name}: {tasks} tasks, {due} due today."),
                            format!("已添加“{name}”：{tasks} 项任务，今天要做 {due} 项。"),
                        )
                    }
                };
                self.view.page = MaintenancePage::Terminal(t.id);
                sv.say(msg);
                self.refresh(sv);
            }
            Err(e) => {
                if let Some(form) = self.forms.terminal.as_mut() {
                    form.error = Some(not_saved.with(&e.explain()));
                }
            }
        }
    }

    pub(super) fn archive(&mut self, id: TerminalId, sv: &mut Services<'_>) {
        let name = self.terminal_name(id);
        let Some(store) = sv.writable() else {
            return;
        };
        match store.archive_terminal(id) {
            Ok(()) => {
                self.forms.terminal = None;
                sv.say_with_undo(
                    Msg::new(
                        format!("Archived {name}: it is off the board and the checklists; its history is kept."),
                        format!("已停用“{name}”：不再出现在待办和检查表上，历史记录保留。"),
                    ),
                    MaintenanceCommand::Unarchive(id).into(),
                );
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not archived:", "未停用：").with(&e.explain())),
        }
    }

    pub(super) fn unarchive(&mut self, id: TerminalId, sv: &mut Services<'_>) {
        let name = self.terminal_name(id);
        let Some(store) = sv.writable() else {
            return;
        };
        match store.unarchive_terminal(id) {
            Ok(()) => {
                sv.say(Msg::new(
                    format!("{name} is back in service."),
                    format!("“{name}”已恢复使用。"),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not restored:", "未恢复：").with(&e.explain())),
        }
    }

    pub(super) fn terminal_name(&self, id: TerminalId) -> String {
        self.view
            .terminal(id)
            .map(|t| t.info.name.clone())
            .unwrap_or_default()
    }

    pub(super) fn page_task(&self, schedule: ScheduleId) -> Option<&TaskStatus> {
        self.view
            .terminal_page
            .as_ref()
            .and_then(|p| p.tasks.iter().find(|t| t.schedule == schedule))
    }

    pub(super) fn edit_plan(&mut self, schedule: ScheduleId, today: Date) {
        if let Some(task) = self.page_task(schedule) {
            self.forms.plan = Some(PlanForm::new(task, today));
            self.view.confirm_remove = None;
        }
    }

    pub(super) fn save_plan(&mut self, sv: &mut Services<'_>) {
        let Some(form) = self.forms.plan.as_mut() else {
            return;
        };
        let not_saved = Msg::new("Not changed:", "未修改：");
        let plan = match form.plan() {
            Ok(plan) => plan,
            Err(e) => {
                form.error = Some(not_saved.with(&e));
                return;
            }
        };
        let schedule = form.schedule;
        let title = self.page_task(schedule).map(|t| title_of(&t.task));
        let Some(store) = sv.writable() else {
            return;
        };
        match store.change_plan(schedule, plan) {
            Ok(()) => {
                self.forms.plan = None;
                let how = plan.interval.describe();
                let title = title.unwrap_or_else(|| Msg::new("", ""));
                sv.say(Msg::new(
                    format!("Changed: {} now {}, from {}.", title.en, how.en, plan.start),
                    format!(
                        "已修改：{}改为{}，从 {} 开始。",
                        title.zh, how.zh, plan.start
                    ),
                ));
                self.refresh(sv);
            }
            Err(e) => {
                if let Some(form) = self.forms.plan.as_mut() {
                    form.error = Some(not_saved.with(&e.explain()));
                }
            }
        }
    }

    pub(super) fn remove_task(
        &mut self,
        schedule: ScheduleId,
        confirmed: bool,
        sv: &mut Services<'_>,
    ) {
        if !confirmed {
            self.view.confirm_remove = Some(schedule);
            self.forms.plan = None;
            return;
        }
        self.view.confirm_remove = None;
        let title = self.page_task(schedule).map(|t| title_of(&t.task));
        let Some(store) = sv.writable() else {
            return;
        };
        match store.remove_task(schedule) {
            Ok(()) => {
                let title = title.unwrap_or_else(|| Msg::new("", ""));
                sv.say(Msg::new(
                    format!("Removed {}; its history stays.", title.en),
                    format!("已移除“{}”，历史记录保留。", title.zh),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not removed:", "未移除：").with(&e.explain())),
        }
    }

    pub(super) fn add_task(&mut self, terminal: TerminalId, key: &str, sv: &mut Services<'_>) {
        let title = self
            .view
            .templates
            .iter()
            .find(|t| t.key == key)
            .map(title_of)
            .unwrap_or_else(|| Msg::new(key, key));
        let Some(store) = sv.writable() else {
            return;
        };
        match store.add_task(terminal, key, None) {
            Ok(_) => {
                self.forms.add_task.clear();
                sv.say(Msg::new(
                    format!("Added the task {}.", title.en),
                    format!("已添加任务“{}”。", title.zh),
                ));
                self.refresh(sv);
            }
            Err(e) => sv.warn(Msg::new("Not added:", "未添加：").with(&e.explain())),
        }
    }

    pub(super) fn print(&mut self, output: print::Output, sv: &mut Services<'_>) {
        if self.busy() {
            sv.warn(Msg::new(
                "A checklist is still being written; try again when it is done.",
                "还有检查表正在生成，完成后再试。",
            ));
            return;
        }
        print::start(&mut self.jobs, &self.view, output, sv);
    }
}
