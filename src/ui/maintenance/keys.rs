//! Keys on the Maintenance screen while no text field has the keyboard: a till scanner's code typed
//! "into nothing" followed by Enter, and ↑/↓ with Enter or Space on the board.

use super::forms::MaintenanceForms;
use super::{MaintenanceCommand, MaintenancePage, MaintenanceView};
use crate::domain::code::fold_fullwidth;
use crate::domain::scan::{PREFIX, ScanCode};
use eframe::egui::{self, Event, Key, Modifiers};

pub fn keys(
    ctx: &egui::Context,
    view: &MaintenanceView,
    forms: &mut MaintenanceForms,
    push: &mut impl FnMut(MaintenanceCommand),
) {
    if ctx.text_edit_focused() {
        // Typing in a field is not a scan; a scanner's code typed there is the field's text.
        forms.scan.clear();
        return;
    }
    let events = ctx.input(|i| i.events.clone());
    let mut scanned = false;
    for event in &events {
        match event {
            Event::Text(text) => {
                for c in text.chars() {
                    feed(&mut forms.scan, c);
                }
            }
            Event::Key {
                key: Key::Enter,
                pressed: true,
                ..
            } => {
                if let Some(code) = ScanCode::parse(&forms.scan) {
                    push(MaintenanceCommand::Scanned(code));
                    scanned = true;
                }
                forms.scan.clear();
            }
            Event::Key {
                key, pressed: true, ..
            } if !types_code(*key) => forms.scan.clear(),
            _ => {}
        }
    }
    if scanned {
        // The scanner's Enter is not "mark the chosen row done".
        ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        return;
    }
    let form_open = forms.work.is_some();
    // A focused button takes Enter and Space itself.
    let nothing_focused = ctx.memory(|m| m.focused()).is_none();
    if view.page != MaintenancePage::Board || form_open || !nothing_focused {
        return;
    }
    let (down, up, enter, space) = ctx.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::Enter),
            i.consume_key(Modifiers::NONE, Key::Space),
        )
    });
    if down {
        push(MaintenanceCommand::Move(1));
    }
    if up {
        push(MaintenanceCommand::Move(-1));
    }
    if (enter || space) && !view.board.is_empty() {
        push(MaintenanceCommand::DoneChosen);
    }
}

/// The keys a scanner presses while typing a code (their text arrives as `Text` events); any other
/// key (arrows, Esc, Backspace...) means a person is at the keyboard, not a scanner.
fn types_code(key: Key) -> bool {
    let name = key.symbol_or_name();
    key == Key::Minus
        || (name.chars().count() == 1 && name.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Add `c` to what was typed so far, keeping only what can still become a scan code: a character
/// that cannot continue it starts over (with `c`, if a code can start with it).
fn feed(buffer: &mut String, c: char) {
    buffer.push(c);
    if !could_be_scan(buffer) {
        buffer.clear();
        if could_be_scan(&c.to_string()) {
            buffer.push(c);
        }
    }
}

/// Whether `text` is the beginning of a scan code (`PD42-20261201`), as `ScanCode::parse` reads one.
pub fn could_be_scan(text: &str) -> bool {
    let text: String = text.chars().map(fold_fullwidth).collect();
    let upper = text.to_ascii_uppercase();
    if upper.len() <= PREFIX.len() {
        return PREFIX.starts_with(&upper);
    }
    let Some(rest) = upper.strip_prefix(PREFIX) else {
        return false;
    };
    let (id, date) = match rest.split_once('-') {
        Some((id, date)) => (id, Some(date)),
        None => (rest, None),
    };
    let id_ok = id.bytes().all(|b| b.is_ascii_digit())
        && !id.starts_with('0')
        && id.len() <= 19
        && (date.is_none() || !id.is_empty());
    let date_ok = date.is_none_or(|d| d.len() <= 8 && d.bytes().all(|b| b.is_ascii_digit()));
    id_ok && date_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_start_of_a_code_is_kept() {
        for ok in [
            "",
            "p",
            "PD",
            "pd4",
            "PD42-",
            "PD42-2026",
            "PD42-20261201",
            "ＰＤ４２",
        ] {
            assert!(could_be_scan(ok), "{ok}");
        }
        for bad in ["x", "PDX", "PD0", "PD-", "PD42-202612011", "PD42-2026-"] {
            assert!(!could_be_scan(bad), "{bad}");
        }
        let mut b = String::new();
        for c in "xPPD7-20261201".chars() {
            feed(&mut b, c);
        }
        assert_eq!(b, "PD7-20261201");
    }
}
