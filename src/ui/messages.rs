//! Everything the window told the clerk, in one history: the status line shows the newest message,
//! the history (opened from the status line) keeps the last [`HISTORY_LEN`] with their time and
//! level, and errors go to the log file as well. Nothing reported is lost to the next message.
//!
//! - An error stays on the status line until the clerk dismisses it; an older error that a newer
//!   message covers is counted on the line and stays in the history until dismissed there.
//! - Other messages leave the line after [`STATUS_SECONDS`], but stay in the history.
//! - Undo belongs to the last action: it stays (on the line and in the history) until the next
//!   action reports, not for a number of seconds.

use super::command::Command;
use crate::i18n::{Lang, Msg};
use jiff::Timestamp;
use std::collections::VecDeque;

/// How many messages the history keeps.
pub const HISTORY_LEN: usize = 100;
/// How long a message that is not an error stays on the status line, in seconds.
pub const STATUS_SECONDS: f64 = 8.0;

/// One message: what happened, in both languages, so it follows a language switch.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// Unique within the run, to name it in the history.
    pub id: u64,
    pub msg: Msg,
    pub is_error: bool,
    /// When it appeared on egui's clock (seconds), for the status line's timeout.
    pub shown_at: f64,
    /// When it happened, from the app's clock, for the history.
    pub at: Timestamp,
    /// What Undo does, while it is still valid (until the next action reports).
    pub undo: Option<Command>,
    /// The clerk closed it (an error leaves the line only this way).
    pub dismissed: bool,
}

impl Status {
    pub fn text(&self, lang: Lang) -> &str {
        self.msg.get(lang)
    }
}

/// The history, newest last, and which message the status line shows.
#[derive(Debug, Default)]
pub struct Messages {
    entries: VecDeque<Status>,
    next_id: u64,
    /// The message on the status line, until it expires or is dismissed.
    line: Option<u64>,
}

impl Messages {
    /// Add a message; it shows on the status line. A message that reports an action (not an error)
    /// ends the Undo of the action before it.
    pub fn push(
        &mut self,
        msg: Msg,
        is_error: bool,
        undo: Option<Command>,
        shown_at: f64,
        at: Timestamp,
    ) {
        if is_error {
            tracing::warn!(target: "posdesk::shown", "{}", msg.en);
        } else {
            for e in &mut self.entries {
                e.undo = None;
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.entries.push_back(Status {
            id,
            msg,
            is_error,
            shown_at,
            at,
            undo,
            dismissed: false,
        });
        while self.entries.len() > HISTORY_LEN {
            self.entries.pop_front();
        }
        self.line = Some(id);
    }

    /// The message on the status line.
    pub fn line(&self) -> Option<&Status> {
        let id = self.line?;
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn line_mut(&mut self) -> Option<&mut Status> {
        let id = self.line?;
        self.entries.iter_mut().find(|e| e.id == id)
    }

    /// Every message kept, newest first.
    pub fn history(&self) -> impl Iterator<Item = &Status> {
        self.entries.iter().rev()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Errors not yet dismissed other than the one on the status line: the line counts them.
    pub fn hidden_errors(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.is_error && !e.dismissed && Some(e.id) != self.line)
            .count()
    }

    /// Take the valid Undo (there is at most one), ending it.
    pub fn take_undo(&mut self) -> Option<Command> {
        self.entries.iter_mut().rev().find_map(|e| e.undo.take())
    }

    /// The clerk closed this message (`None`: the one on the status line).
    pub fn dismiss(&mut self, id: Option<u64>) {
        let Some(id) = id.or(self.line) else {
            return;
        };
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            e.dismissed = true;
        }
        if self.line == Some(id) {
            self.line = None;
        }
    }

    /// Take a message that is not an error and offers no Undo off the line once its time is up.
    /// Returns the seconds left until that happens, if the line will change by itself.
    pub fn expire(&mut self, now: f64) -> Option<f64> {
        let line = self.line()?;
        if line.is_error || line.undo.is_some() {
            return None;
        }
        let left = line.shown_at + STATUS_SECONDS - now;
        if left <= 0.0 {
            self.line = None;
            None
        } else {
            Some(left)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::command::ShellCommand;

    fn push(m: &mut Messages, text: &str, is_error: bool, undo: bool) {
        let undo = undo.then(|| ShellCommand::Undo.into());
        m.push(
            Msg::new(text, text),
            is_error,
            undo,
            0.0,
            Timestamp::UNIX_EPOCH,
        );
    }

    #[test]
    fn keeps_the_last_hundred_newest_first() {
        let mut m = Messages::default();
        for i in 0..130 {
            push(&mut m, &format!("m{i}"), false, false);
        }
        assert_eq!(m.len(), HISTORY_LEN);
        let texts: Vec<&str> = m.history().map(|s| s.msg.en.as_str()).collect();
        assert_eq!(texts.first(), Some(&"m129"));
        assert_eq!(texts.last(), Some(&"m30"));
    }

    #[test]
    fn undo_lasts_until_the_next_action_not_past_an_error() {
        let mut m = Messages::default();
        push(&mut m, "deleted", false, true);
        assert_eq!(m.expire(1000.0), None, "an Undo line does not time out");
        push(&mut m, "a warning", true, false);
        assert!(
            m.history().any(|s| s.undo.is_some()),
            "an error is not an action"
        );
        push(&mut m, "saved", false, false);
        assert!(m.history().all(|s| s.undo.is_none()));
        assert_eq!(m.take_undo(), None);
    }

    #[test]
    fn an_error_stays_until_dismissed() {
        let mut m = Messages::default();
        push(&mut m, "failed", true, false);
        assert_eq!(m.expire(1e6), None);
        assert_eq!(m.line().map(|s| s.msg.en.as_str()), Some("failed"));
        push(&mut m, "saved", false, false);
        assert_eq!(m.hidden_errors(), 1);
        let failed = m.history().find(|s| s.is_error).map(|s| s.id);
        m.dismiss(failed);
        assert_eq!(m.hidden_errors(), 0);
        m.expire(1e6);
        assert!(m.line().is_none());
    }
}
